package dev.ltrp.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.ScoreOracle;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.selection.Clustering;
import dev.ltrp.core.selection.DensityPeaks;
import dev.ltrp.core.selection.DpcKnn;
import dev.ltrp.core.selection.TopKReducer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BaselineRankersTest {

  private static final PatchGrid GRID = PatchGrid.of(8, 2); // 4 × 4 = 16 patches of 2 × 2

  private static ImageTensor randomImage(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] chw = new float[3 * 8 * 8];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    return ImageTensor.of(3, 8, 8, chw);
  }

  /** A 1-channel 4 × 4 image of 2 × 2 patches, each patch given as its 4 values (row-major). */
  private static ImageTensor grayPatches(float[]... patches) {
    float[] flat = new float[16];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(patches[i], 0, flat, 4 * i, 4);
    }
    return Patchify.unpatchify(flat, PatchGrid.of(4, 2), 1);
  }

  // ---- pixel variance ----

  @Test
  void varianceRankerPutsTexturedPatchesAboveFlatOnes() {
    ImageTensor image =
        grayPatches(
            new float[] {0.5f, 0.5f, 0.5f, 0.5f}, // flat
            new float[] {0, 1, 2, 3}, // textured: mean 1.5, variance (2.25 + .25 + .25 + 2.25) / 4
            new float[] {-1, -1, -1, -1}, // flat, another level
            new float[] {0, 0, 0, 2}); // mean 0.5, variance (3 · .25 + 2.25) / 4 = 0.75
    PixelVarianceRanker ranker = PixelVarianceRanker.of(PatchGrid.of(4, 2), 1);
    PatchScores scores = ranker.rank(image);
    assertThat(scores.scores()).containsExactly(0f, 1.25f, 0f, 0.75f);
    assertThat(scores.ranking()).containsExactly(1, 3, 0, 2);
  }

  @Test
  void varianceRankerPoolsTheChannels() {
    // One 2 × 2 patch, 3 channels, each channel flat at 0, 1 and 2: variance of
    // {0,1,2} × 4 = 2/3.
    float[] chw = new float[12];
    for (int c = 0; c < 3; c++) {
      Arrays.fill(chw, 4 * c, 4 * c + 4, c);
    }
    PatchScores scores =
        PixelVarianceRanker.of(PatchGrid.of(2, 2), 3).rank(ImageTensor.of(3, 2, 2, chw));
    assertThat(scores.score(0)).isCloseTo(2f / 3, within(1e-6f));
  }

  // ---- random ----

  @Test
  void randomRankerScoresAPermutationThatDependsOnSeedAndImage() {
    RandomRanker ranker = RandomRanker.of(GRID, 3, 42L);
    ImageTensor image = randomImage(1);
    float[] scores = ranker.rank(image).scores();
    float[] sorted = scores.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 16; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(ranker.rank(image)).isEqualTo(ranker.rank(image));
    assertThat(RandomRanker.of(GRID, 3, 42L).rank(image)).isEqualTo(ranker.rank(image));
    assertThat(RandomRanker.of(GRID, 3, 43L).rank(image)).isNotEqualTo(ranker.rank(image));
    assertThat(ranker.rank(randomImage(2))).isNotEqualTo(ranker.rank(image));
    assertThat(RandomRanker.of(GRID, 3).seed()).isEqualTo(RandomRanker.DEFAULT_SEED);
  }

  @Test
  void randomRankerOrdersAreRoughlyUniform() {
    // Over 400 images, each patch is ranked first about 400 / 16 = 25 times.
    RandomRanker ranker = RandomRanker.of(GRID, 3, 7L);
    int[] firsts = new int[16];
    for (int i = 0; i < 400; i++) {
      firsts[ranker.rank(randomImage(1000 + i)).ranking()[0]]++;
    }
    for (int count : firsts) {
      assertThat(count).isBetween(5, 55);
    }
  }

  @Test
  void randomRankerIsTheSameOnEveryThread() throws Exception {
    RandomRanker ranker = RandomRanker.of(GRID, 3, 9L);
    ImageTensor image = randomImage(3);
    PatchScores expected = ranker.rank(image);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<PatchScores>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> ranker.rank(image));
      }
      for (Future<PatchScores> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ---- DPC-KNN ----

  @Test
  void dpcKnnRankerScoresAreTheCenterScoresAndItsTopKAreTheCenters() {
    ImageTensor image = randomImage(4);
    DpcKnnRanker ranker = DpcKnnRanker.of(GRID, 3);
    PatchScores scores = ranker.rank(image);
    float[] vectors = Patchify.patchify(image, GRID);
    DensityPeaks peaks = DpcKnn.standard().densityPeaks(vectors, 12);
    for (int i = 0; i < 16; i++) {
      assertThat(scores.score(i)).isEqualTo((float) peaks.centerScore(i));
    }
    for (int k : new int[] {1, 4, 9}) {
      Clustering clusters = DpcKnn.standard().cluster(vectors, 12, k);
      assertThat(scores.topK(k)).containsExactly(clusters.centers());
    }
  }

  @Test
  void dpcKnnRankerPrefersARepresentativeOfEachGroup() {
    // Patches 0 and 1 flat at 0, patches 2 and 3 flat at 5 (2 neighbours: each pair is a group).
    ImageTensor image =
        grayPatches(
            new float[] {0, 0, 0, 0}, new float[] {0, 0, 0, 0.1f},
            new float[] {5, 5, 5, 5}, new float[] {5, 5, 5, 5.1f});
    PatchScores scores =
        DpcKnnRanker.of(PatchGrid.of(4, 2), 1, DpcKnn.withNeighbors(2)).rank(image);
    int[] top2 = scores.topK(2);
    Arrays.sort(top2);
    assertThat(top2[0]).isIn(0, 1);
    assertThat(top2[1]).isIn(2, 3);
  }

  // ---- oracle ----

  /** Scores patch p with (p % 5) whatever the visible set; counts calls. Thread-safe. */
  private static final class ModuloOracle implements ScoreOracle {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public PatchGrid grid() {
      return GRID;
    }

    @Override
    public int channels() {
      return 3;
    }

    @Override
    public PatchScores score(ImageTensor image, VisibleSet visible) {
      calls.incrementAndGet();
      int[] patches = visible.patches();
      float[] scores = new float[patches.length];
      for (int i = 0; i < patches.length; i++) {
        scores[i] = patches[i] % 5;
      }
      return PatchScores.of(GRID, patches, scores);
    }
  }

  @Test
  void oracleRankerReturnsTheScoreMapAggregate() {
    ModuloOracle oracle = new ModuloOracle();
    ImageTensor image = randomImage(5);
    OracleRanker byQuantile =
        OracleRanker.builder(oracle).optMaskRatio(0.75).optPasses(2).optSeed(3L).build();
    assertThat(byQuantile.rank(image))
        .isEqualTo(oracle.scoreMap(image, 0.75, 2, 3L).meanRankQuantiles());
    assertThat(byQuantile.grid()).isEqualTo(GRID);
    assertThat(byQuantile.channels()).isEqualTo(3);

    OracleRanker byScore =
        OracleRanker.builder(oracle)
            .optAggregate(OracleRanker.Aggregate.MEAN_SCORES)
            .optMaskRatio(0.5)
            .build();
    float[] expected = new float[16];
    for (int p = 0; p < 16; p++) {
      expected[p] = p % 5;
    }
    assertThat(byScore.rank(image).scores()).containsExactly(expected);
  }

  @Test
  void oracleRankerDefaults() {
    ModuloOracle oracle = new ModuloOracle();
    OracleRanker ranker = OracleRanker.of(oracle);
    assertThat(ranker.maskRatio()).isEqualTo(0.9);
    assertThat(ranker.passes()).isEqualTo(1);
    assertThat(ranker.seed()).isEqualTo(0L);
    assertThat(ranker.aggregate()).isEqualTo(OracleRanker.Aggregate.MEAN_RANK_QUANTILES);
    ImageTensor image = randomImage(6);
    assertThat(ranker.rank(image))
        .isEqualTo(oracle.scoreMap(image, 0.9, 1, 0L).meanRankQuantiles());
    assertThatThrownBy(() -> OracleRanker.builder(oracle).optMaskRatio(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.0");
    assertThatThrownBy(() -> OracleRanker.builder(oracle).optPasses(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  // ---- shared contract ----

  private static List<PatchRanker> allRankers() {
    return List.of(
        RandomRanker.of(GRID, 3, 1L),
        PixelVarianceRanker.of(GRID, 3),
        DpcKnnRanker.of(GRID, 3),
        OracleRanker.builder(new ModuloOracle()).optMaskRatio(0.5).build());
  }

  @Test
  void everyBaselineIsDenseDeterministicAndChecksTheShape() {
    ImageTensor image = randomImage(8);
    ImageTensor wrong = ImageTensor.of(3, 4, 4, new float[48]);
    for (PatchRanker ranker : allRankers()) {
      PatchScores scores = ranker.rank(image);
      assertThat(scores.isDense()).as("%s", ranker).isTrue();
      assertThat(ranker.rank(image)).as("%s", ranker).isEqualTo(scores);
      for (float s : scores.scores()) {
        assertThat(Float.isFinite(s)).isTrue();
      }
      assertThatThrownBy(() -> ranker.rank(wrong))
          .as("%s", ranker)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(ranker.toString()).isNotBlank();
    }
    assertThatThrownBy(() -> PixelVarianceRanker.of(GRID, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void baselinesPlugIntoTheReducer() {
    ImageTensor image = randomImage(9);
    for (PatchRanker ranker : allRankers()) {
      TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).optSeed(1L).build();
      int[] kept = reducer.keepTopK(image, 0.5).keptRanked();
      assertThat(kept).hasSize(8).doesNotHaveDuplicates();
    }
  }
}
