package dev.ltrp.core.checkpoint;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads safetensors files: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}},
 * then the data section, with offsets relative to its start and little-endian row-major elements.
 *
 * <p>Reads F32, F16 and BF16, and F64, I64, I32, I16, I8, U8 and BOOL, all converted to float32
 * (see {@link DType}). The whole header is validated before any tensor is allocated: header length
 * within the file and at most 100 MB, well-formed JSON without duplicate keys, every tensor's byte
 * range equal to its element count times its element size and inside the data section, no two
 * ranges overlapping (the message names both tensors), no negative dimensions, no element count
 * beyond a Java array. Gaps between ranges are allowed. Data is streamed through a small buffer, so
 * reading costs the tensors' float arrays and little more.
 *
 * <p>Stateless and thread-safe.
 */
public final class SafetensorsReader {

  private SafetensorsReader() {}

  /**
   * Reads every tensor, in header order.
   *
   * @throws CheckpointFormatException naming the tensor or byte offset if the file is malformed
   * @throws IOException if the file cannot be read
   */
  public static StateDict read(Path file) throws IOException {
    return read(file, name -> true);
  }

  /**
   * Reads the tensors whose name satisfies {@code include}, in header order; the data of the others
   * is not read (the whole header is still validated).
   */
  public static StateDict read(Path file, Predicate<String> include) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, include).tensors();
    }
  }

  /**
   * The {@code __metadata__} map (empty if absent), without reading tensor data; the header is
   * validated as by {@link #read(Path)}.
   */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return SafetensorsHeader.read(channel).metadata;
    }
  }

  /** Reads the header once, then the included tensors' data: a file or a {@link MemoryChannel}. */
  static Checkpoint read(SeekableByteChannel channel, Predicate<String> include)
      throws IOException {
    SafetensorsHeader header = SafetensorsHeader.read(channel);
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    for (SafetensorsHeader.Entry e : header.entries) {
      if (!include.test(e.name())) {
        continue;
      }
      float[] data = new float[e.numel()];
      ElementDecoder.decode(
          ElementDecoder.slice(channel, header.dataStart + e.begin(), e.end() - e.begin()),
          e.dtype(),
          ByteOrder.LITTLE_ENDIAN,
          data,
          0,
          data.length,
          e.name());
      out.put(e.name(), Tensor.wrap(e.shape(), data, e.dtype()));
    }
    return new Checkpoint(CheckpointFormat.SAFETENSORS, StateDict.wrap(out), header.metadata);
  }
}
