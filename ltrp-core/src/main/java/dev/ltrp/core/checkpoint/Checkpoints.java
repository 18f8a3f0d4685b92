package dev.ltrp.core.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes model checkpoints without a deep-learning engine: the entry point of this
 * package.
 *
 * <pre>{@code
 * StateDict weights = Checkpoints.read(Path.of("mae_visualize_vit_base.pth"));
 * Tensor qkv = weights.require("blocks.0.attn.qkv.weight", 2304, 768);
 * Checkpoints.writeSafetensors(Path.of("mae_visualize_vit_base.safetensors"), weights);
 *
 * Checkpoint checkpoint = Checkpoints.load(Path.of("ranker.safetensors")); // tensors + metadata
 * try (InputStream in = loader.getResourceAsStream("models/ranker.safetensors")) {
 *   Checkpoint resource = Checkpoints.load(in, "ranker.safetensors");
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * Largest checkpoint {@link #load(InputStream, String)} reads from a stream (1 GiB): the whole
   * stream is held in memory while it is parsed.
   */
  public static final long DEFAULT_STREAM_LIMIT = 1L << 30;

  /** Largest limit {@link #load(InputStream, String, long)} accepts: the largest Java array. */
  public static final long MAX_STREAM_LIMIT = Integer.MAX_VALUE - 8;

  /**
   * Reads the state dict of a checkpoint in any supported format, recognized by its first bytes
   * rather than its name: a zip header is a PyTorch ≥ 1.6 file, a plausible safetensors header (a
   * length within the file followed by an opening brace) is safetensors, and a pickle is a legacy
   * PyTorch file. See {@link TorchCheckpointReader#read} for which dict of a PyTorch file is
   * returned and {@link SafetensorsReader#read(Path)} for safetensors. The same as {@code
   * load(file).tensors()}.
   *
   * @return the tensors, in the file's order, as float32
   * @throws UnsafePickleException if a PyTorch pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file is empty, truncated, of no known format, or
   *     malformed (the message names the tensor or byte offset)
   * @throws IOException if the file cannot be read
   */
  public static StateDict read(Path file) throws IOException {
    return load(file).tensors();
  }

  /**
   * Reads a checkpoint, tensors and metadata, opening and parsing the file once (a PyTorch zip
   * archive is opened a second time by {@link java.util.zip.ZipFile}, which takes a file name).
   * Formats are recognized as by {@link #read(Path)}.
   *
   * @throws UnsafePickleException if a PyTorch pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file is empty, truncated, of no known format, or
   *     malformed (the message names the tensor or byte offset)
   * @throws IOException if the file cannot be read
   */
  public static Checkpoint load(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      CheckpointFormat format = detect(head(channel), channel.size(), fileName(file));
      return switch (format) {
        case SAFETENSORS -> SafetensorsReader.read(channel, name -> true);
        case TORCH_LEGACY -> torch(format, TorchLegacyArchive.open(channel));
        case TORCH_ZIP -> torch(format, TorchZipArchive.open(file));
      };
    }
  }

  /**
   * Reads a checkpoint from a stream (a class-path resource, a download) of at most {@link
   * #DEFAULT_STREAM_LIMIT} bytes; see {@link #load(InputStream, String, long)}.
   */
  public static Checkpoint load(InputStream in, String name) throws IOException {
    return load(in, name, DEFAULT_STREAM_LIMIT);
  }

  /**
   * Reads a checkpoint from a stream without a temporary file: the stream is read to its end into
   * memory (so this costs the stream's size in bytes on top of the tensors' float32 arrays) and
   * parsed as {@link #load(Path)} parses a file, with the same checks and messages. Safetensors and
   * legacy PyTorch checkpoints are read; a PyTorch zip archive needs random access to its central
   * directory and is refused. The stream is not closed.
   *
   * @param name the stream's file name, for messages and for recognizing a {@code .safetensors}
   *     file whose header is implausible (see {@link #detect})
   * @param maxBytes the most bytes read, at most {@link #MAX_STREAM_LIMIT}
   * @throws CheckpointFormatException if the stream holds more than {@code maxBytes} bytes, is a
   *     PyTorch zip archive, or is malformed (the message names the tensor or byte offset)
   * @throws IOException if the stream cannot be read
   */
  public static Checkpoint load(InputStream in, String name, long maxBytes) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(name, "name");
    if (maxBytes < 0 || maxBytes > MAX_STREAM_LIMIT) {
      throw new IllegalArgumentException(
          "maxBytes must be in [0, " + MAX_STREAM_LIMIT + "], got " + maxBytes);
    }
    byte[] bytes = in.readNBytes((int) maxBytes + 1); // grows with the data actually present
    if (bytes.length > maxBytes) {
      throw CheckpointFormatException.atOffset(
          name
              + " has more than the "
              + maxBytes
              + " bytes accepted from a stream; read it from a file instead",
          maxBytes);
    }
    MemoryChannel channel = new MemoryChannel(bytes);
    CheckpointFormat format = detect(head(channel), bytes.length, name);
    return switch (format) {
      case SAFETENSORS -> SafetensorsReader.read(channel, n -> true);
      case TORCH_LEGACY -> torch(format, TorchLegacyArchive.open(channel));
      case TORCH_ZIP ->
          throw CheckpointFormatException.atOffset(
              name
                  + " is a PyTorch zip"
                  + " checkpoint, which cannot be read from a stream (its directory is at the end);"
                  + " read it from a file, or convert it to safetensors with ltrp convert",
              0);
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
    return detect(head, Files.size(file), fileName(file));
  }

  private static String fileName(Path file) {
    return file.getFileName() == null ? "" : file.getFileName().toString();
  }

  private static CheckpointFormat detect(byte[] head, long size, String name)
      throws CheckpointFormatException {
    if (head.length == 0) {
      throw CheckpointFormatException.atOffset("file is empty", 0);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return CheckpointFormat.TORCH_ZIP;
    }
    // Before the pickle test: a safetensors header length such as 384 starts with byte 0x80.
    if (head.length == 9 && head[8] == '{') {
      long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n >= 2 && n <= size - 8) {
        return CheckpointFormat.SAFETENSORS;
      }
    }
    if ((head[0] & 0xFF) == 0x80) {
      return CheckpointFormat.TORCH_LEGACY;
    }
    if (name.endsWith(".safetensors")) {
      return CheckpointFormat.SAFETENSORS;
    }
    throw CheckpointFormatException.atOffset(
        "unrecognized checkpoint format: the file starts with "
            + HexFormat.ofDelimiter(" ").formatHex(head)
            + ", which is neither a zip archive (PyTorch >= 1.6), a pickle (legacy PyTorch) nor"
            + " a safetensors header",
        0);
  }

  /** The first 9 bytes (fewer if the content is shorter); the channel's position moves. */
  private static byte[] head(SeekableByteChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(9);
    channel.position(0);
    while (head.hasRemaining() && channel.read(head) >= 0) {
      // reads until 9 bytes or the end
    }
    return Arrays.copyOf(head.array(), head.position());
  }

  /** The state dict of a PyTorch archive, which is closed. */
  private static Checkpoint torch(CheckpointFormat format, TorchArchive archive)
      throws IOException {
    try (archive) {
      return new Checkpoint(format, TorchStateDicts.extract(archive), Map.of());
    }
  }

  /** Writes {@code tensors} as a float32 safetensors file, atomically. */
  public static void writeSafetensors(Path file, StateDict tensors) throws IOException {
    SafetensorsWriter.write(file, tensors);
  }

  /**
   * Writes {@code tensors} as a safetensors file in {@code dtype} (F32, F16 or BF16) with {@code
   * metadata}, atomically; see {@link SafetensorsWriter}.
   */
  public static void writeSafetensors(
      Path file, StateDict tensors, DType dtype, Map<String, String> metadata) throws IOException {
    SafetensorsWriter.write(file, tensors, dtype, metadata);
  }
}
