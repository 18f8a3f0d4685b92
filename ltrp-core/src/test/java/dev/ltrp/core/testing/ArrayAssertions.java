package dev.ltrp.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/**
 * Numeric assertions shared by the test suites of every module (published in ltrp-core's test-jar).
 *
 * <p>Tolerances follow numpy's {@code allclose}: {@code |actual - expected| <= atol + rtol ·
 * |expected|} element-wise. The failure message names the worst element, its index and both values,
 * and the maximum absolute and relative errors, so that a failing parity test says by how much it
 * failed.
 */
public final class ArrayAssertions {

  private ArrayAssertions() {}

  /** Asserts equal shapes, then element-wise closeness. */
  public static void assertAllClose(
      String what,
      float[] actual,
      int[] actualShape,
      float[] expected,
      int[] expectedShape,
      double rtol,
      double atol) {
    assertThat(actualShape).as("%s: shape", what).isEqualTo(expectedShape);
    assertAllClose(what, actual, expected, rtol, atol);
  }

  /** Asserts equal lengths, then element-wise closeness. */
  public static void assertAllClose(
      String what, float[] actual, float[] expected, double rtol, double atol) {
    assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
    ErrorStats stats = ErrorStats.of(actual, expected, rtol, atol);
    if (stats.violations > 0) {
      throw new AssertionError(
          what
              + ": "
              + stats.violations
              + " of "
              + actual.length
              + " elements differ beyond rtol "
              + rtol
              + ", atol "
              + atol
              + "; worst at index "
              + stats.worstIndex
              + ": actual "
              + actual[stats.worstIndex]
              + ", expected "
              + expected[stats.worstIndex]
              + "; max abs error "
              + stats.maxAbs
              + ", max rel error "
              + stats.maxRel);
    }
  }

  /** Maximum absolute difference between two equal-length arrays. */
  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  /** Maximum of {@code |a - b| / max(|b|, floor)}: a relative error that ignores values near 0. */
  public static double maxRelDiff(float[] a, float[] b, double floor) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
    }
    return max;
  }

  /** Error statistics of one comparison. */
  public static final class ErrorStats {
    public final int violations;
    public final int worstIndex;
    public final double maxAbs;
    public final double maxRel;

    private ErrorStats(int violations, int worstIndex, double maxAbs, double maxRel) {
      this.violations = violations;
      this.worstIndex = worstIndex;
      this.maxAbs = maxAbs;
      this.maxRel = maxRel;
    }

    /** Computes the statistics; NaN anywhere counts as a violation. */
    public static ErrorStats of(float[] actual, float[] expected, double rtol, double atol) {
      int violations = 0;
      int worst = 0;
      double worstExcess = Double.NEGATIVE_INFINITY;
      double maxAbs = 0;
      double maxRel = 0;
      for (int i = 0; i < actual.length; i++) {
        double diff = Math.abs((double) actual[i] - expected[i]);
        double allowed = atol + rtol * Math.abs(expected[i]);
        boolean nan = Double.isNaN(actual[i]) != Double.isNaN(expected[i]) || Double.isNaN(diff);
        if (nan || diff > allowed) {
          violations++;
        }
        double excess = nan ? Double.POSITIVE_INFINITY : diff - allowed;
        if (excess > worstExcess) {
          worstExcess = excess;
          worst = i;
        }
        maxAbs = Math.max(maxAbs, nan ? Double.POSITIVE_INFINITY : diff);
        if (expected[i] != 0) {
          maxRel = Math.max(maxRel, diff / Math.abs(expected[i]));
        }
      }
      return new ErrorStats(violations, worst, maxAbs, maxRel);
    }

    @Override
    public String toString() {
      return "max abs " + maxAbs + ", max rel " + maxRel;
    }
  }

  /** Short description of an array for messages. */
  public static String describe(float[] a) {
    return a.length <= 8 ? Arrays.toString(a) : "float[" + a.length + "]";
  }
}
