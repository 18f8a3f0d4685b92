package dev.ltrp.nd4j.internal.training;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.nd4j.training.TrainingCheckpoint;
import java.io.IOException;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one kind of training does at a step, for {@link TrainingLoop}: the batch of a step, its
 * placeholders, and optionally a validation and a checkpoint. Everything else (schedule, resume,
 * metrics log, divergence stop, listener, checkpoint timing) is the loop's. Not API.
 *
 * @param <B> a step's batch on the host (images, visible sets, targets, labels)
 */
public interface TrainingTask<B> {

  /** Images per step (the throughput's unit). */
  int itemsPerStep();

  /**
   * The batch of step {@code step} (0-based); called on the training's calling thread (it may run
   * other models, e.g. an oracle). Every random draw must derive from the seed and the step, so a
   * resumed run repeats the interrupted run's steps.
   */
  B batch(long step) throws IOException;

  /** The graph's placeholders for {@code batch}; called on the engine thread, closed after. */
  Map<String, INDArray> placeholders(B batch);

  /** Whether {@link #validate} measures anything. */
  default boolean validates() {
    return false;
  }

  /** Held-out metrics (keys as in the metrics log); called on the engine thread. */
  default Map<String, Object> validate(SameDiff sd) {
    throw new UnsupportedOperationException("this training does not validate");
  }

  /**
   * The resumable checkpoint after {@code done} steps (the last at learning rate {@code lr});
   * called on the engine thread.
   */
  default TrainingCheckpoint checkpoint(long done, double lr, StateDict optimizer) {
    throw new UnsupportedOperationException("this training writes no checkpoints");
  }
}
