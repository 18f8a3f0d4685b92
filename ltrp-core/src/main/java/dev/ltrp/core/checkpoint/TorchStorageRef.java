package dev.ltrp.core.checkpoint;

import java.util.Objects;

/**
 * A reference to tensor storage in a PyTorch checkpoint, as its pickle names it (a persistent id):
 * elements {@code [offset, offset + numel)} of the storage record {@code key}, stored as {@code
 * dtype}. The data itself is not loaded. {@code offset} is 0 except for the storage views of old
 * legacy files.
 *
 * <p>This is what storages look like in {@link TorchCheckpointReader#readObjectTree}; immutable.
 *
 * @param key the storage record: {@code data/<key>} in a zip checkpoint
 * @param dtype element type
 * @param offset first element, in elements
 * @param numel number of elements
 */
public record TorchStorageRef(String key, DType dtype, long offset, long numel) {

  /** Validates the fields. */
  public TorchStorageRef {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(dtype, "dtype");
    if (offset < 0 || numel < 0) {
      throw new IllegalArgumentException("negative offset " + offset + " or numel " + numel);
    }
  }
}
