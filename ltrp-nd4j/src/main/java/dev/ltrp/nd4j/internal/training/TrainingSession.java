package dev.ltrp.nd4j.internal.training;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable graph on its own engine thread with its AdamW state: what one training run (or a
 * model that trains and predicts, like the evaluation's classifier) holds while it lives. Calls are
 * serialized on the engine thread. Holds native memory: close it. Not API.
 */
public final class TrainingSession implements AutoCloseable {

  private final TrainableGraph graph;
  private final GraphRunner runner;
  private final AdamW adam;

  private TrainingSession(TrainableGraph graph, GraphRunner runner, AdamW adam) {
    this.graph = graph;
    this.runner = runner;
    this.adam = adam;
  }

  /**
   * Starts {@code graph} on an engine thread named {@code threadName} with the reference AdamW.
   *
   * @param decayed the variables that get weight decay
   */
  public static TrainingSession start(
      TrainableGraph graph, Collection<String> decayed, double weightDecay, String threadName) {
    GraphRunner runner =
        GraphRunner.start(graph.sameDiff(), threadName, RankerTrainingGraph.CACHE_BYTES);
    return new TrainingSession(graph, runner, AdamW.reference(weightDecay, decayed));
  }

  /** Runs {@code work} on the engine thread and returns its result. */
  public <T> T call(Function<SameDiff, T> work) {
    return runner.call(work);
  }

  /**
   * One optimization step at learning rate {@code lr} on the placeholders {@code inputs} makes on
   * the engine thread (closed afterwards).
   *
   * @return the loss before the update
   */
  public double step(Supplier<Map<String, INDArray>> inputs, double lr) {
    return runner.call(
        sd -> {
          Map<String, INDArray> in = inputs.get();
          try {
            return graph.trainStep(adam, in, lr);
          } finally {
            GraphArrays.closeAll(in);
          }
        });
  }

  /** The optimizer's state, for a checkpoint. Call on the engine thread (inside {@link #call}). */
  public StateDict optimizerState() {
    return adam.state();
  }

  /** Restores the optimizer's state after {@code steps} steps of an earlier run. */
  public void restore(StateDict state, long steps) {
    runner.call(
        sd -> {
          adam.restore(state, steps);
          return null;
        });
  }

  /** Frees the optimizer state (on the engine thread) and the graph's thread. Idempotent. */
  @Override
  public void close() {
    try {
      runner.call(
          sd -> {
            adam.close();
            return null;
          });
    } catch (IllegalStateException alreadyClosed) {
      // closing twice is harmless
    }
    runner.close();
  }
}
