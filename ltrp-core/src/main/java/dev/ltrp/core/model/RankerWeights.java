package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of an LTRP ranking model, checked against its {@link RankerConfig}: every tensor of
 * {@link RankerLayout#tensors} with its exact shape, nothing else.
 *
 * <p>This SDK saves rankers as a safetensors file whose metadata holds the architecture (key
 * {@value #CONFIG_KEY}) and the {@link ModelProvenance}, plus the architecture JSON beside it
 * ({@code ranker.json} for {@code ranker.safetensors}), so that either file alone describes the
 * model. Reference checkpoints ({@code .pth} with timm names, optionally under {@code "model"} and
 * a common prefix such as {@code module.}) load too. Engine-free: values live on the Java heap.
 * Immutable and thread-safe.
 */
public final class RankerWeights extends ModelWeights<RankerConfig, RankerWeights> {

  /** Safetensors metadata key holding the ranker's {@link RankerConfig} as JSON. */
  public static final String CONFIG_KEY = "ltrp.ranker.config";

  private RankerWeights(
      RankerConfig config, StateDict tensors, String source, ModelProvenance provenance) {
    super(config, tensors, source, provenance);
  }

  @Override
  RankerWeights copy(ModelProvenance provenance) {
    return new RankerWeights(config(), stateDict(), source(), provenance);
  }

  @Override
  String configKey() {
    return CONFIG_KEY;
  }

  @Override
  String kind() {
    return "ranker";
  }

  /**
   * Checks {@code stateDict} (timm names) against {@code config}.
   *
   * @throws CheckpointMismatchException naming the first missing, mis-shaped or unexpected tensor
   */
  public static RankerWeights of(RankerConfig config, StateDict stateDict, String source)
      throws CheckpointMismatchException {
    StateDictShapes.checkExactly(stateDict, RankerLayout.tensors(config));
    return new RankerWeights(config, stateDict, source, ModelProvenance.none());
  }

  /**
   * Loads a ranker: this SDK's safetensors files, or a reference {@code .pth}/safetensors with timm
   * names. The file is opened and parsed once: tensors, architecture and {@link #provenance()} come
   * from that one read.
   *
   * @param config the architecture, or null to take it from the file's metadata, the JSON beside
   *     it, or the tensor shapes (head counts from the presets), in that order
   * @throws IOException if a file cannot be read or does not match the architecture
   */
  public static RankerWeights load(Path file, RankerConfig config) throws IOException {
    return from(Checkpoints.load(file), file, file.getFileName().toString(), config);
  }

  /**
   * Loads a ranker from a stream, such as a class-path resource, without a temporary file (see
   * {@link Checkpoints#load(InputStream, String)} for the formats and the size limit). As {@link
   * #load(Path, RankerConfig)}, except that there is no JSON beside a stream to read the
   * architecture from. The stream is not closed.
   *
   * @param name the stream's file name, for messages and {@link #source()}
   */
  public static RankerWeights load(InputStream in, String name, RankerConfig config)
      throws IOException {
    return from(Checkpoints.load(in, name), null, name, config);
  }

  /**
   * The weights of a checkpoint already read, with the provenance in its metadata.
   *
   * @param file where it was read from (its sidecar may hold the architecture), or null
   * @param name the file or stream name, the {@link #source()}
   */
  static RankerWeights from(Checkpoint checkpoint, Path file, String name, RankerConfig config)
      throws IOException {
    StateDict raw = stripCommonPrefix(checkpoint.tensors());
    RankerConfig resolved = config;
    if (resolved == null) {
      Optional<String> json = SavedModels.configJson(checkpoint, file, CONFIG_KEY);
      if (json.isPresent()) {
        resolved =
            RankerConfig.parseJson(
                json.get(), (file != null ? file.toString() : name) + " (saved config)");
      }
    }
    resolved = infer(raw, resolved);
    return of(resolved, raw, name)
        .withProvenance(ModelProvenance.fromMetadata(checkpoint.metadata()));
  }

  /**
   * A freshly initialized ranker: fixed sin-cos position embeddings, Xavier-uniform patch
   * embedding, {@code N(0, 0.02)} linear weights (timm's truncated normal at ±2, which is the same
   * for this std) and class token, zero biases, unit norms. Deterministic for a seed.
   */
  public static RankerWeights random(RankerConfig config, long seed) {
    WeightInit init = new WeightInit(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    int rows = config.grid().rows();
    int cols = config.grid().cols();
    for (TensorSpec spec : RankerLayout.tensors(config)) {
      String name = spec.name();
      int[] shape = spec.shape();
      float[] data;
      if (name.equals("pos_embed")) {
        data = SinCosPositionEmbedding.create(config.embedDim(), rows, cols, true);
      } else if (name.equals("cls_token")) {
        data = init.normal(spec.size(), 0.02);
      } else if (name.endsWith(".bias")) {
        data = new float[spec.size()];
      } else if (name.contains("norm")) {
        data = WeightInit.filled(spec.size(), 1f);
      } else if (name.equals("patch_embed.proj.weight")) {
        data = init.xavierUniform(shape[0], spec.size() / shape[0]);
      } else {
        data = init.normal(spec.size(), 0.02);
      }
      out.put(name, Tensor.of(shape, data));
    }
    return new RankerWeights(
        config, StateDict.of(out), "random (seed " + seed + ")", ModelProvenance.none());
  }

  /**
   * Saves as {@code file} (safetensors, float32, the architecture and the {@link #provenance()}
   * stamped with this writer's version, commit and time in its metadata) and the architecture as
   * JSON beside it ({@code name.json}); both written atomically.
   */
  public void save(Path file) throws IOException {
    save(file, DType.F32);
  }

  /**
   * These weights with other tensor values (same names and shapes), e.g. after training; the new
   * weights carry no provenance (see {@link #withProvenance}).
   */
  public RankerWeights withTensors(StateDict updated, String newSource)
      throws CheckpointMismatchException {
    return of(config(), updated, newSource);
  }

  /** The JSON file saved beside {@code file}: same name with the extension replaced by .json. */
  public static Path sidecar(Path file) {
    return SavedModels.sidecar(file);
  }

  /** Drops a prefix shared by every name ({@code module.}, {@code ranking_model.}, …). */
  private static StateDict stripCommonPrefix(StateDict sd) throws CheckpointMismatchException {
    if (sd.isEmpty() || sd.contains("cls_token")) {
      return sd;
    }
    String first = sd.names().iterator().next();
    int dot = first.indexOf('.');
    if (dot <= 0) {
      return sd;
    }
    String prefix = first.substring(0, dot + 1);
    for (String name : sd.names()) {
      if (!name.startsWith(prefix)) {
        return sd;
      }
    }
    return sd.withPrefixStripped(prefix);
  }

  private static RankerConfig infer(StateDict sd, RankerConfig given)
      throws CheckpointMismatchException {
    int[] cls = StateDictShapes.shape(sd, "cls_token", "a ranker");
    int[] patch = StateDictShapes.shape(sd, "patch_embed.proj.weight", "a ranker");
    int[] head = StateDictShapes.shape(sd, "head.weight", "a ranker");
    int[] fc1 = StateDictShapes.shape(sd, "blocks.0.mlp.fc1.weight", "a ranker");
    if (cls.length != 3 || patch.length != 4 || head.length != 2 || fc1.length != 2) {
      throw CheckpointMismatchException.incompatible("unexpected tensor ranks for a ranker");
    }
    int embedDim = cls[2];
    int patchSize = patch[2];
    int imgSize = StateDictShapes.squareSide(head[0], "head.weight") * patchSize;
    int depth = StateDictShapes.countBlocks(sd, "blocks.");
    double mlpRatio = fc1[0] / (double) embedDim;
    if (given != null) {
      StateDictShapes.compare("img_size", given.imgSize(), imgSize);
      StateDictShapes.compare("patch_size", given.patchSize(), patchSize);
      StateDictShapes.compare("in_chans", given.inChans(), patch[1]);
      StateDictShapes.compare("embed_dim", given.embedDim(), embedDim);
      StateDictShapes.compare("depth", given.depth(), depth);
      StateDictShapes.compare("mlp width", given.mlpHidden(), fc1[0]);
      return given;
    }
    int heads = embedDim == 192 ? 3 : embedDim == 384 ? 6 : embedDim == 768 ? 12 : -1;
    if (heads < 0) {
      throw CheckpointMismatchException.incompatible(
          "cannot infer the head count of a ranker"
              + " with embed_dim "
              + embedDim
              + " from tensor shapes; pass its configuration (a JSON"
              + " file with num_heads)");
    }
    try {
      return new RankerConfig(imgSize, patchSize, patch[1], embedDim, depth, heads, mlpRatio);
    } catch (IllegalArgumentException e) {
      throw CheckpointMismatchException.incompatible(
          "checkpoint shapes give an invalid ranker: " + e.getMessage());
    }
  }
}
