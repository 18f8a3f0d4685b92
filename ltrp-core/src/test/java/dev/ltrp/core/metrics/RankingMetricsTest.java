package dev.ltrp.core.metrics;

import static dev.ltrp.core.metrics.RankingMetrics.kendallTauB;
import static dev.ltrp.core.metrics.RankingMetrics.ndcgAtK;
import static dev.ltrp.core.metrics.RankingMetrics.spearmanRho;
import static dev.ltrp.core.metrics.RankingMetrics.topKOverlap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. The n = 5 values were also checked with an independent pair-loop
 * implementation in numpy (scipy is not available here); the formulas in the comments are the hand
 * derivations.
 */
class RankingMetricsTest {

  private static final double EPS = 1e-12;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  private static final float[] EMPTY = {};

  // ---- Kendall tau-b ----

  @Test
  void tauIsOneForTheSameOrderAndMinusOneForTheReversedOrder() {
    float[] a = {0.1f, 0.5f, 0.2f, 0.9f, -3f};
    float[] sameOrder = {1f, 50f, 2f, 100f, -1f};
    float[] reversed = {-0.1f, -0.5f, -0.2f, -0.9f, 3f};
    assertThat(kendallTauB(a, sameOrder)).isEqualTo(1.0);
    assertThat(kendallTauB(a, reversed)).isEqualTo(-1.0);
    assertThat(kendallTauB(new float[] {1, 2}, new float[] {3, 4})).isEqualTo(1.0);
    assertThat(kendallTauB(new float[] {1, 2}, new float[] {4, 3})).isEqualTo(-1.0);
  }

  @Test
  void tauOfThreeItemsWithOneSwap() {
    // Pairs (0,1) and (0,2) concordant, (1,2) discordant: (2 - 1) / 3.
    assertThat(kendallTauB(new float[] {1, 2, 3}, new float[] {1, 3, 2}))
        .isCloseTo(1.0 / 3, within(EPS));
  }

  @Test
  void tauOfFiveItems() {
    // Ranks: predicted [1,4,3,5,2], target [3,2,4,5,1]; 7 concordant, 3 discordant of 10 pairs.
    float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.2f};
    float[] t = {0.3f, 0.2f, 0.5f, 0.9f, 0.1f};
    assertThat(kendallTauB(p, t)).isCloseTo(0.4, within(EPS));
  }

  @Test
  void tauBCorrectsForTies() {
    // Pair (0,1) tied in predicted only, (0,2) and (1,2) concordant: 2 / sqrt((3 - 1)(3 - 0)).
    assertThat(kendallTauB(new float[] {1, 1, 2}, new float[] {1, 2, 3}))
        .isCloseTo(2 / Math.sqrt(6), within(EPS));
    // predicted [1,2,2,3,1], target [5,3,4,1,2]: C = 2, D = 6, 2 ties in predicted, none in
    // target: (2 - 6) / sqrt((10 - 2)(10 - 0)) = -4 / sqrt(80).
    assertThat(kendallTauB(new float[] {1, 2, 2, 3, 1}, new float[] {5, 3, 4, 1, 2}))
        .isCloseTo(-4 / Math.sqrt(80), within(EPS));
  }

  @Test
  void tauTreatsNegativeZeroAsATie() {
    assertThat(kendallTauB(new float[] {-0f, 0f, 1f}, new float[] {1, 2, 3}))
        .isCloseTo(2 / Math.sqrt(6), within(EPS));
  }

  @Test
  void tauIsNaNWhenUndefined() {
    assertThat(kendallTauB(EMPTY, EMPTY)).isNaN();
    assertThat(kendallTauB(new float[] {1}, new float[] {2})).isNaN();
    assertThat(kendallTauB(new float[] {4, 4, 4}, new float[] {1, 2, 3})).isNaN();
    assertThat(kendallTauB(new float[] {1, 2, 3}, new float[] {7, 7, 7})).isNaN();
  }

  @Test
  void infiniteScoresOrderLikeAnyOther() {
    float inf = Float.POSITIVE_INFINITY;
    assertThat(kendallTauB(new float[] {-inf, 0, inf}, new float[] {1, 2, 3})).isEqualTo(1.0);
    assertThat(spearmanRho(new float[] {-inf, 0, inf}, new float[] {1, 2, 3})).isEqualTo(1.0);
  }

  // ---- Spearman rho ----

  @Test
  void rhoIsOneForTheSameOrderAndMinusOneForTheReversedOrder() {
    float[] a = {3f, 1f, 2f, 10f, 5f};
    assertThat(spearmanRho(a, new float[] {30f, 10f, 20f, 1000f, 50f})).isCloseTo(1.0, within(EPS));
    assertThat(spearmanRho(a, new float[] {-3f, -1f, -2f, -10f, -5f})).isCloseTo(-1.0, within(EPS));
    assertThat(spearmanRho(new float[] {1, 2}, new float[] {2, 1})).isCloseTo(-1.0, within(EPS));
  }

  @Test
  void rhoOfThreeAndFiveItems() {
    // Rank differences [0, 1, -1]: 1 - 6·2 / (3·8).
    assertThat(spearmanRho(new float[] {1, 2, 3}, new float[] {1, 3, 2}))
        .isCloseTo(0.5, within(EPS));
    // Rank differences [-2, 2, -1, 0, 1], sum of squares 10: 1 - 6·10 / (5·24).
    float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.2f};
    float[] t = {0.3f, 0.2f, 0.5f, 0.9f, 0.1f};
    assertThat(spearmanRho(p, t)).isCloseTo(0.5, within(EPS));
  }

  @Test
  void rhoAveragesTiedRanks() {
    // Ranks [1.5, 1.5, 3] vs [1, 2, 3]: centred [-.5, -.5, 1]·[-1, 0, 1] = 1.5 over sqrt(1.5·2).
    assertThat(spearmanRho(new float[] {1, 1, 2}, new float[] {1, 2, 3}))
        .isCloseTo(1.5 / Math.sqrt(3), within(EPS));
    // Ranks [1.5, 3.5, 3.5, 5, 1.5] vs [5, 3, 4, 1, 2], centred on 3: co-moment -5, sums of
    // squares 9 and 10.
    assertThat(spearmanRho(new float[] {1, 2, 2, 3, 1}, new float[] {5, 3, 4, 1, 2}))
        .isCloseTo(-5 / Math.sqrt(90), within(EPS));
  }

  @Test
  void rhoIsNaNWhenUndefined() {
    assertThat(spearmanRho(EMPTY, EMPTY)).isNaN();
    assertThat(spearmanRho(new float[] {1}, new float[] {1})).isNaN();
    assertThat(spearmanRho(new float[] {2, 2}, new float[] {1, 2})).isNaN();
    assertThat(spearmanRho(new float[] {1, 2, 3}, new float[] {0, 0, 0})).isNaN();
  }

  @Test
  void averageRanksMatchScipyRankdata() {
    assertThat(RankingMetrics.averageRanks(new float[] {10, 20, 10, 30, 10}))
        .containsExactly(2, 4, 2, 5, 2);
    assertThat(RankingMetrics.averageRanks(EMPTY)).isEmpty();
  }

  // ---- NDCG@k ----

  @Test
  void ndcgIsOneForThePerfectOrderAtEveryK() {
    float[] t = {0.2f, -1f, 3f, 0.5f};
    float[] p = {2f, 1f, 4f, 3f};
    for (int k = 1; k <= 6; k++) {
      assertThat(ndcgAtK(p, t, k)).as("k=%d", k).isCloseTo(1.0, within(EPS));
    }
  }

  @Test
  void ndcgOfTheReversedOrderOfThree() {
    // Gains by target rank: item 0 → 1, item 1 → 2/3, item 2 → 1/3. Predicted order 2, 1, 0.
    float[] t = {3, 2, 1};
    float[] p = {1, 2, 3};
    double dcg = 1.0 / 3 + (2.0 / 3) / LOG2_3 + 1.0 / 2;
    double idcg = 1.0 + (2.0 / 3) / LOG2_3 + (1.0 / 3) / 2;
    assertThat(ndcgAtK(p, t, 3)).isCloseTo(dcg / idcg, within(EPS));
    assertThat(ndcgAtK(p, t, 1)).isCloseTo(1.0 / 3, within(EPS));
  }

  @Test
  void ndcgOfFiveItems() {
    // Gains = target ranks / 5 = [.6, .4, .8, 1, .2]; predicted top 2 = items 3, 1.
    float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.2f};
    float[] t = {0.3f, 0.2f, 0.5f, 0.9f, 0.1f};
    assertThat(ndcgAtK(p, t, 2)).isCloseTo((1 + 0.4 / LOG2_3) / (1 + 0.8 / LOG2_3), within(EPS));
  }

  @Test
  void ndcgBreaksPredictedTiesByLowerIndexAndSharesTiedGains() {
    // Predicted ties 0 and 1 → item 0 first. Gains [1/3, 2/3, 1].
    assertThat(ndcgAtK(new float[] {1, 1, 2}, new float[] {1, 2, 3}, 2))
        .isCloseTo((1 + (1.0 / 3) / LOG2_3) / (1 + (2.0 / 3) / LOG2_3), within(EPS));
    // Target items 1 and 2 tie and share a gain: ranks [1, 2.5, 2.5] → gains [1/3, 5/6, 5/6].
    assertThat(ndcgAtK(new float[] {3, 2, 1}, new float[] {1, 5, 5}, 1))
        .isCloseTo((1.0 / 3) / (5.0 / 6), within(EPS));
  }

  @Test
  void ndcgOfAConstantTargetIsOne() {
    assertThat(ndcgAtK(new float[] {3, 1, 2}, new float[] {7, 7, 7}, 2))
        .isCloseTo(1.0, within(EPS));
  }

  @Test
  void ndcgClampsKAndHandlesOneAndZeroItems() {
    assertThat(ndcgAtK(new float[] {5}, new float[] {-2}, 1)).isEqualTo(1.0);
    assertThat(ndcgAtK(new float[] {5}, new float[] {-2}, 10)).isEqualTo(1.0);
    float[] p = {1, 2, 3};
    float[] t = {3, 2, 1};
    assertThat(ndcgAtK(p, t, 100)).isEqualTo(ndcgAtK(p, t, 3));
    assertThat(ndcgAtK(EMPTY, EMPTY, 3)).isNaN();
  }

  @Test
  void ndcgStaysInTheUnitInterval() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(12);
      float[] p = new float[n];
      float[] t = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = random.nextInt(4);
        t[i] = random.nextInt(4) - 2;
      }
      int k = 1 + random.nextInt(n + 2);
      assertThat(ndcgAtK(p, t, k)).isGreaterThan(0).isLessThanOrEqualTo(1.0);
    }
  }

  // ---- top-k overlap ----

  @Test
  void overlapCountsCommonTopItems() {
    float[] p = {5, 4, 3, 2, 1};
    float[] t = {1, 2, 3, 4, 5};
    assertThat(topKOverlap(p, t, 2)).isEqualTo(0.0);
    assertThat(topKOverlap(p, t, 3)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(topKOverlap(p, p, 2)).isEqualTo(1.0);
    float[] p5 = {0.1f, 0.4f, 0.35f, 0.8f, 0.2f};
    float[] t5 = {0.3f, 0.2f, 0.5f, 0.9f, 0.1f};
    assertThat(topKOverlap(p5, t5, 2)).isEqualTo(0.5);
  }

  @Test
  void overlapBreaksTiesByLowerIndex() {
    // All predicted tied → top 2 = {0, 1}; target top 2 = {1, 3}.
    assertThat(topKOverlap(new float[] {0, 0, 0, 0}, new float[] {1, 4, 2, 3}, 2)).isEqualTo(0.5);
    // Target tied at the cut: {2, 3} both 5 → item 2 wins; predicted top 2 = {0, 3}.
    assertThat(topKOverlap(new float[] {9, 1, 2, 8}, new float[] {6, 0, 5, 5}, 2)).isEqualTo(0.5);
  }

  @Test
  void overlapClampsKToN() {
    assertThat(topKOverlap(new float[] {1, 2, 3}, new float[] {3, 2, 1}, 3)).isEqualTo(1.0);
    assertThat(topKOverlap(new float[] {1, 2, 3}, new float[] {3, 2, 1}, 50)).isEqualTo(1.0);
    assertThat(topKOverlap(new float[] {1}, new float[] {0}, 1)).isEqualTo(1.0);
    assertThat(topKOverlap(EMPTY, EMPTY, 1)).isNaN();
  }

  @Test
  void descendingOrderMatchesPatchScoresRanking() {
    assertThat(RankingMetrics.descendingOrder(new float[] {1, 3, 3, -2, 3}))
        .containsExactly(1, 2, 4, 0, 3);
  }

  // ---- caller mistakes ----

  @Test
  void mismatchedLengthsAreRejectedByEveryMetric() {
    float[] a = {1, 2, 3};
    float[] b = {1, 2};
    for (Runnable call :
        new Runnable[] {
          () -> kendallTauB(a, b),
          () -> spearmanRho(a, b),
          () -> ndcgAtK(a, b, 1),
          () -> topKOverlap(a, b, 1)
        }) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3")
          .hasMessageContaining("2");
    }
  }

  @Test
  void nanIsRejectedNamingTheSideAndIndex() {
    float[] ok = {1, 2, 3};
    float[] bad = {1, Float.NaN, 3};
    assertThatThrownBy(() -> kendallTauB(bad, ok))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("predicted[1]");
    assertThatThrownBy(() -> spearmanRho(ok, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target[1]");
    assertThatThrownBy(() -> ndcgAtK(ok, bad, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> topKOverlap(bad, ok, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kBelowOneIsRejected() {
    float[] a = {1, 2};
    assertThatThrownBy(() -> ndcgAtK(a, a, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> topKOverlap(a, a, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> kendallTauB(null, EMPTY)).isInstanceOf(NullPointerException.class);
  }
}
