package dev.ltrp.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One score per patch for some patches of a grid; a higher score means a more important patch (keep
 * it first).
 *
 * <p>Scores come from an oracle (only the visible patches of one visible set are scored, in the
 * order of the visible set) or from a ranker (every patch is scored: {@link #isDense()}). Scores
 * from different calls are comparable only when they come from the same model and, for an oracle,
 * the same visible set.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchScores {

  private final PatchGrid grid;
  private final int[] patches;
  private final float[] scores;

  private PatchScores(PatchGrid grid, int[] patches, float[] scores) {
    this.grid = grid;
    this.patches = patches;
    this.scores = scores;
  }

  /**
   * Scores for the listed patches, {@code scores[i]} belonging to {@code patches[i]}. Both arrays
   * are copied.
   *
   * @throws IllegalArgumentException if the lengths differ, a patch repeats, or a score is NaN
   * @throws IndexOutOfBoundsException if a patch is outside the grid
   */
  public static PatchScores of(PatchGrid grid, int[] patches, float[] scores) {
    Objects.requireNonNull(grid, "grid");
    if (patches.length != scores.length) {
      throw new IllegalArgumentException(
          patches.length + " patches but " + scores.length + " scores");
    }
    boolean[] seen = new boolean[grid.numPatches()];
    for (int i = 0; i < patches.length; i++) {
      grid.checkIndex(patches[i]);
      if (seen[patches[i]]) {
        throw new IllegalArgumentException("patch " + patches[i] + " is scored twice");
      }
      seen[patches[i]] = true;
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("score of patch " + patches[i] + " is NaN");
      }
    }
    return new PatchScores(grid, patches.clone(), scores.clone());
  }

  /**
   * Scores for every patch of the grid, {@code scores[i]} belonging to patch {@code i}.
   *
   * @throws IllegalArgumentException if {@code scores.length != grid.numPatches()} or a score is
   *     NaN
   */
  public static PatchScores dense(PatchGrid grid, float[] scores) {
    if (scores.length != grid.numPatches()) {
      throw new IllegalArgumentException(
          "a dense score list needs " + grid.numPatches() + " scores, got " + scores.length);
    }
    int[] all = new int[scores.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return of(grid, all, scores);
  }

  /** The grid the patch indices refer to. */
  public PatchGrid grid() {
    return grid;
  }

  /** Number of scored patches. */
  public int size() {
    return patches.length;
  }

  /** Whether every patch of the grid is scored, in patch order. */
  public boolean isDense() {
    if (patches.length != grid.numPatches()) {
      return false;
    }
    for (int i = 0; i < patches.length; i++) {
      if (patches[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** The {@code i}-th scored patch. */
  public int patch(int i) {
    return patches[i];
  }

  /** The score of the {@code i}-th scored patch. */
  public float score(int i) {
    return scores[i];
  }

  /** The scored patch indices, in their given order (a copy). */
  public int[] patches() {
    return patches.clone();
  }

  /** The scores, aligned with {@link #patches()} (a copy). */
  public float[] scores() {
    return scores.clone();
  }

  /**
   * The score of patch {@code patchIndex}.
   *
   * @throws IllegalArgumentException if that patch is not scored
   */
  public float scoreOf(int patchIndex) {
    for (int i = 0; i < patches.length; i++) {
      if (patches[i] == patchIndex) {
        return scores[i];
      }
    }
    throw new IllegalArgumentException("patch " + patchIndex + " is not scored");
  }

  /**
   * The scored patches from most to least important: descending score, ties broken by the lower
   * patch index so that the order is deterministic.
   */
  public int[] ranking() {
    Integer[] order = new Integer[patches.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int bySc = Float.compare(scores[b], scores[a]);
          return bySc != 0 ? bySc : Integer.compare(patches[a], patches[b]);
        });
    int[] ranked = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      ranked[i] = patches[order[i]];
    }
    return ranked;
  }

  /**
   * The {@code k} most important patches, in rank order.
   *
   * @throws IllegalArgumentException if {@code k} is negative or larger than {@link #size()}
   */
  public int[] topK(int k) {
    if (k < 0 || k > patches.length) {
      throw new IllegalArgumentException("k must be in [0, " + patches.length + "], got " + k);
    }
    return Arrays.copyOf(ranking(), k);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PatchScores other
        && grid.equals(other.grid)
        && Arrays.equals(patches, other.patches)
        && Arrays.equals(scores, other.scores);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * grid.hashCode() + Arrays.hashCode(patches)) + Arrays.hashCode(scores);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("PatchScores[");
    int shown = Math.min(patches.length, 8);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(patches[i]).append('=').append(scores[i]);
    }
    if (shown < patches.length) {
      sb.append(", … ").append(patches.length - shown).append(" more");
    }
    return sb.append(']').toString();
  }
}
