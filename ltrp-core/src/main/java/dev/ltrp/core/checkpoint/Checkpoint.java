package dev.ltrp.core.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one read of a checkpoint gives: its format, its tensors and its metadata. Made by
 * {@link Checkpoints#load(java.nio.file.Path)} and {@link Checkpoints#load(java.io.InputStream,
 * String)}, which open and parse the file once, so that a caller needing both the tensors and the
 * metadata (a saved architecture, provenance) does not read the file again.
 *
 * <p>Immutable and thread-safe: the metadata is copied into an unmodifiable map in its order.
 *
 * @param format the format the bytes were recognized as
 * @param tensors the state dict, in the file's order, as float32
 * @param metadata the safetensors {@code __metadata__} string pairs in file order; empty for
 *     PyTorch checkpoints, which have none
 */
public record Checkpoint(CheckpointFormat format, StateDict tensors, Map<String, String> metadata) {

  /** Checks and copies the components. */
  public Checkpoint {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(tensors, "tensors");
    metadata =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
  }
}
