package dev.ltrp.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {

  private static final double TOL = 1e-15;

  private final CosineSchedule schedule =
      CosineSchedule.builder()
          .setBaseLr(1e-3)
          .setTotalSteps(100)
          .optWarmupSteps(10)
          .optMinLr(1e-5)
          .build();

  @Test
  void warmupIsLinearFromZero() {
    assertThat(schedule.lr(0)).isZero();
    assertThat(schedule.lr(1)).isCloseTo(1e-4, within(TOL));
    assertThat(schedule.lr(5)).isCloseTo(5e-4, within(TOL));
    assertThat(schedule.lr(9)).isCloseTo(9e-4, within(TOL));
  }

  @Test
  void peaksAtTheEndOfWarmupThenDecaysToTheMinimum() {
    assertThat(schedule.lr(10)).isCloseTo(1e-3, within(TOL));
    // Half way through the decay: min + (base − min) / 2.
    assertThat(schedule.lr(55)).isCloseTo(1e-5 + (1e-3 - 1e-5) / 2, within(TOL));
    // The last step: progress 89/90.
    double last = 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI * 89 / 90));
    assertThat(schedule.lr(99)).isCloseTo(last, within(TOL)).isGreaterThan(1e-5);
    assertThat(schedule.lr(100)).isEqualTo(1e-5);
    assertThat(schedule.lr(10_000)).isEqualTo(1e-5);
    for (long s = 10; s < 100; s++) {
      assertThat(schedule.lr(s + 1)).isLessThan(schedule.lr(s));
    }
  }

  @Test
  void matchesTheReferencePerIterationFormula() {
    // util/lr_sched.adjust_learning_rate with epoch = it / iters_per_epoch + e,
    // 10 iterations per epoch, 1 warm-up epoch of 10.
    double lr = 1e-3;
    double minLr = 1e-5;
    int warmupEpochs = 1;
    int epochs = 10;
    for (int step = 0; step < 100; step++) {
      double epoch = step / 10.0;
      double expected =
          epoch < warmupEpochs
              ? lr * epoch / warmupEpochs
              : minLr
                  + (lr - minLr)
                      * 0.5
                      * (1 + Math.cos(Math.PI * (epoch - warmupEpochs) / (epochs - warmupEpochs)));
      assertThat(schedule.lr(step)).as("step %d", step).isCloseTo(expected, within(1e-15));
    }
  }

  @Test
  void withoutWarmupStartsAtTheBase() {
    CosineSchedule s = CosineSchedule.builder().setBaseLr(0.1).setTotalSteps(4).build();
    assertThat(s.lr(0)).isEqualTo(0.1);
    assertThat(s.lr(2)).isCloseTo(0.05, within(TOL));
    assertThat(s.lr(4)).isZero();
    CosineSchedule allWarmup =
        CosineSchedule.builder().setBaseLr(0.1).setTotalSteps(4).optWarmupSteps(4).build();
    assertThat(allWarmup.lr(3)).isCloseTo(0.075, within(TOL));
    assertThat(allWarmup.lr(4)).isZero();
  }

  @Test
  void linearScalingRule() {
    assertThat(CosineSchedule.linearScaledLr(1.5e-4, 4096)).isCloseTo(2.4e-3, within(TOL));
    assertThat(CosineSchedule.linearScaledLr(1.5e-4, 256)).isEqualTo(1.5e-4);
    assertThatThrownBy(() -> CosineSchedule.linearScaledLr(1e-4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validates() {
    assertThatThrownBy(() -> CosineSchedule.builder().setTotalSteps(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setBaseLr");
    assertThatThrownBy(() -> CosineSchedule.builder().setBaseLr(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setTotalSteps");
    assertThatThrownBy(
            () ->
                CosineSchedule.builder().setBaseLr(1).setTotalSteps(10).optWarmupSteps(11).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> CosineSchedule.builder().setBaseLr(1).setTotalSteps(10).optMinLr(2).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CosineSchedule.builder().setBaseLr(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> schedule.lr(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(schedule)
        .isEqualTo(
            CosineSchedule.builder()
                .setBaseLr(1e-3)
                .setTotalSteps(100)
                .optWarmupSteps(10)
                .optMinLr(1e-5)
                .build());
  }
}
