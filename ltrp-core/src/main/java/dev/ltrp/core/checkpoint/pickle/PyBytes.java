package dev.ltrp.core.checkpoint.pickle;

import java.util.Arrays;

/**
 * A Python {@code bytes} (or {@code bytearray}) value. Immutable and thread-safe. Comparable so
 * that hash maps keyed by bytes stay fast when hashes collide.
 */
public final class PyBytes implements Comparable<PyBytes> {

  private final byte[] bytes;

  private PyBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static PyBytes of(byte[] bytes) {
    return new PyBytes(bytes.clone());
  }

  static PyBytes wrap(byte[] bytes) {
    return new PyBytes(bytes);
  }

  /** Number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Unsigned lexicographic order, like Python's. */
  @Override
  public int compareTo(PyBytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyBytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "bytes[" + bytes.length + "]";
  }
}
