package dev.ltrp.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingReportTest {

  private static final float[] P = {0.1f, 0.4f, 0.35f, 0.8f, 0.2f};
  private static final float[] T = {0.3f, 0.2f, 0.5f, 0.9f, 0.1f};

  @Test
  void ofComputesTheFourMetrics() {
    RankingReport r = RankingReport.of(P, T, 2);
    assertThat(r.kendallTau()).isEqualTo(RankingMetrics.kendallTauB(P, T));
    assertThat(r.spearman()).isEqualTo(RankingMetrics.spearmanRho(P, T));
    assertThat(r.ndcgAtK()).isEqualTo(RankingMetrics.ndcgAtK(P, T, 2));
    assertThat(r.topKOverlap()).isEqualTo(0.5);
    assertThat(r.k()).isEqualTo(2);
  }

  @Test
  void ofPatchScoresComparesOnTheTargetsPatches() {
    PatchGrid grid = PatchGrid.of(4, 1); // 16 patches
    float[] dense = new float[16];
    for (int i = 0; i < 16; i++) {
      dense[i] = 100 - i; // patch 0 best
    }
    PatchScores predicted = PatchScores.dense(grid, dense);
    // An oracle round over patches 2, 5, 9, scored in the same order as predicted.
    PatchScores oracleRound = PatchScores.of(grid, new int[] {2, 5, 9}, new float[] {3, 2, 1});
    RankingReport report = RankingReport.of(predicted, oracleRound, 1);
    assertThat(report).isEqualTo(new RankingReport(1.0, 1.0, 1.0, 1.0, 1));

    PatchScores sparsePrediction = PatchScores.of(grid, new int[] {9, 5, 2}, new float[] {3, 2, 1});
    RankingReport reversed = RankingReport.of(sparsePrediction, oracleRound, 3);
    assertThat(reversed.kendallTau()).isEqualTo(-1.0);
    assertThat(reversed.topKOverlap()).isEqualTo(1.0);

    PatchScores missing = PatchScores.of(grid, new int[] {2, 5}, new float[] {1, 2});
    assertThatThrownBy(() -> RankingReport.of(missing, oracleRound, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9");
    PatchScores otherGrid = PatchScores.dense(PatchGrid.of(2, 1), new float[] {1, 2, 3, 4});
    assertThatThrownBy(() -> RankingReport.of(otherGrid, oracleRound, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void meanAveragesEachComponentSkippingNaN() {
    RankingReport a = new RankingReport(1.0, 0.5, 0.9, 1.0, 3);
    RankingReport b = new RankingReport(Double.NaN, -0.5, 0.7, 0.0, 3);
    RankingReport c = new RankingReport(0.0, Double.NaN, 0.8, 0.5, 3);
    RankingReport mean = RankingReport.mean(List.of(a, b, c));
    assertThat(mean.kendallTau()).isCloseTo(0.5, within(1e-12));
    assertThat(mean.spearman()).isCloseTo(0.0, within(1e-12));
    assertThat(mean.ndcgAtK()).isCloseTo(0.8, within(1e-12));
    assertThat(mean.topKOverlap()).isCloseTo(0.5, within(1e-12));
    assertThat(mean.k()).isEqualTo(3);

    RankingReport allNaN = new RankingReport(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 3);
    assertThat(RankingReport.mean(List.of(allNaN, allNaN)).kendallTau()).isNaN();
    assertThat(RankingReport.mean(List.of(a))).isEqualTo(a);
  }

  @Test
  void meanRejectsEmptyInputAndMixedK() {
    assertThatThrownBy(() -> RankingReport.mean(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    RankingReport k2 = new RankingReport(1, 1, 1, 1, 2);
    RankingReport k5 = new RankingReport(1, 1, 1, 1, 5);
    assertThatThrownBy(() -> RankingReport.mean(List.of(k2, k5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2")
        .hasMessageContaining("5");
  }

  @Test
  void reportOfDegenerateInputsIsNaNWhereUndefined() {
    RankingReport empty = RankingReport.of(new float[0], new float[0], 5);
    assertThat(empty.kendallTau()).isNaN();
    assertThat(empty.ndcgAtK()).isNaN();
    RankingReport constant = RankingReport.of(new float[] {1, 1, 1}, new float[] {1, 2, 3}, 2);
    assertThat(constant.kendallTau()).isNaN();
    assertThat(constant.spearman()).isNaN();
    assertThat(constant.topKOverlap()).isEqualTo(0.5);
  }

  @Test
  void kMustBePositive() {
    assertThatThrownBy(() -> new RankingReport(1, 1, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> RankingReport.of(P, T, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
