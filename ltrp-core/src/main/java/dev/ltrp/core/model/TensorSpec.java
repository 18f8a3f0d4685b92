package dev.ltrp.core.model;

import java.util.Arrays;

/**
 * The name and shape a model expects of one checkpoint tensor.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name checkpoint name, e.g. {@code blocks.0.attn.qkv.weight}
 * @param shape expected shape (a defensive copy is kept)
 */
public record TensorSpec(String name, int[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  /** A spec for {@code name} with {@code shape}. */
  public static TensorSpec of(String name, int... shape) {
    return new TensorSpec(name, shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public int size() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec other
        && name.equals(other.name)
        && Arrays.equals(shape, other.shape);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
