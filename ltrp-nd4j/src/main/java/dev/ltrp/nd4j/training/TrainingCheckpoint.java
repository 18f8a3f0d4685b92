package dev.ltrp.nd4j.training;

import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.SafetensorsReader;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.training.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training checkpoint in one safetensors file: the model's tensors ({@code model.*}),
 * the optimizer's moments ({@code optim.m.*}, {@code optim.v.*}), and in the metadata the
 * architecture, the {@link TrainingState} and the run's settings, so that a resumed run continues
 * with the same step, optimizer state, learning-rate schedule and random draws (which are derived
 * from the seed and the step, never carried as state).
 *
 * <p>Written atomically (temporary file, fsync, rename): a run killed at any moment leaves either
 * the previous checkpoint or the new one, never a partial file.
 *
 * @param weights the model
 * @param optimizerState {@link AdamW#state()}
 * @param state where the run stands; {@code step} steps are done
 * @param settings the run's settings as JSON, checked on resume
 */
public record TrainingCheckpoint(RankerWeights weights, StateDict optimizerState,
    TrainingState state, String settings) {

  /** Metadata key of the kind marker. */
  public static final String KIND_KEY = "ltrp.kind";
  /** Kind of a ranker training checkpoint. */
  public static final String KIND = "ranker-training-checkpoint/1";
  static final String STATE_KEY = "ltrp.training.state";
  static final String SETTINGS_KEY = "ltrp.training.settings";

  /** Writes this checkpoint to {@code file} atomically. */
  public void save(Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    weights.stateDict().asMap().forEach((name, t) -> tensors.put("model." + name, t));
    optimizerState.asMap().forEach((name, t) -> tensors.put("optim." + name, t));
    Map<String, String> metadata = Map.of(
        KIND_KEY, KIND,
        RankerWeights.CONFIG_KEY, weights.config().toJson(),
        STATE_KEY, state.toJson(),
        SETTINGS_KEY, settings);
    Checkpoints.writeSafetensors(file, StateDict.of(tensors), DType.F32, metadata);
  }

  /**
   * Reads a checkpoint written by {@link #save}.
   *
   * @throws CheckpointFormatException if the file is not a ranker training checkpoint
   */
  public static TrainingCheckpoint load(Path file) throws IOException {
    Map<String, String> metadata = SafetensorsReader.readMetadata(file);
    if (!KIND.equals(metadata.get(KIND_KEY))) {
      throw new CheckpointFormatException(file + " is not a ranker training checkpoint ("
          + KIND_KEY + " is " + metadata.get(KIND_KEY) + ", expected " + KIND + ")");
    }
    StateDict all = SafetensorsReader.read(file);
    Map<String, Tensor> model = new LinkedHashMap<>();
    Map<String, Tensor> optim = new LinkedHashMap<>();
    all.asMap().forEach((name, t) -> {
      if (name.startsWith("model.")) {
        model.put(name.substring("model.".length()), t);
      } else if (name.startsWith("optim.")) {
        optim.put(name.substring("optim.".length()), t);
      }
    });
    RankerConfig config = RankerConfig.parseJson(metadata.get(RankerWeights.CONFIG_KEY),
        file + " (metadata)");
    RankerWeights weights = RankerWeights.of(config, StateDict.of(model), file.getFileName()
        .toString());
    return new TrainingCheckpoint(weights, StateDict.of(optim),
        TrainingState.fromJson(metadata.get(STATE_KEY)), metadata.get(SETTINGS_KEY));
  }
}
