package dev.ltrp.nd4j.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.ScoreMap;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.model.MaeWeights;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the oracle promises beyond numbers: input checks, score maps, lifecycle, memory. */
@Tag("slow")
class MaeScoreOracleContractTest {

  private static TinyMaeFixture fixture;
  private static MaeWeights weights;

  @BeforeAll
  static void load() {
    fixture = new TinyMaeFixture();
    weights = fixture.weights("mae.pth");
  }

  @Test
  void badInputsAreRejectedNamingTheProblem() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      ImageTensor small = ImageTensor.of(3, 16, 16, new float[3 * 16 * 16]);
      VisibleSet v = fixture.visibleSets.get(0);
      assertThatThrownBy(() -> oracle.score(small, v))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3x16x16")
          .hasMessageContaining("3x32x32");
      ImageTensor gray = ImageTensor.of(1, 32, 32, new float[32 * 32]);
      assertThatThrownBy(() -> oracle.score(gray, v)).hasMessageContaining("1x32x32");
      VisibleSet foreign = VisibleSet.of(PatchGrid.of(32, 8), 0, 1);
      assertThatThrownBy(() -> oracle.score(fixture.images.get(0), foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("grid");
      assertThatThrownBy(() -> oracle.scoreBatch(fixture.images, List.of(v)))
          .hasMessageContaining("3 images but 1 visible sets");
    }
  }

  @Test
  void aSeededCallIsReproducible() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      PatchScores a = oracle.score(fixture.images.get(0), 0.75, 5);
      assertThat(a.size()).isEqualTo(16);
      assertThat(oracle.score(fixture.images.get(0), 0.75, 5)).isEqualTo(a);
    }
  }

  @Test
  void aScoreMapCoversEveryPatchWithTheRoundsScores() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      ImageTensor image = fixture.images.get(1);
      ScoreMap map = oracle.scoreMap(image, 0.75, 1, 11);
      assertThat(map.rounds()).hasSize(4); // 64 patches, 16 visible per round
      assertThat(map.visibleCounts()).containsOnly(1);
      PatchScores round = map.rounds().get(2);
      VisibleSet set = VisibleSet.of(oracle.grid(), round.patches());
      PatchScores direct = oracle.score(image, set);
      for (int i = 0; i < round.size(); i++) {
        assertThat(map.meanScores().scoreOf(round.patch(i)))
            .isCloseTo(direct.score(i), org.assertj.core.data.Offset.offset(1e-7f));
      }
    }
  }

  @Test
  void theReconstructionKeepsTheVisiblePatchesOfTheOriginal() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      ImageTensor image = fixture.images.get(0);
      VisibleSet v = fixture.visibleSets.get(0);
      OracleResult result = oracle.scoreWithReconstruction(image, v);
      ImageTensor recon = result.reconstruction(image);
      float[] original = Patchify.patchify(image, oracle.grid());
      float[] pasted = Patchify.patchify(recon, oracle.grid());
      float[] anchor = result.anchorPatches();
      int dim = oracle.grid().patchVectorLength(3);
      for (int p = 0; p < oracle.grid().numPatches(); p++) {
        float[] expected = v.contains(p) ? original : anchor;
        for (int k = 0; k < dim; k++) {
          assertThat(pasted[p * dim + k]).isEqualTo(expected[p * dim + k]);
        }
      }
      assertThat(result.scores()).isEqualTo(oracle.score(image, v));
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() {
    MaeScoreOracle oracle = MaeScoreOracle.create(weights);
    oracle.close();
    oracle.close();
    assertThatThrownBy(() -> oracle.score(fixture.images.get(0), fixture.visibleSets.get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void repeatedCallsDoNotGrowNativeMemory() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      // Warm up until ND4J's array cache and the allocator's arenas are full (~100 calls here).
      for (int i = 0; i < 150; i++) {
        oracle.scoreBatch(fixture.images, fixture.visibleSets);
      }
      long before = offHeapBytes();
      long heapBefore = heapUsedBytes();
      for (int i = 0; i < 400; i++) {
        oracle.scoreBatch(fixture.images, fixture.visibleSets);
      }
      long grown = offHeapBytes() - before;
      long heapGrown = heapUsedBytes() - heapBefore;
      System.out.printf(
          "memory over 400 oracle calls: native %+.1f MB, heap %+.1f MB%n",
          grown / 1e6, heapGrown / 1e6);
      // ND4J 1.0.0-M2.1's own session bookkeeping leaked 15.5 MB of heap over these 400 calls.
      assertThat(heapGrown).as("live heap bytes grown over 400 calls").isLessThan(2L << 20);
      // Leaking one call's input arrays alone grows this by ~0.3 MB per call, 130 MB over the
      // window (seen when the inputs were deliberately not closed); a flat run stays within a
      // few MB of allocator noise.
      assertThat(grown).as("resident non-heap bytes grown over 400 calls").isLessThan(64L << 20);
    }
  }

  /** Live heap bytes after collection. */
  private static long heapUsedBytes() {
    offHeapBytes();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * Resident memory outside the Java heap (ND4J's buffers live there), after garbage collection:
   * ND4J frees some buffers only when their Java objects are collected, on its own deallocator
   * threads, so we collect and give those threads time before reading.
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
