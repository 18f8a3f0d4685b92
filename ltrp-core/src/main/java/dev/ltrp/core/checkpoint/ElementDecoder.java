package dev.ltrp.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * Streams stored elements of any {@link DType} into a float32 array through a fixed 1 MiB buffer,
 * so that loading a tensor costs its float array and nothing proportional to the file. Stateless.
 */
final class ElementDecoder {

  /** Bytes read per chunk: a multiple of every element size. */
  static final int CHUNK_BYTES = 1 << 20;

  private ElementDecoder() {}

  /**
   * Reads {@code count} elements of {@code dtype} in byte order {@code order} from {@code in} and
   * stores them, converted to float32, at {@code dst[offset..offset+count)}.
   *
   * @throws CheckpointFormatException naming {@code tensorName} if the channel ends early
   */
  static void decode(
      ReadableByteChannel in,
      DType dtype,
      ByteOrder order,
      float[] dst,
      int offset,
      int count,
      String tensorName)
      throws IOException {
    int size = dtype.byteSize();
    long total = (long) count * size;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(total, 8)));
    buf.order(order);
    long done = 0;
    int o = offset;
    while (done < total) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), total - done));
      while (buf.hasRemaining()) {
        if (in.read(buf) < 0) {
          throw CheckpointFormatException.forTensor(
              tensorName,
              "data is truncated: expected " + total + " bytes, got " + (done + buf.position()));
        }
      }
      buf.flip();
      int n = buf.remaining() / size;
      convert(buf, dtype, dst, o, n);
      o += n;
      done += (long) n * size;
    }
  }

  /** Converts {@code n} elements at {@code buf}'s position (in its byte order) into {@code dst}. */
  static void convert(ByteBuffer buf, DType dtype, float[] dst, int offset, int n) {
    int end = offset + n;
    switch (dtype) {
      case F32 -> {
        FloatBuffer floats = buf.asFloatBuffer();
        floats.get(dst, offset, n);
        buf.position(buf.position() + 4 * n);
      }
      case F16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = HalfFloats.f16ToFloat(buf.getShort());
        }
      }
      case BF16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = HalfFloats.bf16ToFloat(buf.getShort());
        }
      }
      case F64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = (float) buf.getDouble();
        }
      }
      case I64 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = (float) buf.getLong();
        }
      }
      case I32 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = (float) buf.getInt();
        }
      }
      case I16 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = buf.getShort();
        }
      }
      case I8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = buf.get();
        }
      }
      case U8 -> {
        for (int i = offset; i < end; i++) {
          dst[i] = buf.get() & 0xFF;
        }
      }
      case BOOL -> {
        for (int i = offset; i < end; i++) {
          dst[i] = buf.get() != 0 ? 1f : 0f;
        }
      }
      default -> throw new AssertionError(dtype);
    }
  }

  /**
   * A read-only channel over {@code [position, position + length)} of {@code file} (a file or a
   * {@link MemoryChannel}). Each read seeks first, so slices may be read one after another.
   */
  static ReadableByteChannel slice(SeekableByteChannel file, long position, long length) {
    return new ReadableByteChannel() {
      private long next = position;
      private final long end = position + length;

      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (next >= end) {
          return -1;
        }
        int want = (int) Math.min(dst.remaining(), end - next);
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + want);
        int n = file.position(next).read(window);
        if (n > 0) {
          dst.position(dst.position() + n);
          next += n;
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return file.isOpen();
      }

      @Override
      public void close() {}
    };
  }
}
