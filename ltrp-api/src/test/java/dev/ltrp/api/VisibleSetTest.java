package dev.ltrp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VisibleSetTest {

  private static final PatchGrid G = PatchGrid.of(224, 16);

  @Test
  void visibleCountTruncatesLikeTheReference() {
    assertThat(VisibleSet.visibleCount(196, 0.9)).isEqualTo(19); // 196 · 0.1 = 19.6 → 19
    assertThat(VisibleSet.visibleCount(196, 0.75)).isEqualTo(49);
    assertThat(VisibleSet.visibleCount(49, 0.9)).isEqualTo(4);
    assertThatThrownBy(() -> VisibleSet.visibleCount(196, 1.0)).hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> VisibleSet.visibleCount(196, Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> VisibleSet.visibleCount(4, 0.9)).hasMessageContaining("no visible");
  }

  @Test
  void randomSetsAreSortedDistinctAndSeeded() {
    VisibleSet a = VisibleSet.random(G, 0.9, 7);
    assertThat(a.size()).isEqualTo(19);
    assertThat(a.patches()).isSorted().doesNotHaveDuplicates();
    assertThat(VisibleSet.random(G, 0.9, 7)).isEqualTo(a);
    assertThat(VisibleSet.random(G, 0.9, 8)).isNotEqualTo(a);
  }

  @Test
  void ofSortsAndValidates() {
    VisibleSet v = VisibleSet.of(G, 5, 1, 3);
    assertThat(v.patches()).containsExactly(1, 3, 5);
    assertThat(v.positionOf(3)).isEqualTo(1);
    assertThat(v.positionOf(4)).isEqualTo(-1);
    assertThat(v.masked()).hasSize(193).doesNotContain(1, 3, 5);
    assertThatThrownBy(() -> VisibleSet.of(G, 1, 1)).hasMessageContaining("twice");
    assertThatThrownBy(() -> VisibleSet.of(G)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> VisibleSet.of(G, 196)).isInstanceOf(IndexOutOfBoundsException.class);
    PatchGrid tiny = PatchGrid.of(2, 1);
    assertThatThrownBy(() -> VisibleSet.of(tiny, 0, 1, 2, 3))
        .hasMessageContaining("nothing is left");
  }

  @Test
  void coveringSetsShowEveryPatchAtLeastOncePerPass() {
    List<VisibleSet> sets = VisibleSet.covering(G, 0.9, 2, 3);
    assertThat(sets).hasSize(2 * 11); // ceil(196 / 19) = 11 per pass
    int[] seen = new int[196];
    for (VisibleSet s : sets) {
      assertThat(s.size()).isEqualTo(19);
      for (int p : s.patches()) {
        seen[p]++;
      }
    }
    for (int count : seen) {
      assertThat(count).isBetween(2, 4);
    }
    assertThat(VisibleSet.covering(G, 0.9, 2, 3)).isEqualTo(sets);
  }
}
