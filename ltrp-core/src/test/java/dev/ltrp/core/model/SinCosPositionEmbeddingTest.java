package dev.ltrp.core.model;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

class SinCosPositionEmbeddingTest {

  /** numpy float64 → float32, so only the last-ulp differences of sin/cos/pow remain. */
  private static final double ATOL = 1e-7;

  @Test
  void matchesTheReferenceOnANonSquareGrid() {
    float[] expected = Fixtures.readF32("fixtures/layout/sincos_24_3x5.f32");
    float[] actual = SinCosPositionEmbedding.create(24, 3, 5, true);
    assertAllClose("sincos 24 3x5", actual, expected, 0, ATOL);
  }

  @Test
  void matchesTheReferenceOnTheTinyMaeGrid() {
    float[] expected = Fixtures.readF32("fixtures/layout/sincos_48_8x8.f32");
    assertAllClose(
        "sincos 48 8x8", SinCosPositionEmbedding.create(48, 8, 8, true), expected, 0, ATOL);
  }

  @Test
  void firstHalfEncodesTheColumnAndTheClsRowIsZero() {
    int width = 8;
    float[] e = SinCosPositionEmbedding.create(width, 2, 3, true);
    for (int k = 0; k < width; k++) {
      assertThat(e[k]).isZero();
    }
    // patch (row 1, col 2) is index 5, row 6 of the table: first quarter sin(2·ω0) = sin(2)
    int base = 6 * width;
    assertThat(e[base]).isEqualTo((float) Math.sin(2.0));
    assertThat(e[base + 2]).isEqualTo((float) Math.cos(2.0));
    assertThat(e[base + 4]).isEqualTo((float) Math.sin(1.0));
    assertThat(e[base + 6]).isEqualTo((float) Math.cos(1.0));
  }

  @Test
  void rejectsWidthsThatAreNotMultiplesOfFour() {
    assertThatThrownBy(() -> SinCosPositionEmbedding.create(30, 2, 2, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30");
  }
}
