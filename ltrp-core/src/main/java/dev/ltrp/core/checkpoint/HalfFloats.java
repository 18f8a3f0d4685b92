package dev.ltrp.core.checkpoint;

/**
 * Exact float16/bfloat16 to float32 widening and round-to-nearest-even narrowing (Java 17 has no
 * {@code Float.float16ToFloat}). Stateless.
 */
final class HalfFloats {

  private HalfFloats() {}

  /** Widens IEEE binary16 bits to the float32 of the same value (exact, NaN payload kept). */
  static float f16ToFloat(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Subnormal (or zero): mantissa · 2^-24, exact in float32.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * Narrows to IEEE binary16 with round-to-nearest-even, as numpy's {@code astype(float16)} and
   * torch's {@code .half()} do: magnitudes from 65520 up become infinity, below 2^-25 (inclusive, a
   * tie to even) zero; NaN stays a quiet NaN with the top payload bits.
   */
  static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFFFFFF;
    if (abs >= 0x7F800000) {
      int nan = abs == 0x7F800000 ? 0 : 0x200 | ((abs >>> 13) & 0x3FF);
      return (short) (sign | 0x7C00 | nan);
    }
    if (abs >= 0x477FF000) { // 65520, the tie between 65504 (odd mantissa) and 2^16
      return (short) (sign | 0x7C00);
    }
    if (abs >= 0x38800000) { // 2^-14 and up: normal float16
      int half = (((abs >>> 23) - 112) << 10) | ((abs >>> 13) & 0x3FF);
      int rest = abs & 0x1FFF;
      if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
        half++; // a carry out of the mantissa correctly bumps the exponent
      }
      return (short) (sign | half);
    }
    if (abs <= 0x33000000) { // at most 2^-25: rounds to zero
      return (short) sign;
    }
    // Subnormal float16: count units of 2^-24. value = m · 2^(e-150), so units = m · 2^(e-126).
    int e = abs >>> 23;
    int m = (abs & 0x7FFFFF) | 0x800000;
    int shift = 126 - e; // 14..24 here
    int half = m >>> shift;
    int rest = m & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
      half++;
    }
    return (short) (sign | half);
  }

  /** Widens bfloat16 bits to float32 (exact). */
  static float bf16ToFloat(short bf16) {
    return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
  }

  /**
   * Narrows to bfloat16 with round-to-nearest-even, as torch's {@code .bfloat16()} does; NaN stays
   * a quiet NaN of the same sign.
   */
  static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }
}
