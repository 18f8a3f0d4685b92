/**
 * The engine-free machinery of a training run: the learning-rate schedule of the reference recipe
 * ({@link dev.ltrp.core.training.CosineSchedule}), crash-safe files (a checkpoint's {@link
 * dev.ltrp.core.training.TrainingState}, {@link dev.ltrp.core.training.MetricsLog} for the per-step
 * metrics as JSON lines, both written with {@link dev.ltrp.core.io.AtomicFiles}), the options every
 * run shares ({@link dev.ltrp.core.training.RunOptions}) and the callback that hears a run ({@link
 * dev.ltrp.core.training.TrainingListener}; the command line's progress bar is one).
 *
 * <p>A resumable run keeps three things consistent: the checkpoint and its {@code TrainingState}
 * are written atomically (state last, so that a state file always names a complete checkpoint), the
 * metrics log is reopened with {@link dev.ltrp.core.training.MetricsLog#resume(java.nio.file.Path,
 * String, long)} to drop records of steps that will be redone, and the batches and per-item random
 * streams come from {@link dev.ltrp.core.data.TrainingBatches}, which depend only on the seed and
 * the step.
 */
package dev.ltrp.core.training;
