package dev.ltrp.eval;

import dev.ltrp.core.metrics.RankingReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of one {@link LtrpEvaluation} run: per ranker, keep ratio and seed, the downstream
 * accuracy; per ranker and seed, the ranking quality against the oracle; the unbiased experiment's
 * accuracies; and a Markdown rendering. Immutable after {@link Builder#build}.
 */
public final class EvaluationReport {

  public static final String LTRP = "LTRP";
  public static final String LTRP_HYBRID = "LTRP + diversity (ρ 0.7)";
  public static final String ORACLE = "Oracle (MAE score map)";
  public static final String RANDOM = "Random";
  public static final String VARIANCE = "Pixel variance";
  public static final String DPC_KNN = "DPC-KNN";
  public static final String SUPERVISED = "Supervised (classifier attention)";

  private final EvaluationSettings settings;
  private final double seconds;
  private final double[] fullAccuracy;
  private final Map<String, Map<Double, double[]>> accuracy;
  private final Map<String, List<RankingReport>> quality;
  private final Map<String, Map<Double, double[]>> unbiased;
  private final Map<String, double[][]> keptAtQuarter;

  private EvaluationReport(Builder b, double seconds) {
    this.settings = b.settings;
    this.seconds = seconds;
    this.fullAccuracy = b.fullAccuracy;
    this.accuracy = b.accuracy;
    this.quality = b.quality;
    this.unbiased = b.unbiased;
    this.keptAtQuarter = b.keptAtQuarter;
  }

  static Builder builder(EvaluationSettings settings) {
    return new Builder(settings);
  }

  public EvaluationSettings settings() {
    return settings;
  }

  /** Wall-clock seconds of the whole run. */
  public double seconds() {
    return seconds;
  }

  /** Accuracy with every patch, per seed. */
  public double[] fullAccuracy() {
    return fullAccuracy.clone();
  }

  /** Ranker → keep ratio → accuracy per seed. */
  public Map<String, Map<Double, double[]>> accuracy() {
    return accuracy;
  }

  /** Ranker → per-seed mean ranking quality against the oracle. */
  public Map<String, List<RankingReport>> quality() {
    return quality;
  }

  /** Ranker → keep ratio → accuracy on the unseen classes per seed. */
  public Map<String, Map<Double, double[]>> unbiased() {
    return unbiased;
  }

  /** Mean of {@code values}. */
  public static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /**
   * What each ranker keeps at 25%, per seed: {@code [seed] = {share of empty-background patches,
   * mean distance between kept patches in patch widths}} over the test images.
   */
  public Map<String, double[][]> keptAtQuarter() {
    return keptAtQuarter;
  }

  /** Sample standard deviation of {@code values} (0 for one value). */
  public static double std(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double m = mean(values);
    double s = 0;
    for (double v : values) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (values.length - 1));
  }

  /** The result tables as Markdown (no heading, no machine description). */
  public String tables() {
    StringBuilder md = new StringBuilder();
    md.append("### Downstream accuracy with only the kept patches (mean ± std over ")
        .append(settings.seeds()).append(" seeds, %)\n\n| ranker |");
    for (double r : EvaluationSettings.KEEP_RATIOS) {
      md.append(String.format(Locale.ROOT, " keep %.0f%% |", 100 * r));
    }
    md.append("\n|---|");
    md.append("---|".repeat(EvaluationSettings.KEEP_RATIOS.length)).append('\n');
    for (Map.Entry<String, Map<Double, double[]>> e : accuracy.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (double r : EvaluationSettings.KEEP_RATIOS) {
        double[] v = e.getValue().get(r);
        md.append(String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * mean(v), 100 * std(v)));
      }
      md.append('\n');
    }
    md.append(String.format(Locale.ROOT, "| (all 49 patches) | %.1f ± %.1f | | | |%n%n",
        100 * mean(fullAccuracy), 100 * std(fullAccuracy)));

    md.append("### Ranking quality against the oracle's score map (mean ± std over seeds)\n\n")
        .append("| ranker | Kendall τ | Spearman ρ | NDCG@13 | top-13 overlap |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, List<RankingReport>> e : quality.entrySet()) {
      List<RankingReport> r = e.getValue();
      md.append("| ").append(e.getKey()).append(" |")
          .append(cell(r.stream().mapToDouble(RankingReport::kendallTau).toArray()))
          .append(cell(r.stream().mapToDouble(RankingReport::spearman).toArray()))
          .append(cell(r.stream().mapToDouble(RankingReport::ndcgAtK).toArray()))
          .append(cell(r.stream().mapToDouble(RankingReport::topKOverlap).toArray()))
          .append('\n');
    }
    md.append("\n### What each ranker keeps at 25% (mean ± std over seeds)\n\n")
        .append("Empty background: kept patches whose pixels are all zero (random picks show the"
            + " images' own share). Spread: mean distance between two kept patches, in patch"
            + " widths.\n\n| ranker | empty background | spread |\n|---|---|---|\n");
    for (Map.Entry<String, double[][]> e : keptAtQuarter.entrySet()) {
      double[][] v = e.getValue();
      md.append("| ").append(e.getKey()).append(" |")
          .append(cell(java.util.Arrays.stream(v).mapToDouble(x -> x[0]).toArray()))
          .append(cell(java.util.Arrays.stream(v).mapToDouble(x -> x[1]).toArray()))
          .append('\n');
    }
    md.append("\n### Unbiased: accuracy on the five unseen classes (5–9), rankers that learned"
        + " from classes 0–4 (%)\n\n| ranker |");
    for (double r : EvaluationSettings.KEEP_RATIOS) {
      md.append(String.format(Locale.ROOT, " keep %.0f%% |", 100 * r));
    }
    md.append("\n|---|").append("---|".repeat(EvaluationSettings.KEEP_RATIOS.length)).append('\n');
    for (Map.Entry<String, Map<Double, double[]>> e : unbiased.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (double r : EvaluationSettings.KEEP_RATIOS) {
        double[] v = e.getValue().get(r);
        md.append(String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * mean(v), 100 * std(v)));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String cell(double[] v) {
    return String.format(Locale.ROOT, " %.3f ± %.3f |", mean(v), std(v));
  }

  /** Collects the numbers of a run. Not thread-safe. */
  static final class Builder {
    private final EvaluationSettings settings;
    private final double[] fullAccuracy;
    private final Map<String, Map<Double, double[]>> accuracy = new LinkedHashMap<>();
    private final Map<String, List<RankingReport>> quality = new LinkedHashMap<>();
    private final Map<String, Map<Double, double[]>> unbiased = new LinkedHashMap<>();
    private final Map<String, double[][]> keptAtQuarter = new LinkedHashMap<>();

    private Builder(EvaluationSettings settings) {
      this.settings = settings;
      this.fullAccuracy = new double[settings.seeds()];
    }

    void fullAccuracy(int seed, double value) {
      fullAccuracy[seed] = value;
    }

    void accuracy(String ranker, double ratio, int seed, double value) {
      accuracy.computeIfAbsent(ranker, k -> new TreeMap<>())
          .computeIfAbsent(ratio, k -> new double[settings.seeds()])[seed] = value;
    }

    void quality(String ranker, int seed, RankingReport report) {
      quality.computeIfAbsent(ranker, k -> new ArrayList<>()).add(report);
    }

    void unbiased(String ranker, double ratio, int seed, double value) {
      unbiased.computeIfAbsent(ranker, k -> new TreeMap<>())
          .computeIfAbsent(ratio, k -> new double[settings.seeds()])[seed] = value;
    }

    void keptAtQuarter(String ranker, int seed, double backgroundShare, double spread) {
      keptAtQuarter.computeIfAbsent(ranker, k -> new double[settings.seeds()][])[seed] =
          new double[] {backgroundShare, spread};
    }

    EvaluationReport build(double seconds) {
      return new EvaluationReport(this, seconds);
    }
  }
}
