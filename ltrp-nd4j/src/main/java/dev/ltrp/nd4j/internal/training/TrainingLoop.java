package dev.ltrp.nd4j.internal.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.training.CosineSchedule;
import dev.ltrp.core.training.MetricsLog;
import dev.ltrp.core.training.RunOptions;
import dev.ltrp.core.training.TrainingListener;
import dev.ltrp.nd4j.training.TrainingCheckpoint;
import dev.ltrp.nd4j.training.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one training loop: runs a {@link TrainingTask} on a {@link TrainingSession} for the steps of
 * {@link RunOptions}, with the learning rate of a schedule, continuing a checkpointed run exactly,
 * a JSON-lines metrics log (reopened without the steps that run again), held-out validation and
 * resumable checkpoints at their intervals and after the last step, a clean stop on a non-finite
 * loss, and a {@link TrainingListener}. The MAE pretraining, the ranker training and the
 * evaluation's classifier fine-tuning all run here. Not API.
 */
public final class TrainingLoop {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingLoop() {}

  /**
   * What one call of {@link #run} did.
   *
   * @param losses the loss of each step this call ran, in order
   * @param validations the metrics records of each validation (the metrics log's keys)
   * @param firstStep the steps done before this call
   * @param endStep the steps done after it
   */
  public record Outcome(
      List<Double> losses, List<Map<String, Object>> validations, long firstStep, long endStep) {}

  /**
   * The checkpoint {@code options} resume from, or null; refuses one written with other {@code
   * settings} (a JSON object): the random draws, the schedule and the batches derive from them, so
   * a different run would silently continue.
   */
  public static TrainingCheckpoint resumed(RunOptions options, String settings) throws IOException {
    if (options.resume() == null) {
      return null;
    }
    TrainingCheckpoint checkpoint = TrainingCheckpoint.load(options.resume());
    checkSettings(checkpoint.settings(), settings);
    return checkpoint;
  }

  /**
   * Runs {@code task} from step 0, or from {@code resumed}'s step with its optimizer state (the
   * session's graph must already hold {@code resumed}'s weights).
   *
   * @throws TrainingDivergedException on a non-finite loss, naming the step (no update applied)
   */
  public static <B> Outcome run(
      TrainingSession session,
      TrainingTask<B> task,
      CosineSchedule schedule,
      RunOptions options,
      TrainingCheckpoint resumed,
      TrainingListener listener)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    long firstStep = resumed == null ? 0 : resumed.state().step();
    if (resumed != null) {
      session.restore(resumed.optimizerState(), firstStep);
    }
    List<Double> losses = new ArrayList<>();
    List<Map<String, Object>> validations = new ArrayList<>();
    long endStep = options.endStep(firstStep);
    try (MetricsLog log = openLog(options.metricsLog(), firstStep)) {
      listener.onStart(firstStep, options.steps(), task.itemsPerStep());
      for (long step = firstStep; step < endStep; step++) {
        B batch = task.batch(step);
        double lr = schedule.lr(step);
        long started = System.nanoTime();
        double loss;
        try {
          loss = session.step(() -> task.placeholders(batch), lr);
        } catch (TrainingDivergedException e) {
          throw diverged(e, step + 1, options.checkpoint());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        collectNativeGarbage();
        losses.add(loss);
        long done = step + 1;
        boolean last = done == endStep;
        listener.onStep(done, loss, lr, seconds);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", done);
        record.put("loss", loss);
        record.put("lr", lr);
        record.put("images_per_s", task.itemsPerStep() / Math.max(seconds, 1e-9));
        if (task.validates() && (done % options.validateEvery() == 0 || last)) {
          record.putAll(session.call(task::validate));
          validations.add(new LinkedHashMap<>(record));
          listener.onValidation(done, validations.get(validations.size() - 1));
        }
        if (log != null) {
          log.append(record);
        }
        if (options.checkpoint() != null && (done % options.checkpointEvery() == 0 || last)) {
          TrainingCheckpoint checkpoint =
              session.call(sd -> task.checkpoint(done, lr, session.optimizerState()));
          checkpoint.save(options.checkpoint());
        }
      }
      listener.onFinish(endStep);
    }
    return new Outcome(List.copyOf(losses), List.copyOf(validations), firstStep, endStep);
  }

  /**
   * Frees the arrays ND4J 1.0.0-M2.1's backward pass leaves to the garbage collector (measured:
   * ~7,500 per ViT-Ti step). The Java heap barely grows, so without a collection after each step
   * native memory grows until the process is killed. (Collecting at most once a second made a small
   * model's step 15% faster, but a 70-minute run of the evaluation's fine-tuning then grew to 13 GB
   * resident and was killed: collect after every step.)
   */
  public static void collectNativeGarbage() {
    System.gc();
  }

  static void checkSettings(String saved, String now) throws IOException {
    Map<?, ?> a = JSON.readValue(saved, Map.class);
    Map<?, ?> c = JSON.readValue(now, Map.class);
    List<String> differences = new ArrayList<>();
    for (Object key : c.keySet()) {
      if (!Objects.equals(a.get(key), c.get(key))) {
        differences.add(key + ": checkpoint " + a.get(key) + ", now " + c.get(key));
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(
          "the checkpoint was written by a run with other"
              + " settings; resume with the same ones ("
              + String.join("; ", differences)
              + ")");
    }
  }

  /**
   * A new metrics log, or, when resuming from step {@code firstStep}, the existing one without the
   * records of the steps that are about to run again; null without a file.
   */
  private static MetricsLog openLog(Path file, long firstStep) throws IOException {
    if (file == null) {
      return null;
    }
    if (firstStep > 0 && Files.exists(file)) {
      return MetricsLog.resume(file, "step", firstStep);
    }
    return MetricsLog.open(file);
  }

  private static TrainingDivergedException diverged(
      TrainingDivergedException cause, long step, Path checkpoint) {
    return new TrainingDivergedException(
        "step "
            + step
            + ": "
            + cause.getMessage()
            + "; stopped without applying it"
            + (checkpoint != null ? "; the last checkpoint " + checkpoint + " is intact" : "")
            + ". Lower the learning rate or check the images.");
  }
}
