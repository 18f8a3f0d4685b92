package dev.ltrp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReductionTest {

  @Test
  void keepCountRoundsHalfUpAndKeepsAtLeastOne() {
    assertThat(RedundancyReducer.keepCount(196, 0.25)).isEqualTo(49);
    assertThat(RedundancyReducer.keepCount(196, 0.75)).isEqualTo(147);
    assertThat(RedundancyReducer.keepCount(196, 1.0)).isEqualTo(196);
    assertThat(RedundancyReducer.keepCount(196, 0.001)).isEqualTo(1);
    assertThat(RedundancyReducer.keepCount(4, 0.375)).isEqualTo(2); // 1.5 → 2
    for (double bad : new double[] {0, -0.1, 1.0001, Double.NaN}) {
      assertThatThrownBy(() -> RedundancyReducer.keepCount(196, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(0, 1]");
    }
  }

  @Test
  void keptPixelsMaskAndBlankedImage() {
    PatchGrid g = PatchGrid.of(4, 2);
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i + 1;
    }
    ImageTensor image = ImageTensor.of(1, 4, 4, v);
    PatchScores scores = PatchScores.dense(g, new float[] {0.1f, 0.9f, 0.2f, 0.8f});
    Reduction r = Reduction.of(image, scores, new int[] {1, 3});
    assertThat(r.keptSpatial()).containsExactly(1, 3);
    assertThat(r.keepMask()).containsExactly(false, true, false, true);
    // patch 1 = rows 0-1, cols 2-3: values 3,4,7,8; patch 3: 11,12,15,16
    assertThat(r.keptPatchPixels()).containsExactly(3, 4, 7, 8, 11, 12, 15, 16);
    assertThat(r.keptImage().toArray())
        .containsExactly(0, 0, 3, 4, 0, 0, 7, 8, 0, 0, 11, 12, 0, 0, 15, 16);
    assertThatThrownBy(() -> Reduction.of(image, scores, new int[] {1, 1}))
        .hasMessageContaining("twice");
  }

  @Test
  void equalityIsByScoresKeptPatchesAndWhatTheyShowWhetherOrNotTheViewsWereBuilt() {
    PatchGrid g = PatchGrid.of(4, 2);
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i + 1;
    }
    float[] otherDropped = v.clone();
    otherDropped[0] = 99; // a pixel of patch 0, which is dropped
    PatchScores scores = PatchScores.dense(g, new float[] {0.1f, 0.9f, 0.2f, 0.8f});
    Reduction a = Reduction.of(ImageTensor.of(1, 4, 4, v), scores, new int[] {1, 3});
    Reduction b = Reduction.of(ImageTensor.of(1, 4, 4, otherDropped), scores, new int[] {1, 3});
    Reduction c = Reduction.of(ImageTensor.of(1, 4, 4, v), scores, new int[] {3, 1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b); // neither has built its views yet
    assertThat(a.keptImage()).isSameAs(a.keptImage()); // built once
    assertThat(a).isEqualTo(b).isNotEqualTo(c); // rank order matters
  }
}
