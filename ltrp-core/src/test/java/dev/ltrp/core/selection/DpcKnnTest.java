package dev.ltrp.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DpcKnnTest {

  private static final double EPS = 1e-12;

  /**
   * Two obvious clusters in 2-D: A = points 0..2 near the origin, B = points 3..5 near (10, 10).
   */
  private static final float[] TWO_CLUSTERS = {0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 10, 11};

  /**
   * Three groups of 6, 5 and 4 points on 3-wide lattices of spacing 0.1, 0.2 and 0.3 around (0, 0),
   * (4, 0) and (0, 4): points 0..5, 6..10 and 11..14. Different spacings keep the densities of the
   * groups apart, so no float rounding can swap them. Checked with an independent numpy
   * implementation: centers 1, 7, 12 (center scores 4.33, 2.77, 0.58; the next is 0.14).
   */
  static float[] threeGroups() {
    float[] out = new float[15 * 2];
    float[][] groups = {{0, 0, 6, 0.1f}, {4, 0, 5, 0.2f}, {0, 4, 4, 0.3f}};
    int n = 0;
    for (float[] g : groups) {
      for (int i = 0; i < (int) g[2]; i++) {
        out[2 * n] = g[0] + g[3] * (i % 3);
        out[2 * n + 1] = g[1] + g[3] * (i / 3);
        n++;
      }
    }
    return out;
  }

  @Test
  void densitiesSeparationsAndCentersByHand() {
    // dim 2: d² = (Euclidean²) / 2. With 3 neighbours (self included):
    //   point 0: d² to itself 0, to 1 and 2 0.5 each → ρ = exp(−1/3); points 1, 2: 0, 0.5, 1 →
    //   ρ = exp(−1/2); cluster B mirrors A, so ρ3 = ρ0 and the tie goes to the lower index 0.
    //   δ0 = largest distance of all = d(0, 4) = sqrt(221 / 2); δ3 = d(3, 0) = sqrt(200 / 2) = 10
    //   (point 0 is denser by the tie rule); δ1 = δ2 = d(·, 0) = sqrt(0.5); δ4 = δ5 = d(·, 3).
    DensityPeaks peaks = DpcKnn.withNeighbors(3).densityPeaks(TWO_CLUSTERS, 2);
    double hi = Math.exp(-1.0 / 3);
    double lo = Math.exp(-0.5);
    double[] density = peaks.density();
    double[] expectedDensity = {hi, lo, lo, hi, lo, lo};
    for (int i = 0; i < 6; i++) {
      assertThat(density[i]).as("density %d", i).isCloseTo(expectedDensity[i], within(EPS));
    }
    double s = Math.sqrt(0.5);
    double[] expectedDelta = {Math.sqrt(110.5), s, s, 10, s, s};
    double[] delta = peaks.delta();
    for (int i = 0; i < 6; i++) {
      assertThat(delta[i]).as("delta %d", i).isCloseTo(expectedDelta[i], within(EPS));
      assertThat(peaks.centerScore(i))
          .isCloseTo(expectedDelta[i] * expectedDensity[i], within(EPS));
    }
    assertThat(peaks.parent()).containsExactly(-1, 0, 0, 0, 3, 3);
    assertThat(peaks.centerOrder()).startsWith(0, 3);

    Clustering clusters = DpcKnn.withNeighbors(3).cluster(TWO_CLUSTERS, 2, 2);
    assertThat(clusters.centers()).containsExactly(0, 3);
    assertThat(clusters.assignment()).containsExactly(0, 0, 0, 1, 1, 1);
    assertThat(clusters.sizes()).containsExactly(3, 3);
    assertThat(clusters.members(1)).containsExactly(3, 4, 5);
    assertThat(clusters.numClusters()).isEqualTo(2);
    assertThat(clusters.numPoints()).isEqualTo(6);
    assertThat(clusters.densityPeaks()).isEqualTo(peaks);
  }

  @Test
  void standardNeighboursFindTheSameTwoClusters() {
    // With 5 neighbours each density also counts two points of the other cluster; centers become
    // 3 (ρ largest: its far neighbours are nearest) and 1 (δ = distance to point 3).
    Clustering clusters = DpcKnn.standard().cluster(TWO_CLUSTERS, 2, 2);
    assertThat(clusters.centers()).containsExactly(3, 1);
    assertThat(clusters.assignment()).containsExactly(1, 1, 1, 0, 0, 0);
    assertThat(DpcKnn.standard().neighbors()).isEqualTo(5);
  }

  @Test
  void threeGroupsOfDifferentSizes() {
    Clustering clusters = DpcKnn.standard().cluster(threeGroups(), 2, 3);
    assertThat(clusters.centers()).containsExactly(1, 7, 12);
    assertThat(clusters.assignment()).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2);
    assertThat(clusters.sizes()).containsExactly(6, 5, 4);
  }

  @Test
  void kAtLeastLMakesEveryPointItsOwnCluster() {
    for (int k : new int[] {6, 7, 100}) {
      Clustering clusters = DpcKnn.standard().cluster(TWO_CLUSTERS, 2, k);
      assertThat(clusters.numClusters()).isEqualTo(6);
      assertThat(clusters.sizes()).containsOnly(1);
      int[] centers = clusters.centers();
      for (int i = 0; i < 6; i++) {
        assertThat(centers[clusters.clusterOf(i)]).isEqualTo(i);
      }
    }
  }

  @Test
  void oneClusterHoldsEverything() {
    Clustering clusters = DpcKnn.withNeighbors(3).cluster(TWO_CLUSTERS, 2, 1);
    assertThat(clusters.centers()).containsExactly(0);
    assertThat(clusters.assignment()).containsOnly(0);
    assertThat(clusters.sizes()).containsExactly(6);
  }

  @Test
  void duplicatesAreSeparatedDeterministically() {
    // Points 0 and 1 coincide. 3 neighbours = all points: ρ0 = ρ1 = exp(−12.5/3), ρ2 = exp(−25/3).
    // Point 0 is densest (tie to the lower index), so δ1 = d(1, 0) = 0 and δ2 = d(2, 0).
    float[] points = {0, 0, 0, 0, 5, 0};
    DensityPeaks peaks = DpcKnn.withNeighbors(3).densityPeaks(points, 2);
    assertThat(peaks.density()[0]).isEqualTo(peaks.density()[1]);
    assertThat(peaks.delta()).containsExactly(Math.sqrt(12.5), 0, Math.sqrt(12.5));
    assertThat(peaks.parent()).containsExactly(-1, 0, 0);

    Clustering two = DpcKnn.withNeighbors(3).cluster(points, 2, 2);
    assertThat(two.centers()).containsExactly(0, 2);
    assertThat(two.assignment()).containsExactly(0, 0, 1);
    // With three clusters the duplicate is a center at distance 0 from center 0 and still joins
    // itself.
    Clustering three = DpcKnn.withNeighbors(3).cluster(points, 2, 3);
    assertThat(three.centers()).containsExactly(0, 2, 1);
    assertThat(three.assignment()).containsExactly(0, 2, 1);
  }

  @Test
  void allIdenticalPointsTieToLowerIndices() {
    float[] points = new float[8 * 3];
    java.util.Arrays.fill(points, 0.5f);
    Clustering clusters = DpcKnn.standard().cluster(points, 3, 3);
    assertThat(clusters.centers()).containsExactly(0, 1, 2);
    // Every other point is at distance 0 from all centers: the tie goes to center 0.
    assertThat(clusters.assignment()).containsExactly(0, 1, 2, 0, 0, 0, 0, 0);
    assertThat(clusters.densityPeaks().density()).containsOnly(1.0);
  }

  @Test
  void singlePoint() {
    Clustering clusters = DpcKnn.standard().cluster(new float[] {1, 2, 3}, 3, 4);
    assertThat(clusters.assignment()).containsExactly(0);
    assertThat(clusters.centers()).containsExactly(0);
    assertThat(clusters.densityPeaks().density()).containsExactly(1.0);
    assertThat(clusters.densityPeaks().delta()).containsExactly(0.0);
  }

  @Test
  void distanceIsScaledBySqrtDim() {
    // The same configuration embedded in 8 dimensions by repeating each coordinate 4 times has the
    // same scaled distances, hence the same densities.
    float[] wide = new float[6 * 8];
    for (int i = 0; i < 6; i++) {
      for (int t = 0; t < 8; t++) {
        wide[i * 8 + t] = TWO_CLUSTERS[i * 2 + t % 2];
      }
    }
    DensityPeaks narrow = DpcKnn.standard().densityPeaks(TWO_CLUSTERS, 2);
    DensityPeaks scaled = DpcKnn.standard().densityPeaks(wide, 8);
    for (int i = 0; i < 6; i++) {
      assertThat(scaled.density()[i]).isCloseTo(narrow.density()[i], within(1e-15));
      assertThat(scaled.delta()[i]).isCloseTo(narrow.delta()[i], within(1e-12));
    }
  }

  @Test
  void everyClusterIsNonEmptyAndContainsItsCenter() {
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + random.nextInt(40);
      int dim = 1 + random.nextInt(6);
      float[] points = new float[n * dim];
      for (int i = 0; i < points.length; i++) {
        points[i] = (float) random.nextGaussian();
      }
      int k = 1 + random.nextInt(n + 3);
      Clustering clusters = DpcKnn.standard().cluster(points, dim, k);
      assertThat(clusters.numClusters()).isEqualTo(Math.min(k, n));
      int[] sizes = clusters.sizes();
      assertThat(java.util.Arrays.stream(sizes).sum()).isEqualTo(n);
      assertThat(java.util.Arrays.stream(sizes).min().getAsInt()).isGreaterThanOrEqualTo(1);
      int[] centers = clusters.centers();
      for (int c = 0; c < centers.length; c++) {
        assertThat(clusters.clusterOf(centers[c])).isEqualTo(c);
      }
      assertThat(DpcKnn.standard().cluster(points, dim, k)).isEqualTo(clusters);
    }
  }

  @Test
  void callerMistakesAreRejected() {
    DpcKnn dpc = DpcKnn.standard();
    assertThatThrownBy(() -> dpc.cluster(TWO_CLUSTERS, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> dpc.cluster(TWO_CLUSTERS, 5, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12");
    assertThatThrownBy(() -> dpc.cluster(new float[0], 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dpc.densityPeaks(TWO_CLUSTERS, 0))
        .isInstanceOf(IllegalArgumentException.class);
    float[] nan = TWO_CLUSTERS.clone();
    nan[7] = Float.NaN;
    assertThatThrownBy(() -> dpc.cluster(nan, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("point 3, coordinate 1");
    assertThatThrownBy(() -> DpcKnn.withNeighbors(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
