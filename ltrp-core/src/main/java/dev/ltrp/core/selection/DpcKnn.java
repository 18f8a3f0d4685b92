package dev.ltrp.core.selection;

import java.util.Arrays;
import java.util.Objects;

/**
 * Density-peak clustering with k-nearest-neighbour density (DPC-KNN), as the LTRP reference uses it
 * (TCFormer's {@code cluster_dpc_knn}) to pick diverse patches.
 *
 * <p>For {@code L} points of dimension {@code dim}:
 *
 * <ol>
 *   <li><b>Distance</b> {@code d(i, j) = ‖x_i − x_j‖₂ / sqrt(dim)}.
 *   <li><b>Local density</b> {@code ρ_i = exp(−mean of d(i, j)² over the k nearest points j, i
 *       itself included)}; {@code k = 5} by default, {@code min(k, L)} when there are fewer points.
 *   <li><b>Density order.</b> Point {@code j} is <i>denser</i> than {@code i} when {@code ρ_j >
 *       ρ_i}, or {@code ρ_j = ρ_i} and {@code j < i}. The reference breaks density ties with 1e-6
 *       of random noise; this strict total order breaks them deterministically instead, so exactly
 *       one point (the densest, lowest index among equals) has no denser point, and a duplicate of
 *       an earlier point has separation 0.
 *   <li><b>Separation</b> {@code δ_i = min d(i, j)} over the points {@code j} denser than {@code
 *       i}; for the densest point, the largest distance between any two points (the maximum of the
 *       whole distance matrix, as the reference computes it).
 *   <li><b>Centers</b>: the {@code K} points with the largest center score {@code γ_i = δ_i · ρ_i},
 *       ties to the lower index.
 *   <li><b>Assignment</b>: each point joins its nearest center (ties to the center of lower point
 *       index); a center always joins its own cluster.
 * </ol>
 *
 * <p>With {@code K ≥ L} every point is its own cluster. Cost {@code O(L² · dim)} time and {@code
 * O(L²)} memory, a few milliseconds for the 196 patches of a 224-pixel image. Computations are in
 * double precision.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Clustering clusters = DpcKnn.standard().cluster(points, dim, 49);
 * }</pre>
 */
public final class DpcKnn {

  /** The reference's number of neighbours for the local density. */
  public static final int DEFAULT_NEIGHBORS = 5;

  private static final DpcKnn STANDARD = new DpcKnn(DEFAULT_NEIGHBORS);

  private final int neighbors;

  private DpcKnn(int neighbors) {
    this.neighbors = neighbors;
  }

  /** DPC-KNN with the reference's {@value #DEFAULT_NEIGHBORS} neighbours. */
  public static DpcKnn standard() {
    return STANDARD;
  }

  /**
   * DPC-KNN with {@code neighbors} nearest points (self included) in the local density.
   *
   * @throws IllegalArgumentException if {@code neighbors < 1}
   */
  public static DpcKnn withNeighbors(int neighbors) {
    if (neighbors < 1) {
      throw new IllegalArgumentException("neighbors must be at least 1, got " + neighbors);
    }
    return new DpcKnn(neighbors);
  }

  /** The number of nearest points, self included, that define the local density. */
  public int neighbors() {
    return neighbors;
  }

  /**
   * Densities, separations and center scores of the points.
   *
   * @param points {@code L · dim} finite values, row-major {@code [L, dim]}, {@code L ≥ 1}
   * @param dim the dimension of each point
   * @throws IllegalArgumentException if {@code dim < 1}, the length is 0 or not a multiple of
   *     {@code dim}, or a value is not finite
   */
  public DensityPeaks densityPeaks(float[] points, int dim) {
    int n = checkPoints(points, dim);
    return densityPeaks(squaredDistances(points, n, dim), n);
  }

  /**
   * Clusters the points into {@code min(numClusters, L)} clusters.
   *
   * @param points {@code L · dim} finite values, row-major {@code [L, dim]}, {@code L ≥ 1}
   * @param dim the dimension of each point
   * @param numClusters the number of clusters {@code K}, at least 1; {@code K ≥ L} makes every
   *     point its own cluster
   * @throws IllegalArgumentException if {@code numClusters < 1}, {@code dim < 1}, the length is 0
   *     or not a multiple of {@code dim}, or a value is not finite
   */
  public Clustering cluster(float[] points, int dim, int numClusters) {
    if (numClusters < 1) {
      throw new IllegalArgumentException("numClusters must be at least 1, got " + numClusters);
    }
    int n = checkPoints(points, dim);
    double[] sq = squaredDistances(points, n, dim);
    DensityPeaks peaks = densityPeaks(sq, n);
    int c = Math.min(numClusters, n);
    int[] centers = Arrays.copyOf(peaks.centerOrder(), c);

    int[] clusterOfCenter = new int[n];
    Arrays.fill(clusterOfCenter, -1);
    for (int k = 0; k < c; k++) {
      clusterOfCenter[centers[k]] = k;
    }
    int[] assignment = new int[n];
    for (int i = 0; i < n; i++) {
      if (clusterOfCenter[i] >= 0) {
        assignment[i] = clusterOfCenter[i];
        continue;
      }
      int best = 0;
      for (int k = 1; k < c; k++) {
        double dk = sq[i * n + centers[k]];
        double db = sq[i * n + centers[best]];
        if (dk < db || (dk == db && centers[k] < centers[best])) {
          best = k;
        }
      }
      assignment[i] = best;
    }
    return new Clustering(assignment, centers, peaks);
  }

  private DensityPeaks densityPeaks(double[] sq, int n) {
    int k = Math.min(neighbors, n);
    double[] density = new double[n];
    double[] nearest = new double[k];
    for (int i = 0; i < n; i++) {
      // Keep the k smallest squared distances of row i, ascending, by insertion.
      int filled = 0;
      for (int j = 0; j < n; j++) {
        double v = sq[i * n + j];
        if (filled == k && v >= nearest[k - 1]) {
          continue;
        }
        int pos = filled < k ? filled++ : k - 1;
        while (pos > 0 && nearest[pos - 1] > v) {
          nearest[pos] = nearest[pos - 1];
          pos--;
        }
        nearest[pos] = v;
      }
      double sum = 0;
      for (int m = 0; m < k; m++) {
        sum += nearest[m];
      }
      density[i] = Math.exp(-sum / k);
    }

    double maxSq = 0;
    for (double v : sq) {
      maxSq = Math.max(maxSq, v);
    }
    double maxDistance = Math.sqrt(maxSq);
    double[] delta = new double[n];
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bestSq = Double.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        boolean denser = density[j] > density[i] || (density[j] == density[i] && j < i);
        // Ascending j keeps the lower index on equal distances.
        if (denser && sq[i * n + j] < bestSq) {
          bestSq = sq[i * n + j];
          best = j;
        }
      }
      parent[i] = best;
      delta[i] = best < 0 ? maxDistance : Math.sqrt(bestSq);
    }
    return new DensityPeaks(density, delta, parent);
  }

  /** Squared scaled distances {@code d(i, j)²}, row-major {@code [n, n]}, exactly symmetric. */
  private static double[] squaredDistances(float[] points, int n, int dim) {
    double[] sq = new double[n * n];
    for (int i = 0; i < n; i++) {
      int oi = i * dim;
      for (int j = i + 1; j < n; j++) {
        int oj = j * dim;
        double sum = 0;
        for (int t = 0; t < dim; t++) {
          double diff = (double) points[oi + t] - points[oj + t];
          sum += diff * diff;
        }
        double v = sum / dim;
        sq[i * n + j] = v;
        sq[j * n + i] = v;
      }
    }
    return sq;
  }

  private static int checkPoints(float[] points, int dim) {
    Objects.requireNonNull(points, "points");
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be at least 1, got " + dim);
    }
    if (points.length == 0 || points.length % dim != 0) {
      throw new IllegalArgumentException(
          "points must hold L >= 1 rows of dim " + dim + ", got " + points.length + " values");
    }
    for (int i = 0; i < points.length; i++) {
      if (!Float.isFinite(points[i])) {
        throw new IllegalArgumentException(
            "point " + i / dim + ", coordinate " + i % dim + " is " + points[i]);
      }
    }
    int n = points.length / dim;
    if ((long) n * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many points for a dense distance matrix: " + n);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DpcKnn other && neighbors == other.neighbors;
  }

  @Override
  public int hashCode() {
    return neighbors;
  }

  @Override
  public String toString() {
    return "DpcKnn[neighbors=" + neighbors + "]";
  }
}
