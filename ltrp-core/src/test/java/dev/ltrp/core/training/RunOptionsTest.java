package dev.ltrp.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

  @Test
  void withMethodsChangeOneFieldAndKeepTheOthers() {
    RunOptions run =
        RunOptions.of(100)
            .withCheckpoint(Path.of("c"), 7)
            .withMetricsLog(Path.of("m"))
            .withResume(Path.of("r"))
            .withValidateEvery(9)
            .withStopAfter(30);
    assertThat(run)
        .isEqualTo(new RunOptions(100, Path.of("c"), 7, Path.of("r"), Path.of("m"), 9, 30));
    assertThat(run.withSteps(200).steps()).isEqualTo(200);
    assertThat(run.withSteps(200).checkpoint()).isEqualTo(Path.of("c"));
  }

  @Test
  void aCallStopsAtTheLimitOrAtTheRunsEnd() {
    RunOptions run = RunOptions.of(10);
    assertThat(run.endStep(0)).isEqualTo(10);
    assertThat(run.endStep(4)).isEqualTo(10);
    assertThat(run.withStopAfter(3).endStep(4)).isEqualTo(7);
    assertThat(run.withStopAfter(3).endStep(9)).isEqualTo(10);
    assertThat(run.endStep(10)).isEqualTo(10);
  }

  @Test
  void nonPositiveCountsAreRefusedByName() {
    assertThatThrownBy(() -> RunOptions.of(0))
        .hasMessageContaining("steps must be positive, got 0");
    assertThatThrownBy(() -> RunOptions.of(5).withCheckpoint(Path.of("c"), 0))
        .hasMessageContaining("checkpoint interval must be positive, got 0");
    assertThatThrownBy(() -> RunOptions.of(5).withValidateEvery(-1))
        .hasMessageContaining("validateEvery must be positive, got -1");
    assertThatThrownBy(() -> RunOptions.of(5).withStopAfter(0))
        .hasMessageContaining("stopAfter must be positive, got 0");
  }
}
