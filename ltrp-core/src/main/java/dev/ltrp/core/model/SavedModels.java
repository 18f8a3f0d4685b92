package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How this SDK saves a model: a safetensors file whose metadata holds the architecture as JSON
 * (under a model-specific key) and the {@link ModelProvenance}, plus the architecture JSON beside
 * it ({@code name.json} for {@code name.safetensors}), so that either file alone describes the
 * model.
 */
final class SavedModels {

  private SavedModels() {}

  /**
   * Writes {@code tensors}, {@code configJson} and {@code provenance} stamped with this writer
   * ({@link ModelProvenance#withWrittenNow()}) to {@code file}, and {@code configJson} to its
   * sidecar, each atomically.
   */
  static void save(
      Path file,
      StateDict tensors,
      DType dtype,
      String configKey,
      String configJson,
      ModelProvenance provenance)
      throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    // "format": "pt" is what transformers and safetensors.torch expect of a PyTorch state dict.
    metadata.put("format", "pt");
    metadata.put(configKey, configJson);
    metadata.putAll(provenance.withWrittenNow().toMetadata());
    Checkpoints.writeSafetensors(file, tensors, dtype, metadata);
    AtomicFiles.writeString(sidecar(file), configJson);
  }

  /**
   * The architecture JSON saved with a checkpoint: its metadata, else the sidecar beside {@code
   * file} (null for a checkpoint read from a stream, which has none), else none.
   */
  static Optional<String> configJson(Checkpoint checkpoint, Path file, String configKey)
      throws IOException {
    String json = checkpoint.metadata().get(configKey);
    if (json != null) {
      return Optional.of(json);
    }
    if (file != null) {
      Path side = sidecar(file);
      if (Files.isRegularFile(side) && !side.equals(file)) {
        return Optional.of(Files.readString(side));
      }
    }
    return Optional.empty();
  }

  /** The JSON file beside {@code file}: same name with the extension replaced by .json. */
  static Path sidecar(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
  }
}
