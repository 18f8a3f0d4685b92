package dev.ltrp.core.selection;

import java.util.Arrays;

/**
 * The density-peak quantities of DPC-KNN for {@code L} points (see {@link DpcKnn}): per point its
 * local density {@code ρ_i}, its separation {@code δ_i} and the center score {@code γ_i = δ_i ·
 * ρ_i} that ranks cluster-center candidates, plus the point's <i>parent</i> (the nearest point of
 * higher density, or -1 for the densest point).
 *
 * <p>Units: distances are Euclidean divided by {@code sqrt(dim)} (a per-coordinate RMS difference,
 * in the units of the input vectors); densities are in {@code (0, 1]}. Values are computed in
 * double precision. Immutable and thread-safe; accessors return copies.
 */
public final class DensityPeaks {

  private final double[] density;
  private final double[] delta;
  private final int[] parent;

  DensityPeaks(double[] density, double[] delta, int[] parent) {
    this.density = density;
    this.delta = delta;
    this.parent = parent;
  }

  /** Number of points {@code L}. */
  public int size() {
    return density.length;
  }

  /**
   * Local density {@code ρ_i = exp(−mean of squared distances to the k nearest points, self
   * included)}.
   */
  public double[] density() {
    return density.clone();
  }

  /**
   * Separation {@code δ_i}: the distance to the nearest point of higher density (the order defined
   * in {@link DpcKnn}), or, for the densest point, the largest distance between any two points.
   */
  public double[] delta() {
    return delta.clone();
  }

  /** Center scores {@code γ_i = δ_i · ρ_i}: high for dense points far from any denser point. */
  public double[] centerScores() {
    double[] out = new double[density.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = centerScore(i);
    }
    return out;
  }

  /** Center score of point {@code i}. */
  public double centerScore(int i) {
    return delta[i] * density[i];
  }

  /** The nearest point of higher density (ties to the lower index), or -1 for the densest point. */
  public int[] parent() {
    return parent.clone();
  }

  /**
   * The points by descending center score, ties broken by the lower index: the first {@code K} are
   * the centers of a {@code K}-clustering.
   */
  public int[] centerOrder() {
    Integer[] order = new Integer[density.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int byScore = Double.compare(centerScore(b), centerScore(a));
          return byScore != 0 ? byScore : Integer.compare(a, b);
        });
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DensityPeaks other
        && Arrays.equals(density, other.density)
        && Arrays.equals(delta, other.delta)
        && Arrays.equals(parent, other.parent);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(density) + Arrays.hashCode(delta)) + Arrays.hashCode(parent);
  }

  @Override
  public String toString() {
    return "DensityPeaks[" + density.length + " points]";
  }
}
