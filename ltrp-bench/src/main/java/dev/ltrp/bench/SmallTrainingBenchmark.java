package dev.ltrp.bench;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.selection.PatchSubsets;
import dev.ltrp.eval.classifier.VitClassifier;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import dev.ltrp.nd4j.internal.training.AdamW;
import dev.ltrp.nd4j.internal.training.MaeTrainingGraph;
import dev.ltrp.nd4j.internal.training.RankerTrainingGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One training step of the evaluation's small models (issue 12, item 10): the Fashion-MNIST teacher
 * MAE's pretraining step and the downstream classifier's fine-tuning step, batch 128, host input
 * building included (as the trainers run them). Milliseconds per step; compared with PyTorch by
 * {@code scripts/bench/compare_small_training_pytorch.py}.
 *
 * <p>Models: 28×28 grayscale, patch 4 (a 7×7 grid), width 64, 4 blocks, 4 heads, MLP ratio 2; the
 * MAE's decoder 64 wide × 2 blocks. The MAE sees 12 of 49 patches (mask ratio 0.75), the classifier
 * {@link #kept} patches per image (random subsets, new every step).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class SmallTrainingBenchmark {

  static final MaeConfig EVAL_MAE = MaeConfig.of(28, 4, 1, 64, 4, 4, 64, 2, 4, 2.0);
  private static final int BATCH = 128;
  private static final double MAE_MASK_RATIO = 0.75;

  /** Patches each classifier image keeps (5, 12, 25, 49: keep 10%, 25%, 50%, 100%). */
  @Param({"12"})
  public int kept;

  private final SplittableRandom random = new SplittableRandom(3);
  private List<ImageTensor> images;
  private int[] labels;
  private MaeTrainingGraph mae;
  private GraphRunner maeRunner;
  private AdamW maeAdam;
  private float[] maePositions;
  private VitClassifier classifier;

  @Setup
  public void setUp() {
    PatchGrid grid = EVAL_MAE.grid();
    images = new ArrayList<>();
    labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      images.add(OracleBenchmark.randomImage(1, grid, random));
      labels[i] = random.nextInt(10);
    }
    MaeWeights weights = MaeWeights.random(EVAL_MAE, 0);
    mae = MaeTrainingGraph.build(weights, DataType.FLOAT);
    maeRunner = GraphRunner.start(mae.sameDiff(), "bench-mae", RankerTrainingGraph.CACHE_BYTES);
    maeAdam = AdamW.reference(0.05, mae.decayed());
    maePositions = weights.tensor("pos_embed").toArray();
    classifier = VitClassifier.fromEncoder(weights, 10, 0);
  }

  /** One MAE pretraining step on new random visible sets. */
  @Benchmark
  public double maeStep() {
    List<VisibleSet> visible = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      visible.add(VisibleSet.random(EVAL_MAE.grid(), MAE_MASK_RATIO, random));
    }
    return maeRunner.call(
        sd -> {
          Map<String, INDArray> in =
              MaeTrainingGraph.inputs(EVAL_MAE, images, visible, maePositions);
          try {
            return mae.trainStep(maeAdam, in, 1e-5);
          } finally {
            GraphArrays.closeAll(in);
          }
        });
  }

  /** One classifier fine-tuning step on new random subsets of {@link #kept} patches. */
  @Benchmark
  public double classifierStep() {
    List<int[]> subsets = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      subsets.add(PatchSubsets.random(EVAL_MAE.numPatches(), kept, random));
    }
    return classifier.trainStep(images, subsets, labels, 1e-5);
  }

  @TearDown
  public void tearDown() {
    maeRunner.call(
        sd -> {
          maeAdam.close();
          return null;
        });
    maeRunner.close();
    classifier.close();
  }
}
