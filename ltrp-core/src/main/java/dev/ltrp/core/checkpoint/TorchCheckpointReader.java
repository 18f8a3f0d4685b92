package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.SafePickleReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads PyTorch {@code .pth}/{@code .pt}/{@code .bin} checkpoints written by {@code torch.save}, in
 * the zip format (PyTorch ≥ 1.6) and the legacy format (earlier, or {@code
 * _use_new_zipfile_serialization=False}), without PyTorch and without executing the pickle (see
 * {@link SafePickleReader} for what it accepts).
 *
 * <p>Tensors are rebuilt from their storage, offset, size and stride, so views, non-contiguous
 * tensors and tensors sharing a storage come out as PyTorch shows them; every extent is checked
 * against its storage first. Views may repeat stored elements (stride 0, overlapping views) by at
 * most 2^20 elements in all, so that no file makes the reader allocate much more than it stores.
 * Storages of float32, float16, bfloat16, float64 and the integer and bool types are converted to
 * float32 (see {@link DType}); the zip format's {@code byteorder} record is honoured.
 *
 * <pre>{@code
 * StateDict weights = TorchCheckpointReader.read(Path.of("mae_visualize_vit_base.pth"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TorchCheckpointReader {

  private TorchCheckpointReader() {}

  /**
   * Reads the state dict of a checkpoint: the top-level dict if all its values are tensors, else
   * the dict under {@code "model"}, else under {@code "state_dict"}. Other top-level entries
   * (epoch, optimizer state, args, ...) are ignored and their tensors are not read. Values of the
   * state dict that are themselves dicts of tensors are flattened one level as {@code outer.inner}.
   *
   * @return the tensors in the order of the checkpoint's dict
   * @throws UnsafePickleException if the pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file is not a PyTorch checkpoint, is malformed or
   *     truncated, or holds no state dict (the message names the tensor or offset)
   * @throws IOException if the file cannot be read
   */
  public static StateDict read(Path file) throws IOException {
    try (TorchArchive archive = open(file)) {
      return TorchStateDicts.extract(archive);
    }
  }

  /**
   * Reads the whole unpickled object of a checkpoint without loading any tensor data: a low-level
   * view for tests and diagnostics. Tensors appear as {@link
   * dev.ltrp.core.checkpoint.pickle.PyInstance} records of their rebuild call (for example {@code
   * torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}) whose storage argument is
   * a {@link TorchStorageRef}.
   *
   * @throws UnsafePickleException if the pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file is not a PyTorch checkpoint or is malformed
   */
  public static Object readObjectTree(Path file) throws IOException {
    try (TorchArchive archive = open(file)) {
      return archive.root();
    }
  }

  private static TorchArchive open(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return TorchZipArchive.open(file);
    }
    if (head.length >= 1 && (head[0] & 0xFF) == 0x80) {
      return TorchLegacyArchive.open(file);
    }
    throw CheckpointFormatException.atOffset(
        head.length == 0
            ? "file is empty"
            : "not a PyTorch checkpoint: it starts with neither a zip header nor a pickle",
        0);
  }
}
