package dev.ltrp.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.image.Patchify;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchSelectionTest {

  /**
   * 15 patches (3 × 5, patch size 1) standing for the points of {@link DpcKnnTest#threeGroups()}.
   */
  private static final PatchGrid GRID_15 = PatchGrid.of(3, 5, 1);

  /** 16 patches of 2 × 2 pixels, for images with 3 channels. */
  private static final PatchGrid GRID_16 = PatchGrid.of(8, 2);

  private static PatchScores scores(PatchGrid grid, float... values) {
    return PatchScores.dense(grid, values);
  }

  private static ImageTensor randomImage(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] chw = new float[3 * 8 * 8];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    return ImageTensor.of(3, 8, 8, chw);
  }

  private static float[] randomScores(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = (float) random.nextDouble();
    }
    return s;
  }

  private static void assertDistinctPatches(int[] kept, int k, int numPatches) {
    assertThat(kept).hasSize(k);
    assertThat(kept).doesNotHaveDuplicates();
    assertThat(Arrays.stream(kept).allMatch(p -> p >= 0 && p < numPatches)).isTrue();
  }

  @Test
  void topKDelegatesToTheRanking() {
    PatchScores s = scores(GRID_15, 0, 5, 5, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    assertThat(PatchSelection.topK(s, 4)).containsExactly(4, 1, 2, 14);
    assertThatThrownBy(() -> PatchSelection.topK(s, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> PatchSelection.topK(s, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16");
  }

  @Test
  void scoreCountIsTheReferenceTruncation() {
    assertThat(PatchSelection.scoreCount(49, 0.7)).isEqualTo(34);
    assertThat(PatchSelection.scoreCount(147, 0.7)).isEqualTo(102);
    assertThat(PatchSelection.scoreCount(10, 0.7)).isEqualTo(7);
    assertThat(PatchSelection.scoreCount(1, 0.7)).isEqualTo(0);
    assertThat(PatchSelection.scoreCount(5, 0)).isEqualTo(0);
    assertThat(PatchSelection.scoreCount(5, 1)).isEqualTo(5);
    // 0.29 · 100 = 28.999999999999996 in binary floating point, as in Python.
    assertThat(PatchSelection.scoreCount(100, 0.29)).isEqualTo(28);
    assertThatThrownBy(() -> PatchSelection.scoreCount(5, 1.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.01");
    assertThatThrownBy(() -> PatchSelection.scoreCount(5, -0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PatchSelection.scoreCount(5, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void hybridVisitsUnrepresentedClustersLargestFirst() {
    // Clusters of DpcKnnTest.threeGroups(): {0..5} (6), {6..10} (5), {11..14} (4).
    float[] points = DpcKnnTest.threeGroups();
    float[] values = new float[15];
    values[13] = 1; // the best-scored patch is in the smallest cluster
    PatchScores s = scores(GRID_15, values);
    Set<Integer> secondPicks = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      int[] kept = PatchSelection.hybrid(s, points, 2, 3, 0.34, new SplittableRandom(seed));
      // floor(0.34 · 3) = 1 by score, then the 6-cluster, then the 5-cluster.
      assertThat(kept[0]).isEqualTo(13);
      assertThat(kept[1]).isBetween(0, 5);
      assertThat(kept[2]).isBetween(6, 10);
      secondPicks.add(kept[1]);
    }
    // The member is drawn at random: over 40 seeds every member of the 6-cluster shows up.
    assertThat(secondPicks).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);

    values[13] = 0;
    values[2] = 1; // now the best patch represents the largest cluster
    int[] kept =
        PatchSelection.hybrid(scores(GRID_15, values), points, 2, 3, 0.34, new SplittableRandom(1));
    assertThat(kept[0]).isEqualTo(2);
    assertThat(kept[1]).isBetween(6, 10);
    assertThat(kept[2]).isBetween(11, 14);
  }

  @Test
  void rhoZeroTakesOneMemberOfEveryCluster() {
    float[] points = DpcKnnTest.threeGroups();
    int[] kept =
        PatchSelection.hybrid(
            scores(GRID_15, new float[15]), points, 2, 3, 0, new SplittableRandom(3));
    assertThat(kept[0]).isBetween(0, 5);
    assertThat(kept[1]).isBetween(6, 10);
    assertThat(kept[2]).isBetween(11, 14);
  }

  @Test
  void rhoOneIsPlainTopKAndUsesNoRandomness() {
    ImageTensor image = randomImage(1);
    PatchScores s = scores(GRID_16, randomScores(2, 16));
    SplittableRandom random = new SplittableRandom(9);
    for (int k = 1; k <= 16; k++) {
      assertThat(PatchSelection.hybrid(image, s, k, 1.0, random))
          .containsExactly(PatchSelection.topK(s, k));
    }
    assertThat(random.nextLong()).isEqualTo(new SplittableRandom(9).nextLong());
  }

  @Test
  void kEqualsLKeepsEveryPatchScorePicksFirst() {
    ImageTensor image = randomImage(3);
    PatchScores s = scores(GRID_16, randomScores(4, 16));
    for (double rho : new double[] {0, 0.3, 0.7, 1}) {
      int[] kept = PatchSelection.hybrid(image, s, 16, rho, new SplittableRandom(0));
      assertDistinctPatches(kept, 16, 16);
      int byScore = PatchSelection.scoreCount(16, rho);
      assertThat(Arrays.copyOf(kept, byScore)).containsExactly(s.topK(byScore));
      if (rho == 0) {
        // All clusters are singletons of equal size: visited by ascending center = patch index.
        int[] identity = new int[16];
        Arrays.setAll(identity, i -> i);
        assertThat(kept).containsExactly(identity);
      }
    }
  }

  @Test
  void kEqualsOne() {
    ImageTensor image = randomImage(5);
    PatchScores s = scores(GRID_16, randomScores(6, 16));
    // floor(0.7) = 0: the single patch is a random member of the single cluster, i.e. any patch.
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      int[] kept = PatchSelection.hybrid(image, s, 1, 0.7, new SplittableRandom(seed));
      assertDistinctPatches(kept, 1, 16);
      seen.add(kept[0]);
    }
    assertThat(seen).hasSizeGreaterThan(8);
    assertThat(PatchSelection.hybrid(image, s, 1, 1.0, new SplittableRandom(0)))
        .containsExactly(PatchSelection.topK(s, 1));
  }

  @Test
  void allEqualScoresAndDuplicatePatchVectorsStillGiveKDistinctPatches() {
    // A constant image: every patch vector is the same point.
    float[] flat = new float[3 * 8 * 8];
    Arrays.fill(flat, 0.25f);
    ImageTensor constant = ImageTensor.of(3, 8, 8, flat);
    PatchScores equal = scores(GRID_16, new float[16]);
    for (int k = 1; k <= 16; k++) {
      for (double rho : new double[] {0, 0.5, 0.7, 1}) {
        int[] kept = PatchSelection.hybrid(constant, equal, k, rho, new SplittableRandom(k));
        assertDistinctPatches(kept, k, 16);
        // Equal scores rank by index; all center scores are 0, so the centers are patches
        // 0..k-1 and every other patch joins center 0 (distance ties go to the lower center).
        // Cluster 0 = {0, k..15} is the largest, the others are singletons {1}..{k-1}.
        int byScore = PatchSelection.scoreCount(k, rho);
        int[] expected = new int[k];
        Arrays.setAll(expected, i -> i);
        if (byScore == 0) {
          // Cluster 0 is visited first and gives a random member; then the singletons in order.
          assertThat(kept[0] == 0 || kept[0] >= k).as("k=%d rho=%s: %d", k, rho, kept[0]).isTrue();
          assertThat(Arrays.copyOfRange(kept, 1, k))
              .containsExactly(Arrays.copyOfRange(expected, 1, k));
        } else {
          assertThat(kept).as("k=%d rho=%s", k, rho).containsExactly(expected);
        }
      }
    }
  }

  @Test
  void duplicatePatchesInOtherwiseVariedImage() {
    // Half the patches are copies of patch 0; the rest are random.
    ImageTensor base = randomImage(7);
    float[] patches = Patchify.patchify(base, GRID_16);
    int vector = GRID_16.patchVectorLength(3);
    for (int i = 0; i < 16; i += 2) {
      System.arraycopy(patches, 0, patches, i * vector, vector);
    }
    ImageTensor image = Patchify.unpatchify(patches, GRID_16, 3);
    PatchScores s = scores(GRID_16, randomScores(8, 16));
    for (int k = 1; k <= 16; k++) {
      for (double rho : new double[] {0, 0.5, 0.7}) {
        assertDistinctPatches(
            PatchSelection.hybrid(image, s, k, rho, new SplittableRandom(k)), k, 16);
      }
    }
  }

  @Test
  void diversityPicksFollowTheDocumentedOrderOnRandomInputs() {
    for (long trial = 0; trial < 30; trial++) {
      ImageTensor image = randomImage(100 + trial);
      PatchScores s = scores(GRID_16, randomScores(200 + trial, 16));
      int k = 1 + (int) (trial % 16);
      double rho = (trial % 5) / 4.0;
      int[] kept = PatchSelection.hybrid(image, s, k, rho, new SplittableRandom(trial));
      assertDistinctPatches(kept, k, 16);
      int byScore = PatchSelection.scoreCount(k, rho);
      assertThat(Arrays.copyOf(kept, byScore)).containsExactly(s.topK(byScore));
      if (byScore == k) {
        continue;
      }
      Clustering clusters =
          DpcKnn.standard()
              .cluster(Patchify.patchify(image, GRID_16), GRID_16.patchVectorLength(3), k);
      boolean[] represented = new boolean[clusters.numClusters()];
      for (int i = 0; i < byScore; i++) {
        represented[clusters.clusterOf(kept[i])] = true;
      }
      List<Integer> expectedOrder = new ArrayList<>();
      for (int c = 0; c < clusters.numClusters(); c++) {
        if (!represented[c]) {
          expectedOrder.add(c);
        }
      }
      int[] sizes = clusters.sizes();
      int[] centers = clusters.centers();
      expectedOrder.sort(
          (a, b) ->
              sizes[a] != sizes[b]
                  ? Integer.compare(sizes[b], sizes[a])
                  : Integer.compare(centers[a], centers[b]));
      for (int i = byScore; i < k; i++) {
        assertThat(clusters.clusterOf(kept[i]))
            .as("trial %d pick %d", trial, i)
            .isEqualTo(expectedOrder.get(i - byScore));
      }
    }
  }

  @Test
  void sameSeedSameResult() {
    ImageTensor image = randomImage(11);
    PatchScores s = scores(GRID_16, randomScores(12, 16));
    int[] a = PatchSelection.hybrid(image, s, 6, 0.5, new SplittableRandom(42));
    int[] b = PatchSelection.hybrid(image, s, 6, 0.5, new SplittableRandom(42));
    assertThat(a).containsExactly(b);
  }

  @Test
  void callerMistakesAreRejected() {
    ImageTensor image = randomImage(1);
    PatchScores s = scores(GRID_16, randomScores(1, 16));
    SplittableRandom r = new SplittableRandom(0);
    assertThatThrownBy(() -> PatchSelection.hybrid(image, s, 4, 1.5, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> PatchSelection.hybrid(image, s, 4, -0.5, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PatchSelection.hybrid(image, s, 0, 0.5, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PatchSelection.hybrid(image, s, 17, 0.5, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("17");
    PatchScores sparse = PatchScores.of(GRID_16, new int[] {1, 2}, new float[] {1, 2});
    assertThatThrownBy(() -> PatchSelection.hybrid(image, sparse, 1, 0.5, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every patch");
    assertThatThrownBy(() -> PatchSelection.hybrid(s, new float[10], 3, 2, 0.5, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10");
    ImageTensor wrongSize = ImageTensor.of(3, 4, 4, new float[48]);
    assertThatThrownBy(() -> PatchSelection.hybrid(wrongSize, s, 2, 0.5, r))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
