package dev.ltrp.bench;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Ranking: the ranker's forward pass over whole images ({@link #rank}), and {@code keepTopK} on top
 * of it, plain and with the DPC-KNN diversity hybrid, whose difference from {@link #rank} is the
 * selection's overhead.
 *
 * <p>Default: ViT-S/16 at 224 (the paper's ranker), random weights, batches of 1 and 32 images.
 * Seconds per call; divide by {@code batch} for seconds per image.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Benchmark)
public class RankerBenchmark {

  /** Images per call. */
  @Param({"1", "32"})
  public int batch;

  /** Ranker preset (tiny, small, base) or JSON config. */
  @Param({"small"})
  public String ranker;

  /** Keep ratio of the keepTopK benchmarks. */
  @Param({"0.25"})
  public double ratio;

  private VitRanker model;
  private TopKReducer plain;
  private TopKReducer hybrid;
  private List<ImageTensor> images;

  @Setup
  public void setUp() throws IOException {
    RankerConfig config = RankerConfig.fromSpec(ranker);
    model =
        VitRanker.builder(RankerWeights.random(config, 0)).optMaxBatch(Math.max(32, batch)).build();
    plain = TopKReducer.of(model);
    hybrid = TopKReducer.builder(model).optHybrid(0.7).optSeed(1).build();
    SplittableRandom random = new SplittableRandom(1);
    images = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      images.add(OracleBenchmark.randomImage(config.inChans(), config.grid(), random));
    }
  }

  @Benchmark
  public List<PatchScores> rank() {
    return model.rankBatch(images);
  }

  @Benchmark
  public List<Reduction> keepTopK() {
    return plain.keepTopK(images, ratio);
  }

  @Benchmark
  public List<Reduction> keepTopKHybrid() {
    return hybrid.keepTopK(images, ratio);
  }

  @TearDown
  public void tearDown() {
    model.close();
  }
}
