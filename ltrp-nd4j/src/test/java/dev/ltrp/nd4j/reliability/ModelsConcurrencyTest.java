package dev.ltrp.nd4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The models documented as safe for concurrent calls ({@link VitRanker}, {@link MaeScoreOracle},
 * and {@link TopKReducer} over them) give 8 threads calling at once exactly the results of
 * sequential calls, bit for bit; and their lifecycle rule holds (closing twice is harmless, use
 * after close throws {@link IllegalStateException}).
 */
@Tag("slow")
class ModelsConcurrencyTest {

  /** The tiny ranker of the issue: 32×32 images, patch 4 (64 patches), 48 wide, 2 blocks. */
  static final RankerConfig TINY_RANKER = new RankerConfig(32, 4, 3, 48, 2, 3, 4.0);

  private static final int THREADS = 8;

  /** Calls per thread: every image, several times, each thread in its own order. */
  private static final int ROUNDS = 3;

  private static VitRanker ranker;
  private static MaeScoreOracle oracle;
  private static List<ImageTensor> images;
  private static ExecutorService pool;

  @BeforeAll
  static void setUp() throws IOException {
    ranker = VitRanker.create(RankerWeights.random(TINY_RANKER, 11));
    MaeConfig config = MaeConfig.readJson(Fixtures.path("fixtures/tiny-mae/config.json"));
    oracle =
        MaeScoreOracle.create(MaeWeights.load(Fixtures.path("fixtures/tiny-mae/mae.pth"), config));
    images = randomImages(12, 5);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void tearDown() {
    pool.shutdownNow();
    ranker.close();
    oracle.close();
  }

  static List<ImageTensor> randomImages(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ImageTensor> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] chw = new float[3 * 32 * 32];
      for (int j = 0; j < chw.length; j++) {
        chw[j] = (float) (random.nextGaussian() * 0.8);
      }
      out.add(ImageTensor.of(3, 32, 32, chw));
    }
    return List.copyOf(out);
  }

  @Test
  void keepTopKFromEightThreadsEqualsSequentialCalls() throws Exception {
    TopKReducer plain = TopKReducer.of(ranker);
    TopKReducer hybrid = TopKReducer.builder(ranker).optHybrid(0.7).optSeed(3).build();
    assertSameAsSequential(i -> plain.keepTopK(images.get(i), 0.25));
    assertSameAsSequential(i -> hybrid.keepTopK(images.get(i), 0.5));
  }

  @Test
  void theRankerFromEightThreadsEqualsSequentialCalls() throws Exception {
    assertSameAsSequential(i -> ranker.rank(images.get(i)));
  }

  @Test
  void theOracleFromEightThreadsEqualsSequentialCalls() throws Exception {
    List<VisibleSet> visible = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      visible.add(VisibleSet.random(oracle.grid(), 0.75, 100 + i));
    }
    assertSameAsSequential(i -> oracle.score(images.get(i), visible.get(i)));
    assertSameAsSequential(i -> oracle.score(images.get(i), 0.75, 7 + i));
  }

  /**
   * Computes {@code call(i)} for every image sequentially, then from {@link #THREADS} threads
   * released together, each over every image {@link #ROUNDS} times in its own rotated order, and
   * requires every concurrent result to equal the sequential one ({@code equals} of {@link
   * Reduction} and {@link PatchScores} compares the float arrays bit for bit).
   */
  private static <T> void assertSameAsSequential(IntFunction<T> call) throws Exception {
    List<T> sequential = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      sequential.add(call.apply(i));
    }
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Callable<List<String>> work =
          () -> {
            start.await(30, TimeUnit.SECONDS);
            List<String> mismatches = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
              for (int k = 0; k < images.size(); k++) {
                int i = (k + thread * 5 + r) % images.size();
                T result = call.apply(i);
                if (!result.equals(sequential.get(i))) {
                  mismatches.add("thread " + thread + ", round " + r + ", image " + i);
                }
              }
            }
            return mismatches;
          };
      futures.add(pool.submit(work));
    }
    List<String> mismatches = new ArrayList<>();
    for (Future<List<String>> f : futures) {
      mismatches.addAll(f.get(120, TimeUnit.SECONDS));
    }
    assertThat(mismatches).as("concurrent results that differ from the sequential ones").isEmpty();
  }

  /**
   * The check itself can fail: a ranker that keeps its work in a field shared by all calls (the
   * usual thread-safety bug) gives some of the 8 threads another image's scores.
   */
  @Test
  void theCheckCatchesARankerThatSharesStateBetweenCalls() {
    PatchRanker racy =
        new PatchRanker() {
          private float[] scratch; // shared by every call: the bug

          @Override
          public PatchGrid grid() {
            return ranker.grid();
          }

          @Override
          public int channels() {
            return 3;
          }

          @Override
          public PatchScores rank(ImageTensor image) {
            scratch = java.util.Arrays.copyOf(image.toArray(), grid().numPatches());
            try {
              Thread.sleep(1); // let the other threads overwrite it, as real work would
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return PatchScores.dense(grid(), scratch.clone());
          }
        };
    TopKReducer reducer = TopKReducer.of(racy);
    assertThatThrownBy(() -> assertSameAsSequential(i -> reducer.keepTopK(images.get(i), 0.25)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("concurrent results that differ from the sequential ones");
  }

  @Test
  void closingTwiceIsHarmlessAndUseAfterCloseThrows() {
    VitRanker closed = VitRanker.create(RankerWeights.random(TINY_RANKER, 12));
    TopKReducer reducer = TopKReducer.of(closed);
    assertThat(reducer.keepTopK(images.get(0), 0.25).keptCount()).isEqualTo(16);
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.rank(images.get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> reducer.keepTopK(images.get(0), 0.25))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> closed.rankBatch(images)).isInstanceOf(IllegalStateException.class);
  }
}
