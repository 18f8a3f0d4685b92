package dev.ltrp.core.checkpoint.pickle;

import java.util.Arrays;

/**
 * A Python {@code bytes} (or {@code bytearray}) value. Immutable and thread-safe. Comparable so
 * that hash maps keyed by bytes stay fast when hashes collide.
 */
public final class PyBytes implements Comparable<PyBytes> {

  private final byte[] bytes;

  /**
   * The hash, computed once when the value is made (linear in the input that made it): a tuple or
   * dict may hold the same memoized large value a million times, and hashing it on every use made
   * that quadratic (issue 5).
   */
  private final int hash;

  private PyBytes(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
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
    return o == this
        || (o instanceof PyBytes other && hash == other.hash && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "bytes[" + bytes.length + "]";
  }
}
