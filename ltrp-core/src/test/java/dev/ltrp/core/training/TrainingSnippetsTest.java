package dev.ltrp.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.data.TrainingBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage snippets of this package's javadoc, compiled and run. */
class TrainingSnippetsTest {

  @TempDir Path runDir;

  @Test
  void snippetsRun() throws IOException {
    long step = 1200;
    long lastStep = 0;
    long seed = 0;
    long totalSteps = 400_000;
    TrainingBatches batches = TrainingBatches.create(1000, 256, seed);

    // CosineSchedule
    CosineSchedule schedule =
        CosineSchedule.builder()
            .setBaseLr(CosineSchedule.linearScaledLr(1.5e-4, 256))
            .setTotalSteps(400_000)
            .optWarmupSteps(40_000)
            .build();
    double lr = schedule.lr(step);

    // TrainingState
    TrainingState state =
        new TrainingState(step, batches.epochsBefore(step), seed, totalSteps, schedule.lr(step));
    state.write(runDir.resolve("state.json"));
    TrainingState restored = TrainingState.read(runDir.resolve("state.json"));

    // RunOptions
    RunOptions run =
        RunOptions.of(8_000)
            .withCheckpoint(Path.of("run/ckpt.safetensors"), 250)
            .withMetricsLog(Path.of("run/metrics.jsonl"))
            .withStopAfter(500);
    assertThat(run.endStep(7_800)).isEqualTo(8_000);
    assertThat(run.endStep(1_000)).isEqualTo(1_500);

    // MetricsLog
    try (MetricsLog log = MetricsLog.resume(runDir.resolve("metrics.jsonl"), "step", lastStep)) {
      log.append(Map.of("step", 120, "loss", 1.234, "lr", 1.5e-4));
    }

    assertThat(lr).isEqualTo(1.5e-4 * 1200 / 40_000);
    assertThat(restored).isEqualTo(state);
    assertThat(MetricsLog.read(runDir.resolve("metrics.jsonl"))).hasSize(1);
  }
}
