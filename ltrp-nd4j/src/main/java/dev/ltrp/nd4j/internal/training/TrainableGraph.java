package dev.ltrp.nd4j.internal.training;

import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A SameDiff graph with a loss that one optimizer step can train. Not API. */
public interface TrainableGraph {

  /** The graph; touch it only on its engine thread. */
  SameDiff sameDiff();

  /**
   * One optimization step (forward, backward, {@code optimizer} at learning rate {@code lr}); call
   * on the graph's engine thread. The caller closes {@code placeholders}.
   *
   * @return the loss before the update
   * @throws dev.ltrp.nd4j.training.TrainingDivergedException if the loss is NaN or infinite (no
   *     update is applied)
   */
  double trainStep(AdamW optimizer, Map<String, INDArray> placeholders, double lr);
}
