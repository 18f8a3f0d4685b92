package dev.ltrp.core.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads and writes model checkpoints without a deep-learning engine: the entry point of this
 * package.
 *
 * <pre>{@code
 * StateDict weights = Checkpoints.read(Path.of("mae_visualize_vit_base.pth"));
 * Tensor qkv = weights.require("blocks.0.attn.qkv.weight", 2304, 768);
 * Checkpoints.writeSafetensors(Path.of("mae_visualize_vit_base.safetensors"), weights);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * Reads the state dict of a checkpoint in any supported format, recognized by its first bytes
   * rather than its name: a zip header is a PyTorch ≥ 1.6 file, a plausible safetensors header (a
   * length within the file followed by an opening brace) is safetensors, and a pickle is a legacy
   * PyTorch file. See {@link TorchCheckpointReader#read} for which dict of a PyTorch file is
   * returned and {@link SafetensorsReader#read(Path)} for safetensors.
   *
   * @return the tensors, in the file's order, as float32
   * @throws UnsafePickleException if a PyTorch pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file is empty, truncated, of no known format, or
   *     malformed (the message names the tensor or byte offset)
   * @throws IOException if the file cannot be read
   */
  public static StateDict read(Path file) throws IOException {
    return switch (detect(file)) {
      case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpointReader.read(file);
      case SAFETENSORS -> SafetensorsReader.read(file);
    };
  }

  /**
   * The format of a checkpoint, from its first bytes. A file whose name ends in {@code
   * .safetensors} but whose header is implausible is reported as safetensors, so that reading it
   * gives the precise header error.
   *
   * @throws CheckpointFormatException if the file is empty or in no known format
   */
  public static CheckpointFormat detect(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(9);
    }
    if (head.length == 0) {
      throw CheckpointFormatException.atOffset("file is empty", 0);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return CheckpointFormat.TORCH_ZIP;
    }
    // Before the pickle test: a safetensors header length such as 384 starts with byte 0x80.
    if (head.length == 9 && head[8] == '{') {
      long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n >= 2 && n <= Files.size(file) - 8) {
        return CheckpointFormat.SAFETENSORS;
      }
    }
    if ((head[0] & 0xFF) == 0x80) {
      return CheckpointFormat.TORCH_LEGACY;
    }
    if (file.getFileName() != null && file.getFileName().toString().endsWith(".safetensors")) {
      return CheckpointFormat.SAFETENSORS;
    }
    throw CheckpointFormatException.atOffset(
        "unrecognized checkpoint format: the file starts with "
            + HexFormat.ofDelimiter(" ").formatHex(head)
            + ", which is neither a zip archive (PyTorch >= 1.6), a pickle (legacy PyTorch) nor"
            + " a safetensors header", 0);
  }

  /** Writes {@code tensors} as a float32 safetensors file, atomically. */
  public static void writeSafetensors(Path file, StateDict tensors) throws IOException {
    SafetensorsWriter.write(file, tensors);
  }

  /**
   * Writes {@code tensors} as a safetensors file in {@code dtype} (F32, F16 or BF16) with {@code
   * metadata}, atomically; see {@link SafetensorsWriter}.
   */
  public static void writeSafetensors(Path file, StateDict tensors, DType dtype,
      Map<String, String> metadata) throws IOException {
    SafetensorsWriter.write(file, tensors, dtype, metadata);
  }
}
