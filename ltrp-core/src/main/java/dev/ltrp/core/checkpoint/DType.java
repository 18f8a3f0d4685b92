package dev.ltrp.core.checkpoint;

import java.util.Optional;

/**
 * Element type of a tensor as stored in a checkpoint file.
 *
 * <p>Readers convert every type to float32 when they load it, and {@link Tensor#sourceDType()}
 * remembers the stored type. The conversion is exact for {@link #F32}, {@link #F16}, {@link #BF16},
 * {@link #I16}, {@link #I8}, {@link #U8} and {@link #BOOL} (false and true become 0 and 1; any
 * non-zero byte counts as true). {@link #F64} rounds to the nearest float32. {@link #I64} and
 * {@link #I32} are exact for magnitudes up to 2<sup>24</sup> = 16 777 216 and round to the nearest
 * float32 beyond.
 *
 * <p>The constant names are the safetensors dtype names.
 */
public enum DType {
  /** IEEE 754 binary32. */
  F32(4),
  /** IEEE 754 binary16. */
  F16(2),
  /** bfloat16: the upper 16 bits of a binary32. */
  BF16(2),
  /** IEEE 754 binary64. */
  F64(8),
  /** Signed 64-bit integer. */
  I64(8),
  /** Signed 32-bit integer. */
  I32(4),
  /** Signed 16-bit integer. */
  I16(2),
  /** Signed 8-bit integer. */
  I8(1),
  /** Unsigned 8-bit integer. */
  U8(1),
  /** Boolean, one byte per element. */
  BOOL(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element in a file. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether every stored value converts to float32 exactly. */
  public boolean isExactInFloat32() {
    return this != F64 && this != I64 && this != I32;
  }

  /** The type with this safetensors name ({@code "F32"}, {@code "BF16"}, ...), if supported. */
  public static Optional<DType> fromSafetensorsName(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
