package dev.ltrp.nd4j.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.training.MetricsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What every training loop does the same way. */
public final class TrainingRuns {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingRuns() {}

  /**
   * Refuses to resume a run whose settings differ from the checkpoint's: the random draws, the
   * schedule and the batches derive from them, so a different run would silently continue.
   */
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
      throw new IllegalArgumentException("the checkpoint was written by a run with other"
          + " settings; resume with the same ones (" + String.join("; ", differences) + ")");
    }
  }

  /**
   * Opens the metrics log: a new one, or, when resuming from step {@code firstStep}, the existing
   * one without the records of the steps that are about to run again.
   */
  static MetricsLog openLog(Path file, long firstStep) throws IOException {
    if (file == null) {
      return null;
    }
    if (firstStep > 0 && Files.exists(file)) {
      return MetricsLog.resume(file, "step", firstStep);
    }
    return MetricsLog.open(file);
  }

  /** The message of a run stopped at {@code step} (1-based) by a non-finite loss. */
  static TrainingDivergedException diverged(TrainingDivergedException cause, long step,
      Path checkpoint) {
    return new TrainingDivergedException("step " + step + ": " + cause.getMessage()
        + "; stopped without applying it"
        + (checkpoint != null ? "; the last checkpoint " + checkpoint + " is intact" : "")
        + ". Lower the learning rate or check the images.");
  }

  /**
   * Frees the arrays ND4J 1.0.0-M2.1's backward pass leaves to the garbage collector (measured:
   * ~7,500 per ViT-Ti step). The Java heap barely grows, so without a collection after each step
   * native memory grows until the process is killed. (Collecting at most once a second made a
   * small model's step 15% faster, but a 70-minute run of the evaluation's fine-tuning then grew
   * to 13 GB resident and was killed: collect after every step.)
   */
  public static void collectNativeGarbage() {
    System.gc();
  }
}
