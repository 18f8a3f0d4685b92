package dev.ltrp.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over a byte array, so that the readers that seek in a
 * file read a checkpoint held in memory the same way (see {@link Checkpoints#load(
 * java.io.InputStream, String, long)}). The array is not copied. Not thread-safe: one read uses it.
 */
final class MemoryChannel implements SeekableByteChannel {

  private final byte[] bytes;
  private long position;
  private boolean open = true;

  MemoryChannel(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The whole content, for readers that parse a prefix in place (the legacy pickles). */
  ByteBuffer contents() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public int read(ByteBuffer dst) throws ClosedChannelException {
    checkOpen();
    if (position >= bytes.length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), bytes.length - position);
    dst.put(bytes, (int) position, n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws ClosedChannelException {
    checkOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws ClosedChannelException {
    checkOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws ClosedChannelException {
    checkOpen();
    return bytes.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }

  private void checkOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
