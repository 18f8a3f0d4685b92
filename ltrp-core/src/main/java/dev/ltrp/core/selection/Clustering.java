package dev.ltrp.core.selection;

import java.util.Arrays;

/**
 * A DPC-KNN clustering of {@code L} points into {@code C} clusters (see {@link DpcKnn}).
 *
 * <p>Clusters are numbered {@code 0..C−1} in the order their centers were chosen (descending center
 * score, ties to the lower point index); cluster {@code c} has center point {@code centers()[c]},
 * which belongs to it. Every cluster is non-empty. Immutable and thread-safe; accessors return
 * copies.
 */
public final class Clustering {

  private final int[] assignment;
  private final int[] centers;
  private final int[] sizes;
  private final DensityPeaks peaks;

  Clustering(int[] assignment, int[] centers, DensityPeaks peaks) {
    this.assignment = assignment;
    this.centers = centers;
    this.peaks = peaks;
    this.sizes = new int[centers.length];
    for (int c : assignment) {
      sizes[c]++;
    }
  }

  /** Number of points {@code L}. */
  public int numPoints() {
    return assignment.length;
  }

  /** Number of clusters {@code C = min(K, L)}. */
  public int numClusters() {
    return centers.length;
  }

  /** The cluster of each point, length {@code L}, values in {@code [0, C)}. */
  public int[] assignment() {
    return assignment.clone();
  }

  /** The cluster of point {@code i}. */
  public int clusterOf(int i) {
    return assignment[i];
  }

  /** The center point of each cluster, length {@code C}. */
  public int[] centers() {
    return centers.clone();
  }

  /**
   * The number of points in each cluster, length {@code C}; each at least 1, summing to {@code L}.
   */
  public int[] sizes() {
    return sizes.clone();
  }

  /** The points of cluster {@code c}, ascending. */
  public int[] members(int c) {
    int[] out = new int[sizes[c]];
    int n = 0;
    for (int i = 0; i < assignment.length; i++) {
      if (assignment[i] == c) {
        out[n++] = i;
      }
    }
    return out;
  }

  /** The densities, separations and center scores the clustering was built from. */
  public DensityPeaks densityPeaks() {
    return peaks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Clustering other
        && Arrays.equals(assignment, other.assignment)
        && Arrays.equals(centers, other.centers)
        && peaks.equals(other.peaks);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(assignment) + Arrays.hashCode(centers);
  }

  @Override
  public String toString() {
    return "Clustering["
        + assignment.length
        + " points, "
        + centers.length
        + " clusters, sizes "
        + (sizes.length <= 16 ? Arrays.toString(sizes) : "…")
        + "]";
  }
}
