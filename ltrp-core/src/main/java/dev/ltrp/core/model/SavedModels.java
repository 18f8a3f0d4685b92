package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.CheckpointFormat;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.SafetensorsReader;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How this SDK saves a model: a safetensors file whose metadata holds the architecture as JSON
 * (under a model-specific key), plus the same JSON beside it ({@code name.json} for {@code
 * name.safetensors}), so that either file alone describes the model.
 */
final class SavedModels {

  private SavedModels() {}

  /** Writes {@code tensors} and {@code configJson} to {@code file} and its sidecar, atomically. */
  static void save(Path file, StateDict tensors, DType dtype, String configKey, String configJson)
      throws IOException {
    Checkpoints.writeSafetensors(file, tensors, dtype, Map.of(configKey, configJson,
        "format", "pt"));
    AtomicFiles.writeString(sidecar(file), configJson);
  }

  /** The architecture JSON saved with {@code file}: its metadata, else its sidecar, else none. */
  static Optional<String> configJson(Path file, String configKey) throws IOException {
    if (Checkpoints.detect(file) == CheckpointFormat.SAFETENSORS) {
      String json = SafetensorsReader.readMetadata(file).get(configKey);
      if (json != null) {
        return Optional.of(json);
      }
    }
    Path side = sidecar(file);
    if (Files.isRegularFile(side) && !side.equals(file)) {
      return Optional.of(Files.readString(side));
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
