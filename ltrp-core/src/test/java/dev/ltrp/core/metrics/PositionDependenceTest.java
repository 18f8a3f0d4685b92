package dev.ltrp.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PositionDependenceTest {

  private static final PatchGrid GRID = PatchGrid.of(28, 4);

  private static PatchScores map(float... scores) {
    return PatchScores.dense(PatchGrid.of(8, 4), scores);
  }

  @Test
  void theSameOrderForEveryImageIsOne() {
    List<PatchScores> maps = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(1);
    float[] order = new float[GRID.numPatches()];
    for (int i = 0; i < order.length; i++) {
      order[i] = (float) random.nextDouble();
    }
    for (int image = 0; image < 5; image++) {
      float[] scaled = order.clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] = scaled[i] * (image + 1) - image; // same order, other values
      }
      maps.add(PatchScores.dense(GRID, scaled));
    }
    assertThat(PositionDependence.meanPairwiseSpearman(maps)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void independentOrdersAverageNearZero() {
    SplittableRandom random = new SplittableRandom(2);
    List<PatchScores> maps = new ArrayList<>();
    for (int image = 0; image < 60; image++) {
      float[] s = new float[GRID.numPatches()];
      for (int i = 0; i < s.length; i++) {
        s[i] = (float) random.nextDouble();
      }
      maps.add(PatchScores.dense(GRID, s));
    }
    // 1,770 pairs of 49 independent ranks: the mean's standard error is about 1/sqrt(48·1770).
    assertThat(PositionDependence.meanPairwiseSpearman(maps)).isCloseTo(0.0, within(0.02));
  }

  @Test
  void theMeanIsOverPairsAndSkipsConstantMaps() {
    // Pairs: (a, b) = 1, (a, reversed) = -1, (b, reversed) = -1; the constant map has no order.
    List<PatchScores> maps =
        List.of(map(1, 2, 3, 4), map(10, 20, 30, 40), map(4, 3, 2, 1), map(5, 5, 5, 5));
    assertThat(PositionDependence.meanPairwiseSpearman(maps)).isCloseTo(-1.0 / 3, within(1e-12));
    assertThat(PositionDependence.meanPairwiseSpearman(List.of(map(1, 1, 1, 1), map(2, 2, 2, 2))))
        .isNaN();
  }

  @Test
  void refusesWhatItCannotCompare() {
    assertThatThrownBy(() -> PositionDependence.meanPairwiseSpearman(List.of(map(1, 2, 3, 4))))
        .hasMessageContaining("at least 2 score maps, got 1");
    assertThatThrownBy(
            () ->
                PositionDependence.meanPairwiseSpearman(
                    List.of(map(1, 2, 3, 4), PatchScores.dense(GRID, new float[49]))))
        .hasMessageContaining("score map 1 is on");
  }
}
