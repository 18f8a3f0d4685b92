package dev.ltrp.core.metrics;

import dev.ltrp.api.PatchScores;
import java.util.List;
import java.util.Objects;

/**
 * The four {@link RankingMetrics} of one predicted ranking against its target, or their mean over
 * many images.
 *
 * <p>A component is NaN where the metric is undefined (see {@link RankingMetrics}: fewer than two
 * items, a constant side). Immutable and thread-safe.
 *
 * @param kendallTau Kendall's τ-b, in {@code [−1, 1]} or NaN
 * @param spearman Spearman's ρ, in {@code [−1, 1]} or NaN
 * @param ndcgAtK NDCG@k with rank-based gains, in {@code (0, 1]} or NaN
 * @param topKOverlap top-{@code k} overlap, in {@code [0, 1]} or NaN
 * @param k the {@code k} requested for the two top-of-list metrics (before clamping to the number
 *     of items), at least 1
 */
public record RankingReport(
    double kendallTau, double spearman, double ndcgAtK, double topKOverlap, int k) {

  /** Validates {@code k}. */
  public RankingReport {
    RankingMetrics.checkK(k);
  }

  /**
   * Computes all four metrics of {@code predicted} against {@code target}.
   *
   * @throws IllegalArgumentException if {@code k < 1}, the lengths differ or a value is NaN
   */
  public static RankingReport of(float[] predicted, float[] target, int k) {
    RankingMetrics.checkPair(predicted, target);
    RankingMetrics.checkK(k);
    return new RankingReport(
        RankingMetrics.kendallTauB(predicted, target),
        RankingMetrics.spearmanRho(predicted, target),
        RankingMetrics.ndcgAtK(predicted, target, k),
        RankingMetrics.topKOverlap(predicted, target, k),
        k);
  }

  /**
   * Computes all four metrics over the patches that {@code target} scores: typically a ranker's
   * dense prediction against one oracle round, which scores only its visible patches. Item {@code
   * i} is {@code target.patch(i)}, with predicted score {@code predicted.scoreOf(target.patch(i))}.
   *
   * @throws IllegalArgumentException if the two are on different grids, {@code predicted} does not
   *     score a patch that {@code target} scores, or {@code k < 1}
   */
  public static RankingReport of(PatchScores predicted, PatchScores target, int k) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(target, "target");
    if (!predicted.grid().equals(target.grid())) {
      throw new IllegalArgumentException(
          "predicted is on " + predicted.grid() + " but target is on " + target.grid());
    }
    float[] t = target.scores();
    float[] p = new float[t.length];
    boolean dense = predicted.isDense();
    for (int i = 0; i < t.length; i++) {
      int patch = target.patch(i);
      p[i] = dense ? predicted.score(patch) : predicted.scoreOf(patch);
    }
    return of(p, t, k);
  }

  /**
   * The mean of each component over {@code reports}, skipping NaN components (numpy's {@code
   * nanmean}): a component is NaN only when it is NaN in every report. Skipping rather than
   * propagating keeps one degenerate image (a constant prediction, say) from voiding a whole data
   * set; a caller that must know can count the NaN components itself.
   *
   * @throws IllegalArgumentException if {@code reports} is empty or the reports differ in {@code k}
   */
  public static RankingReport mean(List<RankingReport> reports) {
    Objects.requireNonNull(reports, "reports");
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("cannot average an empty list of reports");
    }
    int k = reports.get(0).k();
    double[] sums = new double[4];
    int[] counts = new int[4];
    for (RankingReport r : reports) {
      Objects.requireNonNull(r, "a report is null");
      if (r.k() != k) {
        throw new IllegalArgumentException("reports have different k: " + k + " and " + r.k());
      }
      double[] values = {r.kendallTau(), r.spearman(), r.ndcgAtK(), r.topKOverlap()};
      for (int m = 0; m < 4; m++) {
        if (!Double.isNaN(values[m])) {
          sums[m] += values[m];
          counts[m]++;
        }
      }
    }
    double[] means = new double[4];
    for (int m = 0; m < 4; m++) {
      means[m] = counts[m] == 0 ? Double.NaN : sums[m] / counts[m];
    }
    return new RankingReport(means[0], means[1], means[2], means[3], k);
  }
}
