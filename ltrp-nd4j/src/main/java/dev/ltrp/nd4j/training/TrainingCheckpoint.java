package dev.ltrp.nd4j.training;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.ModelProvenance;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.training.TrainingState;
import dev.ltrp.nd4j.internal.training.AdamW;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training checkpoint in one safetensors file: the model's tensors ({@code model.*}),
 * the optimizer's moments ({@code optim.m.*}, {@code optim.v.*}), and in the metadata which model
 * it is, its architecture, the {@link TrainingState} and the run's settings, so that a resumed run
 * continues with the same step, optimizer state, learning-rate schedule and random draws (which are
 * derived from the seed and the step, never carried as state).
 *
 * <p>Written atomically (temporary file, fsync, rename): a run killed at any moment leaves either
 * the previous checkpoint or the new one, never a partial file.
 *
 * @param model {@value #RANKER} or {@value #MAE}
 * @param weights the model's tensors (checkpoint names)
 * @param config the model's architecture as JSON
 * @param optimizerState {@link AdamW#state()}
 * @param state where the run stands; {@code step} steps are done
 * @param settings the run's settings as JSON, checked on resume
 */
public record TrainingCheckpoint(
    String model,
    StateDict weights,
    String config,
    StateDict optimizerState,
    TrainingState state,
    String settings) {

  /** The ranking model. */
  public static final String RANKER = "ranker";

  /** The masked autoencoder. */
  public static final String MAE = "mae";

  static final String KIND_KEY = "ltrp.kind";
  static final String KIND = "training-checkpoint/1";
  static final String MODEL_KEY = "ltrp.training.model";
  static final String CONFIG_KEY = "ltrp.training.config";
  static final String STATE_KEY = "ltrp.training.state";
  static final String SETTINGS_KEY = "ltrp.training.settings";

  /** A ranker checkpoint. */
  public static TrainingCheckpoint ranker(
      RankerWeights weights, StateDict optimizer, TrainingState state, String settings) {
    return new TrainingCheckpoint(
        RANKER, weights.stateDict(), weights.config().toJson(), optimizer, state, settings);
  }

  /** A MAE checkpoint. */
  public static TrainingCheckpoint mae(
      MaeWeights weights, StateDict optimizer, TrainingState state, String settings) {
    return new TrainingCheckpoint(
        MAE, weights.stateDict(), weights.config().toJson(), optimizer, state, settings);
  }

  /** Writes this checkpoint to {@code file} atomically. */
  public void save(Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    weights.asMap().forEach((name, t) -> tensors.put("model." + name, t));
    optimizerState.asMap().forEach((name, t) -> tensors.put("optim." + name, t));
    Map<String, String> metadata =
        new LinkedHashMap<>(
            Map.of(
                KIND_KEY,
                KIND,
                MODEL_KEY,
                model,
                CONFIG_KEY,
                config,
                STATE_KEY,
                state.toJson(),
                SETTINGS_KEY,
                settings));
    // Who wrote it and when; the steps and settings are in the state and settings entries.
    metadata.putAll(ModelProvenance.none().withWrittenNow().toMetadata());
    Checkpoints.writeSafetensors(file, StateDict.of(tensors), DType.F32, metadata);
  }

  /**
   * Reads a checkpoint written by {@link #save}.
   *
   * @throws CheckpointFormatException if the file is not a training checkpoint
   */
  public static TrainingCheckpoint load(Path file) throws IOException {
    Checkpoint checkpoint = Checkpoints.load(file); // one read: metadata and tensors
    Map<String, String> metadata = checkpoint.metadata();
    if (!KIND.equals(metadata.get(KIND_KEY))) {
      throw new CheckpointFormatException(
          file
              + " is not a training checkpoint ("
              + KIND_KEY
              + " is "
              + metadata.get(KIND_KEY)
              + ", expected "
              + KIND
              + ")");
    }
    Map<String, Tensor> model = new LinkedHashMap<>();
    Map<String, Tensor> optim = new LinkedHashMap<>();
    checkpoint
        .tensors()
        .asMap()
        .forEach(
            (name, t) -> {
              if (name.startsWith("model.")) {
                model.put(name.substring("model.".length()), t);
              } else if (name.startsWith("optim.")) {
                optim.put(name.substring("optim.".length()), t);
              }
            });
    return new TrainingCheckpoint(
        metadata.get(MODEL_KEY),
        StateDict.of(model),
        metadata.get(CONFIG_KEY),
        StateDict.of(optim),
        TrainingState.fromJson(metadata.get(STATE_KEY)),
        metadata.get(SETTINGS_KEY));
  }

  /**
   * The ranker this checkpoint holds.
   *
   * @throws CheckpointFormatException if it holds another model or the tensors do not fit
   */
  public RankerWeights rankerWeights(Path source) throws IOException {
    requireModel(RANKER, source);
    return RankerWeights.of(
        RankerConfig.parseJson(config, source + " (metadata)"),
        weights,
        source.getFileName().toString());
  }

  /**
   * The MAE this checkpoint holds.
   *
   * @throws CheckpointFormatException if it holds another model or the tensors do not fit
   */
  public MaeWeights maeWeights(Path source) throws IOException {
    requireModel(MAE, source);
    return MaeWeights.of(
        MaeConfig.parseJson(config, source + " (metadata)"),
        weights,
        source.getFileName().toString());
  }

  private void requireModel(String expected, Path source) throws CheckpointFormatException {
    if (!expected.equals(model)) {
      throw new CheckpointFormatException(
          source + " is a " + model + " training checkpoint, not a " + expected + " one");
    }
  }
}
