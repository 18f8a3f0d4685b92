package dev.ltrp.nd4j.internal.training;

import dev.ltrp.core.model.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training graph whose variables are the tensors of a checkpoint layout: what {@link
 * MaeTrainingGraph} and {@link RankerTrainingGraph} share (the graph, the architecture, which
 * tensors train and which decay, the optimizer step). Not API.
 *
 * @param <C> the architecture
 */
public abstract class LayoutTrainingGraph<C> implements TrainableGraph {

  private final SameDiff sd;
  private final C config;
  private final String loss;
  private final List<String> trainable;
  private final List<String> decayed;

  /**
   * @param layout every tensor of the model, in checkpoint order
   * @param frozen the tensors that stay constants
   * @param decays which trained tensors receive weight decay
   * @param loss the name of the scalar loss variable
   */
  LayoutTrainingGraph(
      SameDiff sd,
      C config,
      List<TensorSpec> layout,
      Set<String> frozen,
      Predicate<TensorSpec> decays,
      String loss) {
    List<String> trainable = new ArrayList<>();
    List<String> decayed = new ArrayList<>();
    for (TensorSpec spec : layout) {
      if (frozen.contains(spec.name())) {
        continue;
      }
      trainable.add(spec.name());
      if (decays.test(spec)) {
        decayed.add(spec.name());
      }
    }
    this.sd = sd;
    this.config = config;
    this.loss = loss;
    this.trainable = List.copyOf(trainable);
    this.decayed = List.copyOf(decayed);
  }

  /** The SameDiff graph (for a {@link dev.ltrp.nd4j.internal.graph.GraphRunner} or a test). */
  @Override
  public SameDiff sameDiff() {
    return sd;
  }

  /** The architecture. */
  public C config() {
    return config;
  }

  /** Names of the trained variables. */
  public List<String> trainable() {
    return trainable;
  }

  /** Names of the variables that receive weight decay. */
  public List<String> decayed() {
    return decayed;
  }

  /**
   * One optimization step: loss and gradients for {@code placeholders}, then {@code optimizer}'s
   * update of every trainable variable in place. Call on the graph's engine thread.
   *
   * @return the loss before the update
   * @throws dev.ltrp.nd4j.training.TrainingDivergedException if the loss is NaN or infinite (no
   *     update is applied)
   */
  @Override
  public double trainStep(AdamW optimizer, Map<String, INDArray> placeholders, double lr) {
    return GradientStep.run(sd, loss, trainable, optimizer, placeholders, lr);
  }
}
