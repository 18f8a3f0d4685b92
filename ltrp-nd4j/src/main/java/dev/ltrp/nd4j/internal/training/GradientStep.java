package dev.ltrp.nd4j.internal.training;

import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.training.TrainingDivergedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One optimization step of a SameDiff training graph: loss, gradients, optimizer update. */
public final class GradientStep {

  private GradientStep() {}

  /**
   * Computes {@code loss} and the gradients of {@code trainable} for {@code placeholders}, then
   * updates those variables in place with {@code optimizer} at learning rate {@code lr}. Call on
   * the graph's engine thread.
   *
   * @return the loss before the update
   * @throws TrainingDivergedException if the loss is NaN or infinite (no update is applied)
   */
  public static double run(
      SameDiff sd,
      String loss,
      List<String> trainable,
      AdamW optimizer,
      Map<String, INDArray> placeholders,
      double lr) {
    OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders, List.of(loss), trainable);
    Map<String, INDArray> grads = result.getGradients();
    Map<String, INDArray> outputs = result.getOutputs();
    try {
      double value = outputs.get(loss).getDouble(0);
      if (!Double.isFinite(value)) {
        throw new TrainingDivergedException("the loss is " + value);
      }
      Map<String, INDArray> params = new LinkedHashMap<>();
      for (String name : trainable) {
        params.put(name, sd.getArrForVarName(name));
      }
      optimizer.update(params, grads, lr);
      return value;
    } finally {
      GraphArrays.closeAll(grads);
      GraphArrays.closeAll(outputs);
    }
  }
}
