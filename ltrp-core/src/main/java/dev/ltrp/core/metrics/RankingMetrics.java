package dev.ltrp.core.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Agreement between a predicted ranking and a target ranking of the same items (typically a
 * ranker's logits against oracle scores of one image's patches).
 *
 * <p>Every method takes {@code predicted} and {@code target}, two arrays of equal length {@code n}
 * holding one score per item ({@code predicted[i]} and {@code target[i]} belong to item {@code i});
 * a higher score means a more important item. All four metrics depend only on the order of the
 * scores, never on their scale, so raw oracle scores, rank quantiles and unnormalized logits can be
 * compared directly. Infinite scores are accepted (they order like any other value); NaN is not.
 *
 * <p>Conventions shared by all methods:
 *
 * <ul>
 *   <li><b>Undefined results are NaN.</b> A correlation is undefined when fewer than two items are
 *       given or when either side is constant (every pair tied); every metric is undefined for
 *       {@code n = 0}. NaN, rather than 0 or an exception, lets a caller average over many images
 *       and skip the degenerate ones (see {@link RankingReport#mean}), as scipy does.
 *   <li><b>Ties in an order are broken by the lower item index</b>, as {@code
 *       PatchScores.ranking()} does, wherever a metric needs one order (the top {@code k}); equal
 *       values ({@code -0.0 == 0.0}) are ties.
 *   <li><b>{@code k} larger than {@code n} is clamped to {@code n}</b>; {@code k < 1} is a caller
 *       mistake.
 * </ul>
 *
 * <p>Complexity: the rank correlations are {@code O(n²)} and {@code O(n log n)}, fine for the
 * {@code n ≤ 1024} patches of an image. Stateless and thread-safe; inputs are never modified.
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * Kendall's rank correlation τ-b, which corrects for ties on either side: {@code (C − D) /
   * sqrt((n₀ − n₁)(n₀ − n₂))} with {@code C}, {@code D} the concordant and discordant pairs, {@code
   * n₀ = n(n−1)/2}, and {@code n₁}, {@code n₂} the pairs tied in {@code predicted} and in {@code
   * target} (a pair tied on both sides counts in both and is neither concordant nor discordant).
   * Equals scipy's {@code kendalltau(x, y)} (variant "b").
   *
   * @return τ-b in {@code [−1, 1]}: 1 for the same order, −1 for the reversed order; NaN when
   *     {@code n < 2} or either side is constant
   * @throws IllegalArgumentException if the lengths differ or a value is NaN
   */
  public static double kendallTauB(float[] predicted, float[] target) {
    int n = checkPair(predicted, target);
    long concordant = 0;
    long discordant = 0;
    long tiedPredicted = 0;
    long tiedTarget = 0;
    for (int i = 0; i < n; i++) {
      float pi = predicted[i];
      float ti = target[i];
      for (int j = i + 1; j < n; j++) {
        int sp = sign(pi, predicted[j]);
        int st = sign(ti, target[j]);
        if (sp == 0) {
          tiedPredicted++;
        }
        if (st == 0) {
          tiedTarget++;
        }
        int product = sp * st;
        if (product > 0) {
          concordant++;
        } else if (product < 0) {
          discordant++;
        }
      }
    }
    long pairs = (long) n * (n - 1) / 2;
    double denominator = Math.sqrt((double) (pairs - tiedPredicted) * (pairs - tiedTarget));
    if (n < 2 || denominator == 0) {
      return Double.NaN;
    }
    return clamp((concordant - discordant) / denominator);
  }

  /**
   * Spearman's rank correlation ρ: the Pearson correlation of the two sides' ranks, tied values
   * sharing the mean of the ranks they span. Equals scipy's {@code spearmanr(x, y).statistic}.
   *
   * @return ρ in {@code [−1, 1]}: 1 for the same order, −1 for the reversed order; NaN when {@code
   *     n < 2} or either side is constant
   * @throws IllegalArgumentException if the lengths differ or a value is NaN
   */
  public static double spearmanRho(float[] predicted, float[] target) {
    int n = checkPair(predicted, target);
    if (n < 2) {
      return Double.NaN;
    }
    double[] rp = averageRanks(predicted);
    double[] rt = averageRanks(target);
    // Both rank vectors have mean (n + 1) / 2 exactly, whatever the ties.
    double mean = (n + 1) / 2.0;
    double cov = 0;
    double varP = 0;
    double varT = 0;
    for (int i = 0; i < n; i++) {
      double dp = rp[i] - mean;
      double dt = rt[i] - mean;
      cov += dp * dt;
      varP += dp * dp;
      varT += dt * dt;
    }
    if (varP == 0 || varT == 0) {
      return Double.NaN;
    }
    return clamp(cov / Math.sqrt(varP * varT));
  }

  /**
   * Normalized discounted cumulative gain of the top {@code k} items of {@code predicted}, with
   * relevance taken from the <b>rank</b> of each item in {@code target}.
   *
   * <p>Gain: item {@code i} has relevance {@code rel_i = (n − r_i) / n}, where {@code r_i} is its
   * 0-based position in {@code target} sorted by descending score, tied items sharing the mean of
   * their positions. The target's best item has gain 1, its worst {@code 1/n}; gains lie in {@code
   * (0, 1]}. Rank-based gains rather than the raw target scores because oracle scores are on an
   * arbitrary, per-image scale (raw L1 differences, often heavy-tailed, or rank quantiles), can be
   * negative for other teachers, and would let one outlier patch dominate the metric; ranks make
   * NDCG comparable across images and consistent with the order-only losses and the other metrics
   * here. A constant target gives every item the same gain, so every order is ideal and NDCG is 1.
   *
   * <p>{@code DCG@k = Σ_{j<k} rel_{π(j)} / log2(j + 2)} where {@code π} orders the items by
   * descending {@code predicted} (ties to the lower index); the ideal {@code IDCG@k} uses the gains
   * sorted descending (the target's own order). Result {@code DCG@k / IDCG@k}.
   *
   * @param k how many top items count; clamped to {@code n}
   * @return NDCG@k in {@code (0, 1]}; NaN when {@code n = 0}
   * @throws IllegalArgumentException if {@code k < 1}, the lengths differ or a value is NaN
   */
  public static double ndcgAtK(float[] predicted, float[] target, int k) {
    int n = checkPair(predicted, target);
    checkK(k);
    if (n == 0) {
      return Double.NaN;
    }
    int top = Math.min(k, n);
    double[] gains = rankGains(target);
    int[] order = descendingOrder(predicted);
    double[] ideal = gains.clone();
    Arrays.sort(ideal);
    double dcg = 0;
    double idcg = 0;
    for (int j = 0; j < top; j++) {
      double discount = Math.log(j + 2) / Math.log(2);
      dcg += gains[order[j]] / discount;
      idcg += ideal[n - 1 - j] / discount;
    }
    return Math.min(1.0, dcg / idcg);
  }

  /**
   * The fraction of the target's top {@code k} items that are also among the predicted top {@code
   * k}: {@code |topK(predicted) ∩ topK(target)| / k}, each top-{@code k} taken by descending score
   * with ties broken by the lower index.
   *
   * @param k the size of each top set; clamped to {@code n}, so {@code k ≥ n} gives 1
   * @return the overlap in {@code [0, 1]}; NaN when {@code n = 0}
   * @throws IllegalArgumentException if {@code k < 1}, the lengths differ or a value is NaN
   */
  public static double topKOverlap(float[] predicted, float[] target, int k) {
    int n = checkPair(predicted, target);
    checkK(k);
    if (n == 0) {
      return Double.NaN;
    }
    int top = Math.min(k, n);
    int[] byPredicted = descendingOrder(predicted);
    int[] byTarget = descendingOrder(target);
    boolean[] inTarget = new boolean[n];
    for (int j = 0; j < top; j++) {
      inTarget[byTarget[j]] = true;
    }
    int common = 0;
    for (int j = 0; j < top; j++) {
      if (inTarget[byPredicted[j]]) {
        common++;
      }
    }
    return (double) common / top;
  }

  /**
   * The item indices by descending score, ties broken by the lower index: the order {@code
   * PatchScores.ranking()} gives, used for the top {@code k} here.
   *
   * @throws IllegalArgumentException if a value is NaN
   */
  public static int[] descendingOrder(float[] scores) {
    Objects.requireNonNull(scores, "scores");
    checkNoNaN(scores, "scores");
    Integer[] boxed = new Integer[scores.length];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(
        boxed,
        (a, b) -> {
          int bySc = compare(scores[b], scores[a]);
          return bySc != 0 ? bySc : Integer.compare(a, b);
        });
    int[] out = new int[boxed.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = boxed[i];
    }
    return out;
  }

  /**
   * 1-based ascending ranks with ties averaged (scipy's {@code rankdata(method="average")}): the
   * smallest value has rank 1, and {@code m} tied values spanning ranks {@code a..a+m−1} each get
   * {@code a + (m−1)/2}.
   *
   * @throws IllegalArgumentException if a value is NaN
   */
  public static double[] averageRanks(float[] values) {
    Objects.requireNonNull(values, "values");
    checkNoNaN(values, "values");
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> compare(values[a], values[b]));
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && compare(values[order[end]], values[order[start]]) == 0) {
        end++;
      }
      // Positions start..end-1 (0-based) are tied: 1-based ranks start+1..end, mean
      // (start+1+end)/2.
      double rank = (start + 1 + end) / 2.0;
      for (int j = start; j < end; j++) {
        ranks[order[j]] = rank;
      }
      start = end;
    }
    return ranks;
  }

  /** The rank-based NDCG gains {@code (n − r_i) / n} described at {@link #ndcgAtK}. */
  private static double[] rankGains(float[] target) {
    int n = target.length;
    double[] ascending = averageRanks(target);
    double[] gains = new double[n];
    for (int i = 0; i < n; i++) {
      // The 1-based ascending rank a is n − r for the 0-based descending position r, so the gain
      // (n − r) / n is a / n.
      gains[i] = ascending[i] / n;
    }
    return gains;
  }

  /** Numeric comparison in which {@code -0.0} equals {@code 0.0}; inputs are never NaN here. */
  private static int compare(float a, float b) {
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  private static int sign(float a, float b) {
    return compare(b, a);
  }

  private static double clamp(double r) {
    return Math.max(-1.0, Math.min(1.0, r));
  }

  static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }

  /** Validates a (predicted, target) pair and returns its length. */
  static int checkPair(float[] predicted, float[] target) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(target, "target");
    if (predicted.length != target.length) {
      throw new IllegalArgumentException(
          "predicted has " + predicted.length + " scores but target has " + target.length);
    }
    checkNoNaN(predicted, "predicted");
    checkNoNaN(target, "target");
    return predicted.length;
  }

  private static void checkNoNaN(float[] values, String name) {
    for (int i = 0; i < values.length; i++) {
      if (Float.isNaN(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is NaN");
      }
    }
  }
}
