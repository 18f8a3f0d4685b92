package dev.ltrp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatchScoresTest {

  private static final PatchGrid G = PatchGrid.of(4, 2); // 4 patches

  @Test
  void rankingIsDescendingWithTiesByLowerIndex() {
    PatchScores s = PatchScores.dense(G, new float[] {0.5f, 2f, 0.5f, -1f});
    assertThat(s.ranking()).containsExactly(1, 0, 2, 3);
    assertThat(s.topK(2)).containsExactly(1, 0);
    assertThat(s.topK(0)).isEmpty();
    assertThat(s.isDense()).isTrue();
    assertThatThrownBy(() -> s.topK(5)).hasMessageContaining("[0, 4]");
  }

  @Test
  void partialScoresKeepTheirOrder() {
    PatchScores s = PatchScores.of(G, new int[] {3, 1}, new float[] {1f, 2f});
    assertThat(s.isDense()).isFalse();
    assertThat(s.scoreOf(3)).isEqualTo(1f);
    assertThat(s.ranking()).containsExactly(1, 3);
    assertThatThrownBy(() -> s.scoreOf(0)).hasMessageContaining("not scored");
  }

  @Test
  void rejectsNanDuplicatesAndLengthMismatch() {
    assertThatThrownBy(() -> PatchScores.dense(G, new float[] {0, Float.NaN, 0, 0}))
        .hasMessageContaining("patch 1")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> PatchScores.of(G, new int[] {1, 1}, new float[] {0, 0}))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> PatchScores.dense(G, new float[3])).hasMessageContaining("4 scores");
  }

  @Test
  void scoreMapAveragesScoresAndRankQuantiles() {
    PatchScores r1 = PatchScores.of(G, new int[] {0, 1}, new float[] {1f, 3f});
    PatchScores r2 = PatchScores.of(G, new int[] {1, 2, 3}, new float[] {5f, 5f, 1f});
    ScoreMap map = ScoreMap.fromRounds(G, List.of(r1, r2));
    assertThat(map.meanScores().scores()).containsExactly(1f, 4f, 5f, 1f);
    // round 1: patch 1 → 1, patch 0 → 0; round 2: patches 1 and 2 tie at (1 + 0.5)/2 = 0.75, patch
    // 3 → 0
    assertThat(map.meanRankQuantiles().scores()).containsExactly(0f, 0.875f, 0.75f, 0f);
    assertThat(map.visibleCounts()).containsExactly(1, 2, 1, 1);
    assertThatThrownBy(() -> ScoreMap.fromRounds(G, List.of(r1)))
        .hasMessageContaining("patch 2 is never visible");
  }
}
