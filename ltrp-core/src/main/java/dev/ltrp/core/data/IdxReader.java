package dev.ltrp.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes (MNIST, Fashion-MNIST), plain or gzip-compressed: a big-endian
 * magic {@code 0x0000 08 D} (type 0x08 = unsigned byte, {@code D} dimensions), {@code D} big-endian
 * int32 sizes, then the bytes row-major.
 */
public final class IdxReader {

  private IdxReader() {}

  /** The dimensions and the bytes of one IDX file. */
  public record Array(int[] dims, byte[] data) {}

  /**
   * Reads {@code file}.
   *
   * @throws IOException naming the file if the magic is not an unsigned-byte IDX file, a dimension
   *     is not positive, the element count is absurd, or the file is truncated
   */
  public static Array read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
      DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
      int magic = data.readInt();
      if ((magic >>> 8) != 0x08) {
        throw new IOException(
            file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
      }
      int rank = magic & 0xff;
      if (rank < 1 || rank > 4) {
        throw new IOException(file + ": unsupported IDX rank " + rank);
      }
      int[] dims = new int[rank];
      long count = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
        if (dims[i] <= 0) {
          throw new IOException(file + ": IDX dimension " + i + " is " + dims[i]);
        }
        count *= dims[i];
        if (count > Integer.MAX_VALUE - 8) {
          throw new IOException(file + ": IDX header claims too many elements");
        }
      }
      byte[] bytes = new byte[(int) count];
      data.readFully(bytes);
      return new Array(dims, bytes);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated IDX file", e);
    }
  }
}
