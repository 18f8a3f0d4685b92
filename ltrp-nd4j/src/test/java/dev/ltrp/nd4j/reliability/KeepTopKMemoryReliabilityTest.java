package dev.ltrp.nd4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A long-running service calls {@code keepTopK} without end: 10,000 consecutive calls through a
 * small ranker must keep both the live Java heap and the native memory ND4J uses flat. Measured as
 * in {@code MaeScoreOracleContractTest.repeatedCallsDoNotGrowNativeMemory}: after a warm-up that
 * fills ND4J's caches, resident memory minus the Java heap (ND4J's buffers live outside it) and
 * live heap, each after garbage collection and a pause for ND4J's deallocator threads. The figures
 * are printed; docs/RELIABILITY.md records them.
 *
 * <p>The ranker is a minimal ViT with every part of the call path (patch embedding, a transformer
 * block, the head): a call costs about 2 ms, SameDiff's per-op overhead rather than arithmetic, so
 * that the 15,000 calls take about half a minute of CI.
 */
@Tag("slow")
class KeepTopKMemoryReliabilityTest {

  /** 32×32 images, patch 8 (16 patches), 16 wide, one block of two heads. */
  static final RankerConfig MINIMAL_RANKER = new RankerConfig(32, 8, 3, 16, 1, 2, 2.0);

  /**
   * Calls before the measurement. Resident memory grows by some 60 MB over the first 5,000 calls
   * (the allocator's arenas and ND4J's caches settling; measured on 2 cores: +27 MB between calls
   * 2,500 and 5,000, then +2 MB over the next 20,000), so the measurement starts after them.
   */
  private static final int WARM_UP_CALLS = 5_000;

  private static final int CALLS = 10_000;

  @Test
  void tenThousandCallsKeepHeapAndNativeMemoryFlat() {
    List<ImageTensor> images = ModelsConcurrencyTest.randomImages(8, 21);
    try (VitRanker ranker = VitRanker.create(RankerWeights.random(MINIMAL_RANKER, 13))) {
      TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).build();
      long nativeAtStart = offHeapBytes();
      long kept = 0;
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        kept += reducer.keepTopK(images.get(i % images.size()), 0.25).keptCount();
      }
      long nativeBefore = offHeapBytes();
      long heapBefore = heapUsedBytes();
      long started = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        kept += reducer.keepTopK(images.get(i % images.size()), 0.25).keptCount();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long nativeGrown = offHeapBytes() - nativeBefore;
      long heapGrown = heapUsedBytes() - heapBefore;
      System.out.printf(
          "memory over %d keepTopK calls (%.1f s, %.2f ms/call): native %.1f ->"
              + " %.1f MB (%+.1f MB; %+.1f MB during the %d warm-up calls), live heap %.2f ->"
              + " %.2f MB (%+.2f MB)%n",
          CALLS,
          seconds,
          1e3 * seconds / CALLS,
          nativeBefore / 1e6,
          (nativeBefore + nativeGrown) / 1e6,
          nativeGrown / 1e6,
          (nativeBefore - nativeAtStart) / 1e6,
          WARM_UP_CALLS,
          heapBefore / 1e6,
          (heapBefore + heapGrown) / 1e6,
          heapGrown / 1e6);
      assertThat(kept).isEqualTo(4L * (WARM_UP_CALLS + CALLS));
      // Keeping one call's small objects (a Reduction holds its 12 KB image) would grow the heap
      // by 120 MB.
      assertThat(heapGrown).as("live heap bytes grown over %d calls", CALLS).isLessThan(4L << 20);
      // Leaking one call's input array (3×32×32 floats plus positions, ~13 KB of native memory)
      // would grow this by ~130 MB, any leak of 5 KB a call past the limit; flat runs measured
      // +2 to +17 MB, the allocator's noise.
      assertThat(nativeGrown)
          .as("resident non-heap bytes grown over %d calls", CALLS)
          .isLessThan(48L << 20);
    }
  }

  /** Live heap bytes after collection. */
  private static long heapUsedBytes() {
    offHeapBytes();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * Resident memory outside the Java heap, after garbage collection and a pause: ND4J frees some
   * buffers only when their Java objects are collected, on its own deallocator threads.
   */
  private static long offHeapBytes() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
  }
}
