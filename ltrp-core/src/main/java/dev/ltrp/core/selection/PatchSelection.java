package dev.ltrp.core.selection;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.image.Patchify;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Which {@code K} patches to keep, given one score per patch (LTRP-METHOD §5).
 *
 * <ul>
 *   <li>{@link #topK plain}: the {@code K} best-scored patches.
 *   <li>{@link #hybrid(ImageTensor, PatchScores, int, double, SplittableRandom) hybrid} (the
 *       reference's {@code ltrp_cluster}): the best {@code floor(ρ·K)} by score, then one random
 *       patch from each DPC-KNN cluster that none of them represents, for diversity.
 * </ul>
 *
 * <p>Every method returns exactly {@code K} distinct patch indices, most important first. Stateless
 * and thread-safe; a {@link SplittableRandom} passed in is advanced and must not be shared between
 * threads.
 */
public final class PatchSelection {

  private PatchSelection() {}

  /**
   * The {@code k} best-scored patches in rank order ({@link PatchScores#topK}: descending score,
   * ties to the lower patch index).
   *
   * @throws IllegalArgumentException if {@code k} is outside {@code [1, scores.size()]}
   */
  public static int[] topK(PatchScores scores, int k) {
    Objects.requireNonNull(scores, "scores");
    checkK(k, scores.size());
    return scores.topK(k);
  }

  /**
   * The number of patches the hybrid keeps by score, {@code floor(ρ·K)}, with the product taken in
   * IEEE double arithmetic exactly as the reference's {@code int(len_keep * ratio)}: for example
   * {@code ρ = 0.7, K = 49} gives 34, {@code K = 147} gives 102, and binary rounding makes {@code ρ
   * = 0.29, K = 100} give 28.
   *
   * @throws IllegalArgumentException if {@code k < 1} or {@code rho} is outside {@code [0, 1]}
   */
  public static int scoreCount(int k, double rho) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    checkRho(rho);
    return (int) Math.floor(rho * k);
  }

  /**
   * The hybrid selection over the raw (normalized) pixels of {@code image}: {@link #hybrid(
   * PatchScores, float[], int, int, double, SplittableRandom)} with the patch vectors of {@link
   * Patchify#patchify(ImageTensor, dev.ltrp.api.PatchGrid)}, as the reference clusters them.
   *
   * @param image the image the scores belong to, of the scores' grid
   * @throws IllegalArgumentException if the image does not fit the scores' grid, or see the other
   *     overload
   */
  public static int[] hybrid(
      ImageTensor image, PatchScores scores, int k, double rho, SplittableRandom random) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(scores, "scores");
    float[] vectors = Patchify.patchify(image, scores.grid());
    return hybrid(
        scores, vectors, scores.grid().patchVectorLength(image.channels()), k, rho, random);
  }

  /**
   * The hybrid selection (reference {@code ltrp_cluster}, guarded against duplicates):
   *
   * <ol>
   *   <li>keep the top {@link #scoreCount(int, double) floor(ρ·K)} patches by score (ties to the
   *       lower index);
   *   <li>cluster all {@code L} patch vectors into {@code K} clusters with {@link
   *       DpcKnn#standard()};
   *   <li>visit the clusters from largest to smallest (ties to the lower center index) and, for
   *       each cluster none of whose members is kept yet, keep one member drawn uniformly with
   *       {@code random}, until {@code K} patches are kept;
   *   <li>if every cluster is represented and fewer than {@code K} patches are kept, keep the next
   *       best-scored patches not yet kept.
   * </ol>
   *
   * <p>Step 4 never runs when the clustering has {@code K} clusters, since {@code floor(ρK)}
   * patches represent at most {@code floor(ρK)} of them; it is the guard that makes "exactly {@code
   * K} distinct patches" unconditional. The reference differs in one detail: it calls a cluster
   * represented only when its randomly drawn member happens to be kept, and may then return a
   * duplicate; here a cluster with any kept member is represented, and duplicates cannot occur.
   * When {@code floor(ρK) = K} (e.g. {@code ρ = 1}) no clustering is done and {@code random} is not
   * used. {@code random} is advanced once per cluster visited in step 3.
   *
   * @param scores dense scores, one per patch
   * @param patchVectors the patches as points, row-major {@code [L, dim]} (finite values)
   * @param dim the length of one patch vector
   * @param k the number of patches to keep, in {@code [1, L]}
   * @param rho the fraction of {@code k} chosen by score, in {@code [0, 1]} (reference 0.7)
   * @param random the source of the random cluster members; advanced, owned by the caller
   * @return {@code k} distinct patches: the score picks in rank order, then the diversity picks in
   *     the order they were added
   * @throws IllegalArgumentException if the scores are not dense, {@code k} is outside {@code [1,
   *     L]}, {@code rho} is outside {@code [0, 1]}, or {@code patchVectors} is not {@code L · dim}
   *     finite values
   */
  public static int[] hybrid(
      PatchScores scores,
      float[] patchVectors,
      int dim,
      int k,
      double rho,
      SplittableRandom random) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(patchVectors, "patchVectors");
    Objects.requireNonNull(random, "random");
    if (!scores.isDense()) {
      throw new IllegalArgumentException(
          "the hybrid selection needs a score for every patch, got "
              + scores.size()
              + " of "
              + scores.grid().numPatches());
    }
    int n = scores.size();
    checkK(k, n);
    int byScore = scoreCount(k, rho);
    if (dim < 1 || (long) n * dim != patchVectors.length) {
      throw new IllegalArgumentException(
          "patchVectors must hold "
              + n
              + " patches of dim "
              + dim
              + ", got "
              + patchVectors.length
              + " values");
    }

    int[] ranking = scores.ranking();
    int[] out = new int[k];
    boolean[] kept = new boolean[n];
    int count = 0;
    for (; count < byScore; count++) {
      out[count] = ranking[count];
      kept[ranking[count]] = true;
    }
    if (count == k) {
      return out;
    }

    Clustering clusters = DpcKnn.standard().cluster(patchVectors, dim, k);
    boolean[] represented = new boolean[clusters.numClusters()];
    for (int i = 0; i < count; i++) {
      represented[clusters.clusterOf(out[i])] = true;
    }
    for (int c : largestFirst(clusters)) {
      if (count == k) {
        break;
      }
      if (represented[c]) {
        continue;
      }
      // No member of an unrepresented cluster is kept, so this pick is new.
      int[] members = clusters.members(c);
      int pick = members[random.nextInt(members.length)];
      out[count++] = pick;
      kept[pick] = true;
      represented[c] = true;
    }
    for (int j = 0; count < k && j < n; j++) {
      if (!kept[ranking[j]]) {
        out[count++] = ranking[j];
        kept[ranking[j]] = true;
      }
    }
    return out;
  }

  /** Cluster ids by descending size, ties to the lower center point index. */
  private static int[] largestFirst(Clustering clusters) {
    int[] sizes = clusters.sizes();
    int[] centers = clusters.centers();
    Integer[] order = new Integer[sizes.length];
    for (int c = 0; c < order.length; c++) {
      order[c] = c;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int bySize = Integer.compare(sizes[b], sizes[a]);
          return bySize != 0 ? bySize : Integer.compare(centers[a], centers[b]);
        });
    int[] out = new int[order.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = order[c];
    }
    return out;
  }

  private static void checkK(int k, int n) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
    }
  }

  static void checkRho(double rho) {
    if (!(rho >= 0 && rho <= 1)) {
      throw new IllegalArgumentException("rho must be in [0, 1], got " + rho);
    }
  }
}
