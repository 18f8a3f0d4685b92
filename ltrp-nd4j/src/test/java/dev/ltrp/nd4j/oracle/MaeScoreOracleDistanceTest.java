package dev.ltrp.nd4j.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconstruction distance, checked against the oracle's own reconstructions: with mask-token
 * removal, removing visible patch {@code v} from {@code V} gives exactly the anchor reconstruction
 * of {@code V \ {v}}, so {@code v}'s score must be the distance between the two anchors over the
 * patches masked in {@code V}.
 */
class MaeScoreOracleDistanceTest {

  private static TinyMaeFixture fixture;
  private static MaeWeights weights;

  @BeforeAll
  static void load() {
    fixture = new TinyMaeFixture();
    weights = fixture.weights("mae.pth");
  }

  @Test
  void l1AndL2ScoresAreTheMeanAbsoluteAndSquaredChangeOfTheReconstruction() {
    check(ReconstructionDistance.L1, Math::abs);
    check(ReconstructionDistance.L2, d -> d * d);
  }

  @Test
  void l2IsNotL1() {
    ImageTensor image = fixture.images.get(0);
    VisibleSet visible = fixture.visibleSets.get(0);
    try (MaeScoreOracle l1 = MaeScoreOracle.create(weights);
        MaeScoreOracle l2 =
            MaeScoreOracle.builder(weights).optDistance(ReconstructionDistance.L2).build()) {
      assertThat(l2.distance()).isEqualTo(ReconstructionDistance.L2);
      assertThat(l2.toString()).contains("distance l2");
      assertThat(l2.score(image, visible).scores()).isNotEqualTo(l1.score(image, visible).scores());
    }
  }

  @Test
  void unknownDistanceNamesAreRejectedListingTheAcceptedOnes() {
    assertThat(ReconstructionDistance.parse(" L2 ")).isEqualTo(ReconstructionDistance.L2);
    assertThatThrownBy(() -> ReconstructionDistance.parse("cosine"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cosine'")
        .hasMessageContaining("l1 or l2");
  }

  private static void check(ReconstructionDistance distance, DoubleUnaryOperator elementwise) {
    ImageTensor image = fixture.images.get(1);
    VisibleSet visible = fixture.visibleSets.get(1);
    int[] patches = visible.patches();
    int numPatches = visible.grid().numPatches();
    try (MaeScoreOracle oracle =
        MaeScoreOracle.builder(weights)
            .optRemovalMode(RemovalMode.MASK_TOKEN)
            .optDistance(distance)
            .build()) {
      float[] anchor = oracle.scoreWithReconstruction(image, visible).anchorPatches();
      PatchScores scores = oracle.score(image, visible);
      int dim = anchor.length / numPatches;
      for (int i = 0; i < patches.length; i++) {
        int removed = patches[i];
        VisibleSet without =
            VisibleSet.of(
                visible.grid(), Arrays.stream(patches).filter(p -> p != removed).toArray());
        float[] other = oracle.scoreWithReconstruction(image, without).anchorPatches();
        double sum = 0;
        int masked = 0;
        for (int p = 0; p < numPatches; p++) {
          if (visible.contains(p)) {
            continue;
          }
          masked++;
          double patchMean = 0;
          for (int d = 0; d < dim; d++) {
            patchMean += elementwise.applyAsDouble(other[p * dim + d] - anchor[p * dim + d]);
          }
          sum += patchMean / dim;
        }
        double expected = sum / masked;
        // Both sides are float32 reconstructions of the same graph with different batch layouts:
        // agreement to float32 rounding of values of order 1 (relative 1e-4 of the score).
        assertThat((double) scores.scoreOf(removed))
            .as("%s score of patch %d", distance, removed)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * expected + 1e-7));
      }
    }
  }
}
