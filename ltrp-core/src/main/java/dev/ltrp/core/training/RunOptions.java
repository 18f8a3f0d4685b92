package dev.ltrp.core.training;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What every training run decides the same way, whatever it trains: how many steps, where and how
 * often it checkpoints, whether it continues an earlier run, where the metrics go, how often it
 * validates, and how many steps this call may run. Immutable; build with {@link #of} and the {@code
 * with…} methods.
 *
 * <pre>{@code
 * RunOptions run = RunOptions.of(8_000)
 *     .withCheckpoint(Path.of("run/ckpt.safetensors"), 250)
 *     .withMetricsLog(Path.of("run/metrics.jsonl"))
 *     .withStopAfter(500);
 * }</pre>
 *
 * @param steps the run's total optimization steps, positive
 * @param checkpoint where a resumable checkpoint is written (atomically), or null for none
 * @param checkpointEvery steps between checkpoints (one is also written after this call's last
 *     step), positive
 * @param resume the checkpoint of an earlier run with the same settings to continue, or null
 * @param metricsLog the JSON-lines metrics log, one record per step, or null for none
 * @param validateEvery steps between validations (one also follows this call's last step), where
 *     the run validates at all; positive
 * @param stopAfter the most steps this call runs (a long run in bounded sessions), positive; {@link
 *     Long#MAX_VALUE} for no limit
 */
public record RunOptions(
    long steps,
    Path checkpoint,
    int checkpointEvery,
    Path resume,
    Path metricsLog,
    int validateEvery,
    long stopAfter) {

  /** Default steps between checkpoints. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 100;

  /** Default steps between validations. */
  public static final int DEFAULT_VALIDATE_EVERY = 50;

  public RunOptions {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be positive, got " + steps);
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException(
          "checkpoint interval must be positive, got " + checkpointEvery);
    }
    if (validateEvery < 1) {
      throw new IllegalArgumentException("validateEvery must be positive, got " + validateEvery);
    }
    if (stopAfter < 1) {
      throw new IllegalArgumentException("stopAfter must be positive, got " + stopAfter);
    }
  }

  /** {@code steps} steps, nothing written, nothing resumed, no limit per call. */
  public static RunOptions of(long steps) {
    return new RunOptions(
        steps, null, DEFAULT_CHECKPOINT_EVERY, null, null, DEFAULT_VALIDATE_EVERY, Long.MAX_VALUE);
  }

  /** These options with {@code steps} total steps. */
  public RunOptions withSteps(long steps) {
    return new RunOptions(
        steps, checkpoint, checkpointEvery, resume, metricsLog, validateEvery, stopAfter);
  }

  /** A checkpoint written to {@code file} every {@code every} steps and after the last. */
  public RunOptions withCheckpoint(Path file, int every) {
    return new RunOptions(
        steps,
        Objects.requireNonNull(file, "file"),
        every,
        resume,
        metricsLog,
        validateEvery,
        stopAfter);
  }

  /** Continue the run that wrote {@code checkpoint} (same settings required). */
  public RunOptions withResume(Path checkpoint) {
    return new RunOptions(
        steps,
        this.checkpoint,
        checkpointEvery,
        Objects.requireNonNull(checkpoint, "checkpoint"),
        metricsLog,
        validateEvery,
        stopAfter);
  }

  /** Per-step metrics appended as JSON lines to {@code file}. */
  public RunOptions withMetricsLog(Path file) {
    return new RunOptions(
        steps,
        checkpoint,
        checkpointEvery,
        resume,
        Objects.requireNonNull(file, "file"),
        validateEvery,
        stopAfter);
  }

  /** Validate every {@code every} steps and after the last. */
  public RunOptions withValidateEvery(int every) {
    return new RunOptions(steps, checkpoint, checkpointEvery, resume, metricsLog, every, stopAfter);
  }

  /** Run at most {@code stepsThisCall} steps in this call. */
  public RunOptions withStopAfter(long stepsThisCall) {
    return new RunOptions(
        steps, checkpoint, checkpointEvery, resume, metricsLog, validateEvery, stepsThisCall);
  }

  /** The step after which this call stops, starting from {@code firstStep} steps done. */
  public long endStep(long firstStep) {
    return Math.min(steps, firstStep + Math.min(stopAfter, steps));
  }
}
