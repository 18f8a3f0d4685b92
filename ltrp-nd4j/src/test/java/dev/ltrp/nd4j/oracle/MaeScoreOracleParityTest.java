package dev.ltrp.nd4j.oracle;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.PatchScores;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.core.testing.ArrayAssertions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batched ND4J oracle against the unbatched PyTorch reference (float64) on the tiny-MAE
 * fixture, in all three removal modes, from both checkpoint formats.
 *
 * <p>Tolerances: scores are means of absolute differences of two float32 reconstructions whose
 * values are O(1) while the scores are O(1e-2), so float32 rounding (~6e-8 relative per operation,
 * a few hundred operations deep) leaves about 1e-6 absolute error in each reconstruction and up to
 * ~1e-5 relative error in a score; PyTorch's own float32 run differs from float64 by up to 3.5e-6
 * (expected.json). We require 1e-4 relative, as the issue does, and print the observed maximum.
 */
class MaeScoreOracleParityTest {

  private static final double SCORE_RTOL = 1e-4;
  private static final double ANCHOR_ATOL = 2e-5;

  private static TinyMaeFixture fixture;
  private static MaeWeights fromPth;

  @BeforeAll
  static void load() {
    fixture = new TinyMaeFixture();
    fromPth = fixture.weights("mae.pth");
  }

  @ParameterizedTest
  @EnumSource(RemovalMode.class)
  void batchedScoresMatchThePyTorchReference(RemovalMode mode) {
    try (MaeScoreOracle oracle = MaeScoreOracle.builder(fromPth).optRemovalMode(mode).build()) {
      List<PatchScores> scores = oracle.scoreBatch(fixture.images, fixture.visibleSets);
      double worst = 0;
      for (int i = 0; i < scores.size(); i++) {
        float[] expected = fixture.expectedScores(mode.cliName(), i);
        assertThat(scores.get(i).patches()).isEqualTo(fixture.visibleSets.get(i).patches());
        assertAllClose(mode + " image " + i, scores.get(i).scores(), expected, SCORE_RTOL, 0);
        worst =
            Math.max(worst, ArrayAssertions.maxRelDiff(scores.get(i).scores(), expected, 1e-12));
      }
      System.out.printf(
          "parity %s: max relative score error vs PyTorch float64 = %.3g%n", mode, worst);
    }
  }

  @Test
  void anchorReconstructionMatchesThePyTorchReference() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(fromPth)) {
      List<OracleResult> results =
          oracle.scoreBatchWithReconstruction(fixture.images, fixture.visibleSets);
      for (int i = 0; i < results.size(); i++) {
        float[] expected = fixture.expectedAnchor(i);
        assertAllClose("anchor " + i, results.get(i).anchorPatches(), expected, 0, ANCHOR_ATOL);
        System.out.printf(
            "parity anchor %d: max abs error = %.3g%n",
            i, ArrayAssertions.maxAbsDiff(results.get(i).anchorPatches(), expected));
      }
    }
  }

  @Test
  void safetensorsAndPthCheckpointsGiveIdenticalScores() {
    MaeWeights fromSafetensors = fixture.weights("mae.safetensors");
    try (MaeScoreOracle a = MaeScoreOracle.create(fromPth);
        MaeScoreOracle b = MaeScoreOracle.create(fromSafetensors)) {
      assertThat(b.scoreBatch(fixture.images, fixture.visibleSets))
          .isEqualTo(a.scoreBatch(fixture.images, fixture.visibleSets));
    }
  }

  @Test
  void singleImageCallsAgreeWithTheBatch() {
    try (MaeScoreOracle oracle = MaeScoreOracle.create(fromPth)) {
      List<PatchScores> batch = oracle.scoreBatch(fixture.images, fixture.visibleSets);
      for (int i = 0; i < fixture.images.size(); i++) {
        PatchScores single = oracle.score(fixture.images.get(i), fixture.visibleSets.get(i));
        // Different batch sizes may take different BLAS blocking paths: float32 rounding only.
        assertAllClose("image " + i, single.scores(), batch.get(i).scores(), 1e-5, 1e-9);
      }
    }
  }

  @Test
  void smallChunksGiveTheSameScoresAsOnePass() {
    try (MaeScoreOracle whole = MaeScoreOracle.create(fromPth);
        MaeScoreOracle chunked = MaeScoreOracle.builder(fromPth).optMaxDecoderRows(1).build()) {
      List<PatchScores> a = whole.scoreBatch(fixture.images, fixture.visibleSets);
      List<PatchScores> b = chunked.scoreBatch(fixture.images, fixture.visibleSets);
      for (int i = 0; i < a.size(); i++) {
        assertAllClose("image " + i, b.get(i).scores(), a.get(i).scores(), 1e-5, 1e-9);
      }
    }
  }
}
