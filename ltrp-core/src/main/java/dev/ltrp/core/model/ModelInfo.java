package dev.ltrp.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointFormat;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a model file holds, without an engine: which model and architecture, how many tensors and
 * parameters, in which element types, how large the file is, and its {@link ModelProvenance}
 * (fields a file lacks, such as those written before provenance existed, are absent, not errors).
 * What {@code ltrp info} prints.
 *
 * <pre>{@code
 * ModelInfo info = ModelInfo.read(Path.of("ranker.safetensors"));
 * info.kind();                          // RANKER
 * info.provenance().trainingSteps();    // OptionalLong[4000]
 * System.out.println(info.toJson());    // one line of JSON
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the file as given
 * @param format the checkpoint format
 * @param fileBytes the file's size in bytes
 * @param kind which model it is, from its metadata or tensor names
 * @param architecture the architecture as JSON ({@link MaeConfig#toJson()} or {@link
 *     RankerConfig#toJson()}), as {@link MaeWeights#load} or {@link RankerWeights#load} resolve it
 *     (saved metadata, the JSON beside the file, or the tensor shapes); absent for {@link
 *     Kind#OTHER}
 * @param tensorCount the number of tensors
 * @param parameterCount the number of values in all tensors
 * @param dtypes the element types the file stores, in order of first use
 * @param provenance the provenance in the file's metadata
 */
public record ModelInfo(
    Path file,
    CheckpointFormat format,
    long fileBytes,
    Kind kind,
    Optional<String> architecture,
    int tensorCount,
    long parameterCount,
    List<DType> dtypes,
    ModelProvenance provenance) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which model a file holds. */
  public enum Kind {
    /** A masked autoencoder that {@link MaeWeights#load} accepts. */
    MAE,
    /** A ranker that {@link RankerWeights#load} accepts. */
    RANKER,
    /** Any other checkpoint (a training checkpoint, an encoder-only MAE, another network). */
    OTHER
  }

  /** Checks the components and copies the list. */
  public ModelInfo {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(provenance, "provenance");
    dtypes = List.copyOf(dtypes);
  }

  /**
   * Describes {@code file}, a checkpoint in any format {@link Checkpoints#load(Path)} reads. The
   * file is read once, tensors included (the heap needs their float32 size).
   *
   * @throws dev.ltrp.core.checkpoint.CheckpointFormatException if the file is malformed, or its
   *     saved architecture or provenance is
   * @throws IOException if the file cannot be read
   */
  public static ModelInfo read(Path file) throws IOException {
    Checkpoint checkpoint = Checkpoints.load(file);
    ModelProvenance provenance = ModelProvenance.fromMetadata(checkpoint.metadata());
    String name = file.getFileName().toString();
    Kind kind = Kind.OTHER;
    String architecture = null;
    // A saved ranker says so; anything else may be a MAE, then a ranker.
    if (!checkpoint.metadata().containsKey(RankerWeights.CONFIG_KEY)) {
      try {
        architecture = MaeWeights.from(checkpoint, file, name, null).config().toJson();
        kind = Kind.MAE;
      } catch (CheckpointMismatchException notAMae) {
        // try a ranker
      }
    }
    if (architecture == null) {
      try {
        architecture = RankerWeights.from(checkpoint, file, name, null).config().toJson();
        kind = Kind.RANKER;
      } catch (CheckpointMismatchException notARanker) {
        kind = guessKind(checkpoint.tensors().names());
      }
    }
    List<DType> dtypes = new ArrayList<>();
    for (Tensor t : checkpoint.tensors().asMap().values()) {
      if (!dtypes.contains(t.sourceDType())) {
        dtypes.add(t.sourceDType());
      }
    }
    return new ModelInfo(
        file,
        checkpoint.format(),
        Files.size(file),
        kind,
        Optional.ofNullable(architecture),
        checkpoint.tensors().size(),
        checkpoint.tensors().totalElements(),
        dtypes,
        provenance);
  }

  /**
   * The kind of a checkpoint neither loader accepts without a configuration (a MAE whose head
   * counts cannot be inferred, say), by its tensor names.
   */
  private static Kind guessKind(Set<String> names) {
    if (names.stream().anyMatch(n -> n.endsWith("decoder_embed.weight"))) {
      return Kind.MAE;
    }
    boolean head =
        names.stream().anyMatch(n -> n.equals("head.weight") || n.endsWith(".head.weight"));
    boolean cls = names.stream().anyMatch(n -> n.endsWith("cls_token"));
    return head && cls ? Kind.RANKER : Kind.OTHER;
  }

  /**
   * This description as one line of JSON: {@code file}, {@code format}, {@code bytes}, {@code
   * kind}, {@code architecture} (an object, or null), {@code tensors}, {@code parameters}, {@code
   * dtypes}, and {@code provenance} with {@code version}, {@code commit}, {@code written_utc},
   * {@code training_steps} and {@code training_settings} (an object), each null when absent.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("file", file.toString());
    root.put("format", format.name().toLowerCase(Locale.ROOT));
    root.put("bytes", fileBytes);
    root.put("kind", kind.name().toLowerCase(Locale.ROOT));
    root.set("architecture", architecture.map(ModelInfo::tree).orElse(null));
    root.put("tensors", tensorCount);
    root.put("parameters", parameterCount);
    ArrayNode types = root.putArray("dtypes");
    dtypes.forEach(d -> types.add(d.name()));
    root.set("provenance", provenanceJson(provenance));
    return root.toString();
  }

  private static ObjectNode provenanceJson(ModelProvenance p) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", p.version().orElse(null));
    node.put("commit", p.commit().orElse(null));
    node.put("written_utc", p.writtenAt().map(Object::toString).orElse(null));
    if (p.trainingSteps().isPresent()) {
      node.put("training_steps", p.trainingSteps().getAsLong());
    } else {
      node.putNull("training_steps");
    }
    node.set("training_settings", p.trainingSettings().map(ModelInfo::tree).orElse(null));
    return node;
  }

  /** JSON text already validated (a config we wrote, settings {@link ModelProvenance} checked). */
  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
