package dev.ltrp.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import dev.ltrp.api.RedundancyReducer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TopKReducerTest {

  private static final PatchGrid GRID = PatchGrid.of(16, 2); // 8 × 8 = 64 patches

  /** Scores each patch by the first value of its pixel vector; counts batch calls. */
  private static class FirstPixelRanker implements PatchRanker {
    final AtomicInteger batchCalls = new AtomicInteger();

    @Override
    public PatchGrid grid() {
      return GRID;
    }

    @Override
    public int channels() {
      return 3;
    }

    @Override
    public PatchScores rank(ImageTensor image) {
      image.checkShape(3, GRID);
      float[] scores = new float[GRID.numPatches()];
      float[] vector = new float[GRID.patchVectorLength(3)];
      for (int i = 0; i < scores.length; i++) {
        image.patchVector(GRID, i, vector, 0);
        scores[i] = vector[0];
      }
      return PatchScores.dense(GRID, scores);
    }

    @Override
    public List<PatchScores> rankBatch(List<ImageTensor> images) {
      batchCalls.incrementAndGet();
      return PatchRanker.super.rankBatch(images);
    }
  }

  private static ImageTensor randomImage(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] chw = new float[3 * 16 * 16];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    return ImageTensor.of(3, 16, 16, chw);
  }

  @Test
  void borrowsTheRankerByDefaultAndOwnsItOnlyWhenAsked() {
    AtomicInteger closes = new AtomicInteger();
    PatchRanker ranker =
        new FirstPixelRanker() {
          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    try (TopKReducer borrowing = TopKReducer.of(ranker)) {
      assertThat(borrowing.keepTopK(randomImage(1), 0.25).keptCount()).isEqualTo(16);
    }
    assertThat(closes).hasValue(0);
    TopKReducer owning = TopKReducer.builder(ranker).optCloseRanker(true).build();
    owning.close();
    owning.close();
    assertThat(closes).hasValue(1);
  }

  @Test
  void theDefaultBatchOfTheInterfaceEqualsOneByOne() {
    RedundancyReducer plain =
        new RedundancyReducer() {
          private final TopKReducer inner = TopKReducer.of(new FirstPixelRanker());

          @Override
          public PatchGrid grid() {
            return inner.grid();
          }

          @Override
          public int channels() {
            return inner.channels();
          }

          @Override
          public Reduction keepTopK(ImageTensor image, double ratio) {
            return inner.keepTopK(image, ratio);
          }
        };
    List<ImageTensor> images = List.of(randomImage(5), randomImage(6));
    List<Reduction> batch = plain.keepTopK(images, 0.25);
    assertThat(batch.get(1).keptRanked())
        .containsExactly(plain.keepTopK(images.get(1), 0.25).keptRanked());
    assertThatThrownBy(() -> plain.keepTopK(java.awt.image.BufferedImage.class.cast(null), 0.25))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void plainKeepsTheTopKOfTheRanker() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    TopKReducer reducer = TopKReducer.of(ranker);
    ImageTensor image = randomImage(1);
    Reduction reduction = reducer.keepTopK(image, 0.25);
    PatchScores scores = ranker.rank(image);
    assertThat(reduction.keptCount()).isEqualTo(16);
    assertThat(reduction.keptRanked()).containsExactly(scores.topK(16));
    assertThat(reduction.scores()).isEqualTo(scores);
    assertThat(reducer.grid()).isEqualTo(GRID);
    assertThat(reducer.channels()).isEqualTo(3);
    assertThat(reducer.hybridRatio()).isEmpty();
    assertThat(reducer.seed()).isEqualTo(TopKReducer.DEFAULT_SEED);
    // K = round(ratio · L), at least 1.
    assertThat(reducer.keepTopK(image, 0.001).keptCount()).isEqualTo(1);
    assertThat(reducer.keepTopK(image, 1.0).keptCount()).isEqualTo(64);
  }

  @Test
  void hybridKeepsScorePicksFirstThenDistinctDiversityPicks() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).optSeed(42L).build();
    assertThat(reducer.hybridRatio()).hasValue(0.7);
    ImageTensor image = randomImage(2);
    Reduction reduction = reducer.keepTopK(image, 0.25); // K = 16, 11 by score
    int[] kept = reduction.keptRanked();
    assertThat(kept).hasSize(16).doesNotHaveDuplicates();
    int[] top11 = ranker.rank(image).topK(11);
    for (int i = 0; i < 11; i++) {
      assertThat(kept[i]).isEqualTo(top11[i]);
    }
    assertThat(kept)
        .isEqualTo(
            PatchSelection.hybrid(
                image, ranker.rank(image), 16, 0.7, ImageSeeds.random(42L, image)));
  }

  @Test
  void hybridWithRhoOneIsPlain() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    ImageTensor image = randomImage(3);
    assertThat(TopKReducer.builder(ranker).optHybrid(1.0).build().keepTopK(image, 0.3))
        .isEqualTo(TopKReducer.of(ranker).keepTopK(image, 0.3));
  }

  @Test
  void theSeedMattersAndIsReproducible() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    ImageTensor image = randomImage(4);
    TopKReducer a = TopKReducer.builder(ranker).optHybrid(0.0).optSeed(1L).build();
    TopKReducer a2 = TopKReducer.builder(ranker).optHybrid(0.0).optSeed(1L).build();
    assertThat(a.keepTopK(image, 0.25)).isEqualTo(a2.keepTopK(image, 0.25));
    boolean anyDifferent = false;
    for (long seed = 2; seed < 12 && !anyDifferent; seed++) {
      TopKReducer b = TopKReducer.builder(ranker).optHybrid(0.0).optSeed(seed).build();
      anyDifferent = !b.keepTopK(image, 0.25).equals(a.keepTopK(image, 0.25));
    }
    assertThat(anyDifferent).isTrue();
  }

  @Test
  void eightThreadsGetIdenticalResults() throws Exception {
    FirstPixelRanker ranker = new FirstPixelRanker();
    TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.5).optSeed(7L).build();
    ImageTensor image = randomImage(5);
    Reduction expected = reducer.keepTopK(image, 0.25);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<Reduction>>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              List<Reduction> out = new ArrayList<>();
              for (int rep = 0; rep < 10; rep++) {
                out.add(reducer.keepTopK(image, 0.25));
              }
              return out;
            });
      }
      for (Future<List<Reduction>> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).hasSize(10).containsOnly(expected);
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void batchUsesRankBatchAndEqualsSingleCalls() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).optSeed(3L).build();
    List<ImageTensor> images = List.of(randomImage(6), randomImage(7), randomImage(6));
    List<Reduction> batch = reducer.keepTopK(images, 0.25);
    assertThat(ranker.batchCalls.get()).isEqualTo(1);
    assertThat(batch).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(batch.get(i)).isEqualTo(reducer.keepTopK(images.get(i), 0.25));
    }
    assertThat(batch.get(0)).isEqualTo(batch.get(2));
    assertThat(reducer.keepTopK(List.of(), 0.5)).isEmpty();
  }

  @Test
  void callerMistakesAreRejected() {
    TopKReducer reducer = TopKReducer.of(new FirstPixelRanker());
    ImageTensor image = randomImage(8);
    assertThatThrownBy(() -> reducer.keepTopK(image, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> reducer.keepTopK(image, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> reducer.keepTopK(image, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    ImageTensor small = ImageTensor.of(3, 8, 8, new float[192]);
    assertThatThrownBy(() -> reducer.keepTopK(small, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8x8");
    assertThatThrownBy(() -> reducer.keepTopK(List.of(image, small), 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("images[1]");
    assertThatThrownBy(() -> TopKReducer.builder(new FirstPixelRanker()).optHybrid(1.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.2");
    assertThatThrownBy(() -> TopKReducer.builder(new FirstPixelRanker()).optHybrid(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TopKReducer.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aRankerBreakingItsContractIsReported() {
    PatchRanker sparse =
        new FirstPixelRanker() {
          @Override
          public PatchScores rank(ImageTensor image) {
            return PatchScores.of(GRID, new int[] {0, 1}, new float[] {1, 2});
          }
        };
    assertThatThrownBy(() -> TopKReducer.of(sparse).keepTopK(randomImage(9), 0.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dense");
  }

  @Test
  void describesItself() {
    FirstPixelRanker ranker = new FirstPixelRanker();
    assertThat(TopKReducer.builder(ranker).optHybrid(0.7).optSeed(5).build().toString())
        .contains("hybrid rho=0.7")
        .contains("seed=5");
    assertThat(TopKReducer.of(ranker).toString()).contains("plain");
  }
}
