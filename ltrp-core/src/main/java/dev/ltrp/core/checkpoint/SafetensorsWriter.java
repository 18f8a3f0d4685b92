package dev.ltrp.core.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes safetensors files that {@link SafetensorsReader}, the Hugging Face {@code safetensors}
 * library and {@code transformers} read.
 *
 * <p>Tensors are stored as {@link DType#F32}, {@link DType#F16} or {@link DType#BF16} (narrowed
 * with round-to-nearest-even, like numpy and PyTorch), in the state dict's order: the data section
 * is laid out in that order and the header lists the tensors in that order, after {@code
 * __metadata__} (omitted when empty). The header is padded with spaces to a multiple of 8 bytes, as
 * the reference writer does, so that the data section is aligned.
 *
 * <p>The file appears atomically ({@link AtomicFiles}): the bytes go to a temporary file in the
 * same folder, which is forced to disk and then renamed over the target, so a reader never sees a
 * partial file and a failed write leaves any previous file intact.
 *
 * <p>Stateless and thread-safe (concurrent writes to the same path leave one complete file).
 */
public final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EnumSet<DType> WRITABLE = EnumSet.of(DType.F32, DType.F16, DType.BF16);

  private SafetensorsWriter() {}

  /** Writes {@code tensors} as F32 without metadata. */
  public static void write(Path file, StateDict tensors) throws IOException {
    write(file, tensors, DType.F32, Map.of());
  }

  /**
   * Writes {@code tensors} in element type {@code dtype} with the given {@code __metadata__}.
   *
   * @param dtype {@link DType#F32}, {@link DType#F16} or {@link DType#BF16}
   * @param metadata string pairs stored in the header (for example {@code "format" -> "pt"})
   * @throws IllegalArgumentException if {@code dtype} is not writable or a tensor is called {@code
   *     __metadata__}
   * @throws IOException if the file cannot be written; the target is then unchanged
   */
  public static void write(Path file, StateDict tensors, DType dtype, Map<String, String> metadata)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(metadata, "metadata");
    if (!WRITABLE.contains(dtype)) {
      throw new IllegalArgumentException("cannot write dtype " + dtype + "; use F32, F16 or BF16");
    }
    if (tensors.contains(SafetensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("a tensor may not be called __metadata__");
    }
    byte[] header = header(tensors, dtype, metadata);
    AtomicFiles.write(
        file,
        out -> {
          ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
          out.write(length.putLong(header.length).array());
          out.write(header);
          writeData(out, tensors, dtype);
        });
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes. */
  static byte[] header(StateDict tensors, DType dtype, Map<String, String> metadata)
      throws JsonProcessingException {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      json.put(SafetensorsHeader.METADATA_KEY, new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.asMap().entrySet()) {
      long end = offset + e.getValue().size() * dtype.byteSize();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", dtype.name());
      entry.put("shape", Arrays.stream(e.getValue().shape()).boxed().toList());
      entry.put("data_offsets", List.of(offset, end));
      json.put(e.getKey(), entry);
      offset = end;
    }
    byte[] text = JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(text, padded);
    Arrays.fill(out, text.length, padded, (byte) ' ');
    return out;
  }

  private static void writeData(OutputStream out, StateDict tensors, DType dtype)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(ElementDecoder.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = buf.capacity() / dtype.byteSize();
    for (Tensor t : tensors.asMap().values()) {
      float[] data = t.data();
      for (int start = 0; start < data.length; start += perChunk) {
        int n = Math.min(perChunk, data.length - start);
        buf.clear();
        switch (dtype) {
          case F32 -> {
            buf.asFloatBuffer().put(data, start, n);
            buf.position(4 * n);
          }
          case F16 -> {
            for (int i = start; i < start + n; i++) {
              buf.putShort(HalfFloats.floatToF16(data[i]));
            }
          }
          case BF16 -> {
            for (int i = start; i < start + n; i++) {
              buf.putShort(HalfFloats.floatToBf16(data[i]));
            }
          }
          default -> throw new AssertionError(dtype);
        }
        out.write(buf.array(), 0, buf.position());
      }
    }
  }
}
