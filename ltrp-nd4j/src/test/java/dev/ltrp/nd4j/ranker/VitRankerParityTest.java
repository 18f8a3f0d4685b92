package dev.ltrp.nd4j.ranker;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.ArrayAssertions;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ND4J ranker against the PyTorch reference (float64) on the tiny-ranker fixture.
 *
 * <p>Tolerance: logits are O(1) (−2.2 to 1.9); float32 through 2 blocks leaves ~1e-6 absolute error
 * (PyTorch's own float32 run: 8.1e-7 full, 1.1e-6 asymmetric), so we allow 1e-5 absolute.
 */
class VitRankerParityTest {

  private static final double ATOL = 1e-5;
  private static TinyRankerFixture fixture;

  @BeforeAll
  static void load() {
    fixture = new TinyRankerFixture();
  }

  @Test
  void fullImageLogitsMatchTheReferenceFromBothFormats() {
    float[] expected = Fixtures.readF32(TinyRankerFixture.DIR + "logits_full.f32");
    for (String file : new String[] {"ranker.safetensors", "ranker.pth"}) {
      try (VitRanker ranker = VitRanker.create(fixture.weights(file))) {
        List<PatchScores> scores = ranker.rankBatch(fixture.images);
        float[] actual = new float[2 * 64];
        for (int i = 0; i < 2; i++) {
          assertThat(scores.get(i).isDense()).isTrue();
          System.arraycopy(scores.get(i).scores(), 0, actual, i * 64, 64);
        }
        assertAllClose(file + " full logits", actual, expected, 0, ATOL);
        System.out.printf(
            "ranker parity (%s): max abs logit error %.3g%n",
            file, ArrayAssertions.maxAbsDiff(actual, expected));
        // One image alone takes other GEMM blocking paths than two: float32 rounding only.
        assertAllClose(
            "single vs batch",
            ranker.rank(fixture.images.get(1)).scores(),
            scores.get(1).scores(),
            0,
            1e-6);
      }
    }
  }

  @Test
  void asymmetricModeLogitsMatchTheReference() {
    float[] expected = Fixtures.readF32(TinyRankerFixture.DIR + "logits_asym.f32");
    RankerWeights weights = fixture.weights("ranker.safetensors");
    SameDiff sd = SameDiff.create();
    RankerGraph.declareWeights(sd, weights, false, DataType.FLOAT);
    RankerGraph.logits(sd, weights.config(), DataType.FLOAT);
    float[] pos = weights.tensor("pos_embed").toArray();
    int n = 16;
    float[] patches = new float[2 * n * 48];
    float[] positions = new float[2 * n * 48];
    for (int b = 0; b < 2; b++) {
      for (int j = 0; j < n; j++) {
        int patch = fixture.visible[b][j];
        fixture
            .images
            .get(b)
            .patchVector(weights.config().grid(), patch, patches, (b * n + j) * 48);
        System.arraycopy(pos, (1 + patch) * 48, positions, (b * n + j) * 48, 48);
      }
    }
    Map<String, INDArray> in =
        Map.of(
            RankerGraph.PATCHES, GraphArrays.floats(patches, 2, n, 48),
            RankerGraph.POSITIONS, GraphArrays.floats(positions, 2, n, 48));
    float[] actual =
        GraphArrays.toFloats(sd.output(in, RankerGraph.LOGITS).get(RankerGraph.LOGITS));
    assertAllClose("asymmetric logits", actual, expected, 0, ATOL);
  }

  @Test
  void savedRankersReloadWithTheirArchitecture(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    RankerWeights weights = fixture.weights("ranker.pth");
    java.nio.file.Path file = dir.resolve("ranker.safetensors");
    weights.save(file);
    assertThat(RankerWeights.sidecar(file)).exists();
    RankerWeights reloaded = RankerWeights.load(file, null); // config from the file's metadata
    assertThat(reloaded.config()).isEqualTo(weights.config());
    assertThat(reloaded.stateDict()).isEqualTo(weights.stateDict());
  }

  @Test
  void wrongImagesAndUseAfterCloseAreRejected() {
    VitRanker ranker = VitRanker.create(fixture.weights("ranker.safetensors"));
    ImageTensor small = ImageTensor.of(3, 16, 16, new float[3 * 16 * 16]);
    assertThatThrownBy(() -> ranker.rank(small))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3x16x16");
    ranker.close();
    ranker.close();
    assertThatThrownBy(() -> ranker.rank(fixture.images.get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
