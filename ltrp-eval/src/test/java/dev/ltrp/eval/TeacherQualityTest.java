package dev.ltrp.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TeacherQualityTest {

  private static final MaeConfig SMALL = MaeConfig.of(16, 4, 1, 32, 1, 4, 32, 1, 4, 2.0);

  @Test
  void nearestVisibleIsTheClosestOnTheGridWithTiesToTheLowestIndex() {
    PatchGrid grid = PatchGrid.of(16, 4); // 4 × 4
    VisibleSet visible = VisibleSet.of(grid, 0, 3, 15);
    assertThat(TeacherQuality.nearestVisible(grid, visible, 1)).isEqualTo(0);
    assertThat(TeacherQuality.nearestVisible(grid, visible, 2)).isEqualTo(3);
    assertThat(TeacherQuality.nearestVisible(grid, visible, 11)).isEqualTo(15);
    // patch 6 (row 1, col 2): 0 is at sqrt(5), 3 at sqrt(2), 15 at sqrt(5)
    assertThat(TeacherQuality.nearestVisible(grid, visible, 6)).isEqualTo(3);
  }

  @Test
  void theTrivialErrorDoesNotDependOnTheTeacherAndACopyOfAConstantImageIsExact() {
    List<ImageTensor> noise = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 6; i++) {
      float[] pixels = new float[16 * 16];
      for (int j = 0; j < pixels.length; j++) {
        pixels[j] = (float) random.nextGaussian();
      }
      noise.add(ImageTensor.of(1, 16, 16, pixels));
    }
    TeacherQuality.Result a;
    TeacherQuality.Result b;
    try (MaeScoreOracle one = MaeScoreOracle.create(MaeWeights.random(SMALL, 1));
        MaeScoreOracle two = MaeScoreOracle.create(MaeWeights.random(SMALL, 2))) {
      a = TeacherQuality.measure(one, noise, 0.75, 3);
      b = TeacherQuality.measure(two, noise, 0.75, 3);
      // Independent unit-variance pixels: copying another pixel errs by 2 on average.
      assertThat(a.nearestVisibleError()).isEqualTo(b.nearestVisibleError()).isBetween(1.7, 2.3);
      assertThat(a.reconstructionError()).isNotEqualTo(b.reconstructionError());
      float[] flat = new float[16 * 16];
      java.util.Arrays.fill(flat, 0.5f);
      TeacherQuality.Result constant =
          TeacherQuality.measure(one, List.of(ImageTensor.of(1, 16, 16, flat)), 0.75, 3);
      assertThat(constant.nearestVisibleError()).isZero();
    }
  }
}
