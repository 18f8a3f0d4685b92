package dev.ltrp.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The patches a masked autoencoder sees: a non-empty set of distinct patch indices of a {@link
 * PatchGrid}, kept in ascending order (the order in which the MAE encoder consumes them).
 *
 * <p>Immutable and thread-safe.
 */
public final class VisibleSet {

  private final PatchGrid grid;
  private final int[] patches;

  private VisibleSet(PatchGrid grid, int[] sortedPatches) {
    this.grid = grid;
    this.patches = sortedPatches;
  }

  /**
   * A visible set made of the given patches (any order; stored ascending).
   *
   * @throws IllegalArgumentException if {@code patches} is empty, holds every patch of the grid (a
   *     MAE needs at least one masked patch to reconstruct), or holds a duplicate
   * @throws IndexOutOfBoundsException if an index is outside the grid
   */
  public static VisibleSet of(PatchGrid grid, int... patches) {
    Objects.requireNonNull(grid, "grid");
    int[] sorted = patches.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      throw new IllegalArgumentException("a visible set needs at least one patch");
    }
    for (int i = 0; i < sorted.length; i++) {
      grid.checkIndex(sorted[i]);
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("patch " + sorted[i] + " is listed twice");
      }
    }
    if (sorted.length == grid.numPatches()) {
      throw new IllegalArgumentException(
          "all " + grid.numPatches() + " patches are visible: nothing is left to reconstruct");
    }
    return new VisibleSet(grid, sorted);
  }

  /**
   * Number of visible patches at a mask ratio, as the reference MAE computes it: {@code floor(L ·
   * (1 - maskRatio))} in double precision (196 patches at 0.9 gives 19).
   *
   * @throws IllegalArgumentException if {@code maskRatio} is not in {@code (0, 1)} or leaves no
   *     visible patch
   */
  public static int visibleCount(int numPatches, double maskRatio) {
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw new IllegalArgumentException("mask ratio must be in (0, 1), got " + maskRatio);
    }
    int count = (int) (numPatches * (1.0 - maskRatio));
    if (count < 1) {
      throw new IllegalArgumentException(
          "mask ratio " + maskRatio + " leaves no visible patch out of " + numPatches);
    }
    return count;
  }

  /**
   * A uniformly random visible set of {@link #visibleCount(int, double)} patches, drawn from a
   * {@link SplittableRandom} seeded with {@code seed}: the same seed gives the same set on every
   * machine and JVM.
   */
  public static VisibleSet random(PatchGrid grid, double maskRatio, long seed) {
    return random(grid, maskRatio, new SplittableRandom(seed));
  }

  /**
   * A uniformly random visible set of {@link #visibleCount(int, double)} patches drawn from {@code
   * random} (which advances).
   */
  public static VisibleSet random(PatchGrid grid, double maskRatio, SplittableRandom random) {
    int count = visibleCount(grid.numPatches(), maskRatio);
    int[] permutation = randomPermutation(grid.numPatches(), random);
    int[] chosen = Arrays.copyOf(permutation, count);
    Arrays.sort(chosen);
    return new VisibleSet(grid, chosen);
  }

  /**
   * Random visible sets that together show every patch at least once: a seeded random permutation
   * of the patches cut into consecutive chunks of {@link #visibleCount(int, double)}, the last
   * chunk topped up with other random patches. Each set on its own is a uniformly random visible
   * set; {@code ceil(L / count)} sets per pass (11 for 196 patches at mask ratio 0.9).
   *
   * @param passes how many independent covering passes to concatenate (each patch is then visible
   *     at least {@code passes} times), at least 1
   */
  public static java.util.List<VisibleSet> covering(
      PatchGrid grid, double maskRatio, int passes, long seed) {
    if (passes < 1) {
      throw new IllegalArgumentException("passes must be at least 1, got " + passes);
    }
    int count = visibleCount(grid.numPatches(), maskRatio);
    int n = grid.numPatches();
    SplittableRandom random = new SplittableRandom(seed);
    java.util.List<VisibleSet> sets = new java.util.ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      int[] permutation = randomPermutation(n, random);
      for (int start = 0; start < n; start += count) {
        int[] chosen = new int[count];
        int filled = Math.min(count, n - start);
        System.arraycopy(permutation, start, chosen, 0, filled);
        // Top up the last chunk with patches from earlier chunks, in the permutation's order.
        for (int j = 0; filled < count; j++) {
          chosen[filled++] = permutation[j];
        }
        Arrays.sort(chosen);
        sets.add(new VisibleSet(grid, chosen));
      }
    }
    return java.util.List.copyOf(sets);
  }

  /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates). */
  static int[] randomPermutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The grid the indices refer to. */
  public PatchGrid grid() {
    return grid;
  }

  /** Number of visible patches. */
  public int size() {
    return patches.length;
  }

  /** The {@code i}-th visible patch in ascending order. */
  public int get(int i) {
    return patches[i];
  }

  /** The visible patch indices, ascending (a copy). */
  public int[] patches() {
    return patches.clone();
  }

  /** The masked patch indices (every patch not visible), ascending. */
  public int[] masked() {
    int[] out = new int[grid.numPatches() - patches.length];
    int n = 0;
    int v = 0;
    for (int i = 0; i < grid.numPatches(); i++) {
      if (v < patches.length && patches[v] == i) {
        v++;
      } else {
        out[n++] = i;
      }
    }
    return out;
  }

  /** Whether patch {@code index} is visible. */
  public boolean contains(int index) {
    return Arrays.binarySearch(patches, index) >= 0;
  }

  /** Position of {@code index} within this set, or -1 when it is not visible. */
  public int positionOf(int index) {
    int p = Arrays.binarySearch(patches, index);
    return p >= 0 ? p : -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VisibleSet other
        && grid.equals(other.grid)
        && Arrays.equals(patches, other.patches);
  }

  @Override
  public int hashCode() {
    return 31 * grid.hashCode() + Arrays.hashCode(patches);
  }

  @Override
  public String toString() {
    return "VisibleSet" + Arrays.toString(patches);
  }
}
