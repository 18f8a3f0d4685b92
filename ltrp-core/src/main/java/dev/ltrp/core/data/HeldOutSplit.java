package dev.ltrp.core.data;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which items of a named list are held out for validation: {@code round(fraction · n)} of them (at
 * least 1 when {@code fraction > 0}, at most {@code n − 1}, none when {@code n < 2}), those whose
 * key {@code murmur3_128(0)(seed (int64 LE) · name (UTF-8)).asLong()} is smallest (ties by index).
 * Depends only on the seed and the names, so it is the same on every machine, and adding a few
 * items moves only a few others.
 */
public final class HeldOutSplit {

  private static final HashFunction HASH = Hashing.murmur3_128(0);

  private HeldOutSplit() {}

  /**
   * @param fraction in {@code [0, 1)}
   * @return {@code held[i]} for each name
   */
  public static boolean[] heldOut(List<String> names, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + fraction);
    }
    int n = names.size();
    int count = 0;
    if (n >= 2 && fraction > 0) {
      count = (int) Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
    }
    long[] keys = new long[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      keys[i] =
          HASH.newHasher()
              .putLong(seed)
              .putString(names.get(i), StandardCharsets.UTF_8)
              .hash()
              .asLong();
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(i -> keys[i]).thenComparingInt(i -> i));
    boolean[] held = new boolean[n];
    for (int k = 0; k < count; k++) {
      held[order[k]] = true;
    }
    return held;
  }
}
