package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.HfMaeNames;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a masked autoencoder, checked against its {@link MaeConfig}: every tensor of
 * {@link MaeLayout#tensors} present with its exact shape, nothing else.
 *
 * <p>Engine-free: the values live on the Java heap as float32 arrays ({@link Tensor}); the ND4J
 * oracle copies them into native memory. Immutable and thread-safe.
 */
public final class MaeWeights extends ModelWeights<MaeConfig, MaeWeights> {

  /** Safetensors metadata key under which {@link #save} stores the {@link MaeConfig} as JSON. */
  public static final String CONFIG_KEY = "ltrp.mae.config";

  private MaeWeights(
      MaeConfig config, StateDict tensors, String source, ModelProvenance provenance) {
    super(config, tensors, source, provenance);
  }

  @Override
  MaeWeights copy(ModelProvenance provenance) {
    return new MaeWeights(config(), stateDict(), source(), provenance);
  }

  @Override
  String configKey() {
    return CONFIG_KEY;
  }

  @Override
  String kind() {
    return "MAE";
  }

  /**
   * Checks {@code stateDict} (reference MAE names) against {@code config}.
   *
   * @param source where the weights came from, for messages and provenance (a file name, "random
   *     seed 7", …)
   * @throws CheckpointMismatchException naming the first missing, mis-shaped or unexpected tensor
   */
  public static MaeWeights of(MaeConfig config, StateDict stateDict, String source)
      throws CheckpointMismatchException {
    StateDictShapes.checkExactly(stateDict, MaeLayout.tensors(config));
    return new MaeWeights(config, stateDict, source, ModelProvenance.none());
  }

  /**
   * Loads a MAE checkpoint: a reference {@code .pth} ({@code {"model": state_dict}}, zip or legacy
   * format), a safetensors file, or a Hugging Face {@code ViTMAEForPreTraining} checkpoint in
   * either format (its names are converted). The file is opened and parsed once: tensors,
   * architecture and {@link #provenance()} come from that one read.
   *
   * @param config the architecture; null to take it from the file's metadata or the JSON beside it
   *     (files written by {@link #save}), else to infer it from the tensor shapes (possible for the
   *     base, large and huge presets; see {@link MaeConfigInference})
   * @throws IOException if the file cannot be read, is malformed, or does not match the
   *     architecture (a {@link CheckpointMismatchException} naming the tensor and both shapes)
   */
  public static MaeWeights load(Path file, MaeConfig config) throws IOException {
    return from(Checkpoints.load(file), file, file.getFileName().toString(), config);
  }

  /**
   * Loads a MAE checkpoint from a stream, such as a class-path resource, without a temporary file
   * (see {@link Checkpoints#load(InputStream, String)} for the formats and the size limit). As
   * {@link #load(Path, MaeConfig)}, except that there is no JSON beside a stream to read the
   * architecture from. The stream is not closed.
   *
   * @param name the stream's file name, for messages and {@link #source()}
   */
  public static MaeWeights load(InputStream in, String name, MaeConfig config) throws IOException {
    return from(Checkpoints.load(in, name), null, name, config);
  }

  /**
   * The weights of a checkpoint already read, with the provenance in its metadata.
   *
   * @param file where it was read from (its sidecar may hold the architecture), or null
   * @param name the file or stream name, the {@link #source()}
   */
  static MaeWeights from(Checkpoint checkpoint, Path file, String name, MaeConfig config)
      throws IOException {
    String where = file != null ? file.toString() : name;
    StateDict raw = checkpoint.tensors();
    StateDict named = HfMaeNames.isHfMae(raw) ? HfMaeNames.toReference(raw) : raw;
    if (!named.contains("decoder_embed.weight")) {
      throw CheckpointMismatchException.incompatible(
          where
              + ": the checkpoint has no MAE decoder"
              + " (decoder_embed.weight is missing). Encoder-only checkpoints such as"
              + " mae_pretrain_vit_*.pth cannot reconstruct images and so cannot score patches;"
              + " use mae_visualize_vit_*.pth or a *_full.pth checkpoint.");
    }
    MaeConfig saved = null;
    if (config == null) {
      Optional<String> json = SavedModels.configJson(checkpoint, file, CONFIG_KEY);
      if (json.isPresent()) {
        saved = MaeConfig.parseJson(json.get(), where + " (saved config)");
      }
    }
    MaeConfig resolved = MaeConfigInference.infer(named, config != null ? config : saved);
    return of(resolved, named, name)
        .withProvenance(ModelProvenance.fromMetadata(checkpoint.metadata()));
  }

  /**
   * Freshly initialized weights as the reference MAE initializes them: fixed sin-cos position
   * embeddings, Xavier-uniform linear and patch-embedding weights, zero biases, unit norms and
   * {@code N(0, 0.02)} class and mask tokens. Deterministic for a seed.
   */
  public static MaeWeights random(MaeConfig config, long seed) {
    WeightInit init = new WeightInit(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    int grid = config.imgSize() / config.patchSize();
    for (TensorSpec spec : MaeLayout.tensors(config)) {
      String name = spec.name();
      int[] shape = spec.shape();
      float[] data;
      if (name.equals("pos_embed")) {
        data = SinCosPositionEmbedding.create(config.embedDim(), grid, grid, true);
      } else if (name.equals("decoder_pos_embed")) {
        data = SinCosPositionEmbedding.create(config.decoderEmbedDim(), grid, grid, true);
      } else if (name.equals("cls_token") || name.equals("mask_token")) {
        data = init.normal(spec.size(), 0.02);
      } else if (name.endsWith(".bias")) {
        data = new float[spec.size()];
      } else if (name.contains("norm")) {
        data = WeightInit.filled(spec.size(), 1f);
      } else {
        // Linear [out, in] and the patch-embedding conv viewed as [D, C·p·p].
        data = init.xavierUniform(shape[0], spec.size() / shape[0]);
      }
      out.put(name, Tensor.of(shape, data));
    }
    return new MaeWeights(
        config, StateDict.of(out), "random (seed " + seed + ")", ModelProvenance.none());
  }
}
