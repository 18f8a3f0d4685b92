package dev.ltrp.core.checkpoint;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major (C) order, as loaded from a checkpoint.
 *
 * <p>Shape {@code [d0, d1, ..., dk-1]} holds {@code d0·d1·...·dk-1} values; the element at index
 * {@code (i0, ..., ik-1)} is at flat position {@code ((i0·d1 + i1)·d2 + ...)·dk-1 + ik-1}. A rank-0
 * tensor (shape {@code []}) holds one value; a dimension may be 0 (no values).
 *
 * <p>Values are always float32; {@link #sourceDType()} records the type the file stored, as
 * metadata only (see {@link DType} for when the conversion is exact). Equality ignores it.
 *
 * <p>Immutable and thread-safe: factories copy their input, accessors return copies or read-only
 * views. Because tensors are immutable, the readers may let tensors that the file stores as one
 * storage share one array.
 */
public final class Tensor {

  private final int[] shape;
  private final float[] data;
  private final DType sourceDType;

  private Tensor(int[] shape, float[] data, DType sourceDType) {
    this.shape = shape;
    this.data = data;
    this.sourceDType = sourceDType;
  }

  /**
   * Creates a tensor from row-major values, copying both arrays; the source type is {@link
   * DType#F32}.
   *
   * @throws IllegalArgumentException if a dimension is negative or {@code data.length} is not the
   *     product of the dimensions
   */
  public static Tensor of(int[] shape, float[] data) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    checkLength(shape, data.length);
    return new Tensor(shape.clone(), data.clone(), DType.F32);
  }

  /** A rank-0 tensor holding {@code value}. */
  public static Tensor scalar(float value) {
    return new Tensor(new int[0], new float[] {value}, DType.F32);
  }

  /** For readers: takes ownership of both arrays without copying. */
  static Tensor wrap(int[] shape, float[] data, DType sourceDType) {
    checkLength(shape, data.length);
    return new Tensor(shape, data, Objects.requireNonNull(sourceDType, "sourceDType"));
  }

  private static void checkLength(int[] shape, int length) {
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long n = numel(shape);
    if (n != length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " needs "
              + (n < 0 ? "more than 2^63" : n)
              + " values, got "
              + length);
    }
  }

  /**
   * The number of elements of a shape with non-negative dimensions, or -1 if it exceeds {@code
   * Long.MAX_VALUE}.
   */
  static long numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d == 0) {
        return 0; // before any overflow: [huge, huge, 0] is empty
      }
    }
    for (int d : shape) {
      if (n > Long.MAX_VALUE / d) {
        return -1;
      }
      n *= d;
    }
    return n;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code axis}, {@code 0 <= axis < rank()}. */
  public int dim(int axis) {
    Objects.checkIndex(axis, shape.length);
    return shape[axis];
  }

  /** Number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /** Number of elements: the product of the shape. */
  public long size() {
    return data.length;
  }

  /** Whether the shape equals {@code expected}. */
  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  /** The type the checkpoint stored these values as; the values themselves are float32. */
  public DType sourceDType() {
    return sourceDType;
  }

  /**
   * The element at a full index, one coordinate per dimension.
   *
   * @throws IllegalArgumentException if the index has the wrong rank
   * @throws IndexOutOfBoundsException if a coordinate is out of range
   */
  public float get(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for a tensor of shape " + Arrays.toString(shape));
    }
    int flat = 0;
    for (int i = 0; i < shape.length; i++) {
      flat = flat * shape[i] + Objects.checkIndex(index[i], shape[i]);
    }
    return data[flat];
  }

  /** A copy of the row-major values. */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * Copies the row-major values into {@code dst} starting at {@code offset}, without allocating.
   *
   * @throws IndexOutOfBoundsException if {@code dst} is too short
   */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /**
   * A read-only view of the row-major values without copying: the way to hand large weights to an
   * engine. The buffer's position is 0 and its limit {@link #size()}; each call returns an
   * independent buffer.
   */
  public FloatBuffer asReadOnlyBuffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /**
   * The same values under another shape of the same size, without copying (for example {@code
   * cls_token [1, 1, 768]} as {@code [768]}).
   *
   * @throws IllegalArgumentException if the sizes differ or a dimension is negative
   */
  public Tensor reshape(int... newShape) {
    Objects.requireNonNull(newShape, "newShape");
    int[] copy = newShape.clone();
    checkLength(copy, data.length);
    return new Tensor(copy, data, sourceDType);
  }

  /** The backing array, for this package's writers; never modified. */
  float[] data() {
    return data;
  }

  /** Equal shapes and bit-identical values ({@link Arrays#equals(float[], float[])}). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  /** The shape and source type only, for example {@code Tensor[2304, 768] (F16)}. */
  @Override
  public String toString() {
    String dims = Arrays.toString(shape);
    return "Tensor" + dims + (sourceDType == DType.F32 ? "" : " (" + sourceDType + ")");
  }
}
