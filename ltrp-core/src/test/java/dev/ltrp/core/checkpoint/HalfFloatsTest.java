package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  @Test
  void float16WideningAndNarrowingRoundTripEveryValue() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = HalfFloats.f16ToFloat((short) h);
      int back = HalfFloats.floatToF16(f) & 0xFFFF;
      if (Float.isNaN(f)) {
        assertThat(back & 0x7C00).isEqualTo(0x7C00);
        assertThat(back & 0x3FF).isNotZero();
        assertThat(back & 0x8000).isEqualTo(h & 0x8000);
      } else {
        assertThat(back).as("half 0x%04x (%s)", h, f).isEqualTo(h);
      }
    }
  }

  @Test
  void bfloat16WideningAndNarrowingRoundTripEveryValue() {
    for (int b = 0; b < 1 << 16; b++) {
      float f = HalfFloats.bf16ToFloat((short) b);
      int back = HalfFloats.floatToBf16(f) & 0xFFFF;
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(HalfFloats.bf16ToFloat((short) back))).isTrue();
      } else {
        assertThat(back).as("bf16 0x%04x", b).isEqualTo(b);
      }
    }
  }

  @Test
  void float16NarrowingIsRoundToNearestEven() {
    // Checked against exact arithmetic: the chosen half is nearest, ties go to the even one.
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000_000; i++) {
      float x = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(x) || Math.abs(x) >= 65520f) {
        continue;
      }
      assertNearestEven(x, HalfFloats.floatToF16(x));
    }
    for (int bits = 0x33000000; bits < 0x477FF000; bits += 0x1001) {
      float x = Float.intBitsToFloat(bits);
      assertNearestEven(x, HalfFloats.floatToF16(x));
    }
  }

  private static void assertNearestEven(float x, short h) {
    double chosen = HalfFloats.f16ToFloat(h);
    double err = Math.abs(chosen - x);
    for (int d = -1; d <= 1; d += 2) {
      int neighbour = (h & 0xFFFF) + d;
      if ((neighbour & 0x7FFF) >= 0x7C00 || (neighbour & 0xFFFF) != neighbour) {
        continue;
      }
      double other = HalfFloats.f16ToFloat((short) neighbour);
      if ((short) neighbour == h || Math.signum(other) * Math.signum(chosen) < 0) {
        continue;
      }
      double otherErr = Math.abs(other - x);
      assertThat(err).as("%s -> 0x%04x", x, h & 0xFFFF).isLessThanOrEqualTo(otherErr);
      if (err == otherErr) {
        assertThat(h & 1).as("tie %s -> 0x%04x must be even", x, h & 0xFFFF).isZero();
      }
    }
  }

  @Test
  void float16Specials() {
    assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.floatToF16(65519.99f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7C00);
    assertThat(HalfFloats.floatToF16(-1e10f)).isEqualTo((short) 0xFC00);
    assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0);
    assertThat(HalfFloats.floatToF16(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    assertThat(HalfFloats.floatToF16(-0f)).isEqualTo((short) 0x8000);
    assertThat(HalfFloats.floatToF16(Float.NaN)).isEqualTo((short) 0x7E00);
    assertThat(HalfFloats.f16ToFloat((short) 1)).isEqualTo(0x1p-24f);
    assertThat(HalfFloats.f16ToFloat((short) 0x3C00)).isEqualTo(1f);
  }

  @Test
  void bfloat16Specials() {
    assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7F80);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
    assertThat(HalfFloats.floatToBf16(Float.NaN)).isEqualTo((short) 0x7FC0);
    assertThat(HalfFloats.floatToBf16(-0f)).isEqualTo((short) 0x8000);
  }
}
