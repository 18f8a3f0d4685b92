package dev.ltrp.api;

import java.util.List;
import java.util.Objects;

/**
 * A full score map of one image: oracle scores from several visible sets that together cover every
 * patch, aggregated per patch.
 *
 * <p>Two aggregates are offered because raw scores from different visible sets are not on a common
 * scale: {@link #meanScores()} averages the raw scores of the rounds in which a patch was visible;
 * {@link #meanRankQuantiles()} first turns each round into rank quantiles (1 for the round's most
 * important patch, 0 for its least, ties sharing the mean quantile) and averages those. The
 * individual rounds stay available in {@link #rounds()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScoreMap {

  private final PatchGrid grid;
  private final List<PatchScores> rounds;
  private final float[] meanScores;
  private final float[] meanRankQuantiles;
  private final int[] visibleCounts;

  private ScoreMap(
      PatchGrid grid,
      List<PatchScores> rounds,
      float[] meanScores,
      float[] meanRankQuantiles,
      int[] visibleCounts) {
    this.grid = grid;
    this.rounds = rounds;
    this.meanScores = meanScores;
    this.meanRankQuantiles = meanRankQuantiles;
    this.visibleCounts = visibleCounts;
  }

  /**
   * Aggregates oracle rounds into a score map.
   *
   * @param rounds the scores of each visible set; all on {@code grid}
   * @throws IllegalArgumentException if a patch is never scored or a round is on another grid
   */
  public static ScoreMap fromRounds(PatchGrid grid, List<PatchScores> rounds) {
    Objects.requireNonNull(grid, "grid");
    List<PatchScores> copy = List.copyOf(rounds);
    int n = grid.numPatches();
    double[] scoreSum = new double[n];
    double[] quantileSum = new double[n];
    int[] counts = new int[n];
    for (PatchScores round : copy) {
      if (!round.grid().equals(grid)) {
        throw new IllegalArgumentException("a round is on " + round.grid() + ", expected " + grid);
      }
      double[] quantiles = rankQuantiles(round);
      for (int i = 0; i < round.size(); i++) {
        int patch = round.patch(i);
        scoreSum[patch] += round.score(i);
        quantileSum[patch] += quantiles[i];
        counts[patch]++;
      }
    }
    float[] meanScores = new float[n];
    float[] meanQuantiles = new float[n];
    for (int patch = 0; patch < n; patch++) {
      if (counts[patch] == 0) {
        throw new IllegalArgumentException("patch " + patch + " is never visible in any round");
      }
      meanScores[patch] = (float) (scoreSum[patch] / counts[patch]);
      meanQuantiles[patch] = (float) (quantileSum[patch] / counts[patch]);
    }
    return new ScoreMap(grid, copy, meanScores, meanQuantiles, counts);
  }

  /** Rank quantile of each item of one round: 1 = highest score, 0 = lowest, ties averaged. */
  private static double[] rankQuantiles(PatchScores round) {
    int m = round.size();
    double[] q = new double[m];
    if (m == 1) {
      q[0] = 1.0;
      return q;
    }
    for (int i = 0; i < m; i++) {
      // Number of items strictly below, plus half of the ties: the mid-rank, in [0, m-1].
      double below = 0;
      for (int j = 0; j < m; j++) {
        if (j == i) {
          continue;
        }
        float a = round.score(i);
        float b = round.score(j);
        if (b < a) {
          below += 1;
        } else if (b == a) {
          below += 0.5;
        }
      }
      q[i] = below / (m - 1);
    }
    return q;
  }

  /** The grid. */
  public PatchGrid grid() {
    return grid;
  }

  /** The oracle scores of each visible set, in the order they were computed. */
  public List<PatchScores> rounds() {
    return rounds;
  }

  /** Per patch, the mean raw oracle score over the rounds in which it was visible (dense). */
  public PatchScores meanScores() {
    return PatchScores.dense(grid, meanScores);
  }

  /**
   * Per patch, the mean rank quantile in {@code [0, 1]} over its rounds (dense; 1 = most
   * important).
   */
  public PatchScores meanRankQuantiles() {
    return PatchScores.dense(grid, meanRankQuantiles);
  }

  /** Per patch, how many rounds it was visible in. */
  public int[] visibleCounts() {
    return visibleCounts.clone();
  }

  @Override
  public String toString() {
    return "ScoreMap[" + grid + ", " + rounds.size() + " rounds]";
  }
}
