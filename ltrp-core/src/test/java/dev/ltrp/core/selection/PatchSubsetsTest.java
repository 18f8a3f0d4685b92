package dev.ltrp.core.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every patch, and uniform random subsets: distinct, sorted, in range, each index as likely. */
class PatchSubsetsTest {

  @Test
  void allIsEveryIndexInOrder() {
    assertThat(PatchSubsets.all(4)).containsExactly(0, 1, 2, 3);
  }

  @Test
  void randomSubsetsAreDistinctSortedAndUniform() {
    SplittableRandom random = new SplittableRandom(3);
    int[] counts = new int[49];
    int draws = 20_000;
    for (int d = 0; d < draws; d++) {
      int[] s = PatchSubsets.random(49, 12, random);
      assertThat(s).hasSize(12).isSorted().doesNotHaveDuplicates();
      for (int p : s) {
        counts[p]++;
      }
    }
    // Each index is kept with probability 12/49: expected 4898 of 20,000, binomial std ~61;
    // 5 std either side.
    for (int c : counts) {
      assertThat(c).isBetween(4898 - 305, 4898 + 305);
    }
  }
}
