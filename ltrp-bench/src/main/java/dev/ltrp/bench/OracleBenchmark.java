package dev.ltrp.bench;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Path;
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
 * The oracle's scoring loop: anchor plus one leave-one-out reconstruction per visible patch, for a
 * batch of images, as one batched pass.
 *
 * <p>Default: the MAE-B architecture with random weights (speed does not depend on the values) or
 * the checkpoint given by {@code -p checkpoint=FILE}, 19 visible patches of 196 (mask ratio 0.9),
 * decoder-attention removal. Reported as seconds per call; divide by {@code images} for seconds per
 * image. {@link SgemmBaseline} measures the machine's GEMM peak in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Benchmark)
public class OracleBenchmark {

  /** Images scored per call. */
  @Param({"1", "8"})
  public int images;

  /** Removal mode: decoder, encoder or mask-token. */
  @Param({"decoder"})
  public String removal;

  /** MAE preset (base, large, huge) or JSON config, used when no checkpoint is given. */
  @Param({"base"})
  public String arch;

  /** A MAE checkpoint to load instead of random weights; empty for random. */
  @Param({""})
  public String checkpoint;

  /** Mask ratio of the random visible sets. */
  @Param({"0.9"})
  public double maskRatio;

  private MaeScoreOracle oracle;
  private List<ImageTensor> batch;
  private List<VisibleSet> visibleSets;

  @Setup
  public void setUp() throws IOException {
    MaeConfig config = MaeConfig.fromSpec(arch);
    MaeWeights weights =
        checkpoint.isEmpty()
            ? MaeWeights.random(config, 0)
            : MaeWeights.load(Path.of(checkpoint), null);
    oracle = MaeScoreOracle.builder(weights).optRemovalMode(RemovalMode.parse(removal)).build();
    PatchGrid grid = oracle.grid();
    SplittableRandom random = new SplittableRandom(1);
    batch = new ArrayList<>();
    visibleSets = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      batch.add(randomImage(oracle.channels(), grid, random));
      visibleSets.add(VisibleSet.random(grid, maskRatio, random));
    }
  }

  static ImageTensor randomImage(int channels, PatchGrid grid, SplittableRandom random) {
    float[] v = new float[channels * grid.imageHeight() * grid.imageWidth()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return ImageTensor.of(channels, grid.imageHeight(), grid.imageWidth(), v);
  }

  @Benchmark
  public List<PatchScores> scoreBatch() {
    return oracle.scoreBatch(batch, visibleSets);
  }

  @TearDown
  public void tearDown() {
    oracle.close();
  }
}
