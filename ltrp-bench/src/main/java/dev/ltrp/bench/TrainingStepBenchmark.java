package dev.ltrp.bench;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.loss.RankingBatch;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import dev.ltrp.nd4j.internal.loss.LossGraph;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import dev.ltrp.nd4j.internal.training.AdamW;
import dev.ltrp.nd4j.internal.training.RankerTrainingGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ranker training step: forward over whole images, ListMLE over 19 visible patches per image
 * (fixed random targets), backward, AdamW update. The oracle's pseudo-labels are not included (see
 * {@link OracleBenchmark} for their cost).
 *
 * <p>Default: ViT-S/16 at 224, batch 8. Milliseconds per step. Single-shot iterations of one step
 * each, with a garbage collection before each (as the trainer does after every step): a step takes
 * seconds, and ND4J's backward pass leaves gigabytes of arrays to the collector.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 8, batchSize = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Benchmark)
public class TrainingStepBenchmark {

  @Param({"8"})
  public int batch;

  @Param({"small"})
  public String ranker;

  private RankerTrainingGraph graph;
  private GraphRunner runner;
  private AdamW adam;
  private Map<String, INDArray> inputs;

  @Setup
  public void setUp() throws IOException {
    RankerConfig config = RankerConfig.fromSpec(ranker);
    PatchGrid grid = config.grid();
    RankerWeights weights = RankerWeights.random(config, 0);
    SplittableRandom random = new SplittableRandom(2);
    List<ImageTensor> images = new ArrayList<>();
    List<PatchScores> targets = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      images.add(OracleBenchmark.randomImage(config.inChans(), grid, random));
      VisibleSet visible = VisibleSet.random(grid, 0.9, random);
      float[] y = new float[visible.size()];
      for (int j = 0; j < y.length; j++) {
        y[j] = (float) random.nextDouble();
      }
      targets.add(PatchScores.of(grid, visible.patches(), y));
    }
    RankingBatch lists = RankingBatch.prepare(RankingLoss.LISTMLE, grid, targets, 20, random);
    graph =
        RankerTrainingGraph.build(weights, RankingLoss.LISTMLE, lists.listLength(), DataType.FLOAT);
    runner = GraphRunner.start(graph.sameDiff(), "bench-training", RankerTrainingGraph.CACHE_BYTES);
    adam = AdamW.reference(0.05, graph.decayed());
    inputs = new HashMap<>(LossGraph.placeholders(lists, DataType.FLOAT));
    inputs.putAll(
        RankerGraph.fullImageInputs(images, weights.tensor("pos_embed").toArray(), config));
  }

  /**
   * Frees the arrays ND4J leaves to the garbage collector after each backward pass (as the trainer
   * does after every step); without it native memory grows until the fork is killed.
   */
  @Setup(Level.Iteration)
  public void collect() {
    System.gc();
  }

  @Benchmark
  public double step() {
    return runner.call(sd -> graph.trainStep(adam, inputs, 1e-5));
  }

  @TearDown
  public void tearDown() {
    runner.call(
        sd -> {
          adam.close();
          GraphArrays.closeAll(inputs);
          return null;
        });
    runner.close();
  }
}
