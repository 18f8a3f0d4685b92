package dev.ltrp.core.selection;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Patch index subsets: every patch, or a uniform random subset. Stateless and thread-safe. */
public final class PatchSubsets {

  private PatchSubsets() {}

  /** {@code 0, 1, …, n−1}. */
  public static int[] all(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  /**
   * {@code k} distinct indices of {@code [0, n)} drawn uniformly (a partial Fisher–Yates shuffle
   * advancing {@code random} {@code k} times), sorted ascending.
   */
  public static int[] random(int n, int k, SplittableRandom random) {
    int[] p = all(n);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    int[] chosen = Arrays.copyOf(p, k);
    Arrays.sort(chosen);
    return chosen;
  }
}
