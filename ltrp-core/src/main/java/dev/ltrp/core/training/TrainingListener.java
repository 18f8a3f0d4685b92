package dev.ltrp.core.training;

import java.util.Map;

/**
 * Hears how a training run goes: one call per step and per validation, then one at the end. The
 * trainers call it on the thread that called {@code train()}, in step order; an implementation that
 * draws a progress bar or sends metrics elsewhere needs no locking of its own.
 *
 * <p>Every method does nothing by default. A listener must not throw: an exception stops the run as
 * any other failure would (the last checkpoint stays intact).
 */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * The run starts (or continues from a checkpoint).
   *
   * @param firstStep the number of steps already done (0, or the resumed checkpoint's)
   * @param totalSteps the run's total steps
   * @param itemsPerStep images per step, for throughput
   */
  default void onStart(long firstStep, long totalSteps, int itemsPerStep) {}

  /**
   * A step has finished.
   *
   * @param step the number of steps done, 1-based
   * @param loss the step's loss, before its update
   * @param lr the learning rate the step used
   * @param seconds the step's wall time in seconds
   */
  default void onStep(long step, double loss, double lr, double seconds) {}

  /**
   * Held-out metrics after step {@code step} (the same keys as the metrics log, e.g. {@code
   * val_kendall_tau}).
   */
  default void onValidation(long step, Map<String, Object> metrics) {}

  /** This call of the run is over after {@code lastStep} steps (the run may continue later). */
  default void onFinish(long lastStep) {}
}
