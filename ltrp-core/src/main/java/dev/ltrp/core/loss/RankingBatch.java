package dev.ltrp.core.loss;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.selection.PatchSubsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One batch of ranking lists, prepared outside the training graph for a {@link RankingLoss}:
 * everything that involves sorting, sampling or comparing targets happens here, in plain Java,
 * because the graph engine cannot differentiate through those steps reliably (ND4J 1.0.0-M2.1: no
 * argsort, pathological {@code gather} gradients). The graph then only multiplies.
 *
 * <p>For each of the {@code B} lists (one per image, the oracle-scored visible patches) the batch
 * holds the list's items in loss order and a one-hot {@code select [B, L, k]} matrix with {@code
 * select[b, patch, j] = 1} when item {@code j} of list {@code b} is that patch, so that {@code
 * logits [B, 1, L] · select = s [B, 1, k]}. Loss order: by target descending (ties by the lower
 * patch index) for ListMLE, the visible set's ascending order otherwise.
 *
 * <p>Immutable after construction; arrays are exposed without copying and must not be modified.
 */
public final class RankingBatch {

  /** RankNet's tie threshold on target differences. */
  public static final double RANKNET_TIE = 0.001;

  private final RankingLoss loss;
  private final int batch;
  private final int numPatches;
  private final int listLength;
  private final int[] items;
  private final float[] select;
  private final float[] targets;

  private RankingBatch(
      RankingLoss loss,
      int batch,
      int numPatches,
      int listLength,
      int[] items,
      float[] select,
      float[] targets) {
    this.loss = loss;
    this.batch = batch;
    this.numPatches = numPatches;
    this.listLength = listLength;
    this.items = items;
    this.select = select;
    this.targets = targets;
  }

  /**
   * Prepares a batch.
   *
   * @param scores the oracle's scores, one {@link PatchScores} per image, all of the same size
   * @param topK for ListMLE, the list length: lists longer than this use a random subset of {@code
   *     topK} items (drawn from {@code random}); ignored by the other losses
   * @throws IllegalArgumentException if the lists are empty, differ in length or are on another
   *     grid
   */
  public static RankingBatch prepare(
      RankingLoss loss,
      PatchGrid grid,
      List<PatchScores> scores,
      int topK,
      SplittableRandom random) {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("a ranking batch needs at least one list");
    }
    int n = scores.get(0).size();
    for (PatchScores s : scores) {
      if (!s.grid().equals(grid)) {
        throw new IllegalArgumentException("scores on " + s.grid() + ", expected " + grid);
      }
      if (s.size() != n) {
        throw new IllegalArgumentException(
            "all lists of a batch must have the same length, got " + n + " and " + s.size());
      }
    }
    if (n < 2 && loss == RankingLoss.RANKNET) {
      throw new IllegalArgumentException("RankNet needs lists of at least 2 items");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    int k = loss == RankingLoss.LISTMLE ? Math.min(n, topK) : n;
    int b = scores.size();
    int numPatches = grid.numPatches();
    int[] items = new int[b * k];
    float[] y = new float[b * k];
    for (int row = 0; row < b; row++) {
      PatchScores s = scores.get(row);
      int[] chosen = chooseItems(n, k, random);
      if (loss == RankingLoss.LISTMLE) {
        sortByTargetDescending(chosen, s);
      }
      for (int j = 0; j < k; j++) {
        items[row * k + j] = s.patch(chosen[j]);
        y[row * k + j] = s.score(chosen[j]);
      }
    }
    float[] select = new float[b * numPatches * k];
    for (int row = 0; row < b; row++) {
      for (int j = 0; j < k; j++) {
        select[(row * numPatches + items[row * k + j]) * k + j] = 1f;
      }
    }
    float[] targets =
        switch (loss) {
          case LISTMLE -> new float[0];
          case POINTWISE -> y;
          case LISTNET -> softmaxRows(y, b, k);
          case RANKNET -> pairTargets(y, b, k);
        };
    return new RankingBatch(loss, b, numPatches, k, items, select, targets);
  }

  private static int[] chooseItems(int n, int k, SplittableRandom random) {
    // All items leave the random source untouched (the draws of later lists stay the same).
    return k == n ? PatchSubsets.all(n) : PatchSubsets.random(n, k, random);
  }

  private static void sortByTargetDescending(int[] positions, PatchScores s) {
    Integer[] boxed = Arrays.stream(positions).boxed().toArray(Integer[]::new);
    Arrays.sort(
        boxed,
        (a, c) -> {
          int byScore = Float.compare(s.score(c), s.score(a));
          return byScore != 0 ? byScore : Integer.compare(s.patch(a), s.patch(c));
        });
    for (int i = 0; i < positions.length; i++) {
      positions[i] = boxed[i];
    }
  }

  private static float[] softmaxRows(float[] y, int b, int k) {
    float[] out = new float[y.length];
    for (int row = 0; row < b; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, y[row * k + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(y[row * k + j] - max);
      }
      for (int j = 0; j < k; j++) {
        out[row * k + j] = (float) (Math.exp(y[row * k + j] - max) / sum);
      }
    }
    return out;
  }

  private static float[] pairTargets(float[] y, int b, int k) {
    int pairs = k * (k - 1) / 2;
    float[] out = new float[b * pairs];
    for (int row = 0; row < b; row++) {
      int p = 0;
      for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++) {
          double diff = (double) y[row * k + i] - y[row * k + j];
          out[row * pairs + p++] = diff >= RANKNET_TIE ? 1f : diff <= -RANKNET_TIE ? 0f : 0.5f;
        }
      }
    }
    return out;
  }

  /**
   * RankNet's pair matrix {@code [k, k(k−1)/2]}: column {@code p} of pair {@code (i, j)}, {@code i
   * < j} in lexicographic order, has +1 at row {@code i} and −1 at row {@code j}, so that {@code s
   * · D} gives every {@code s_i − s_j}.
   */
  public static float[] pairMatrix(int k) {
    int pairs = k * (k - 1) / 2;
    float[] d = new float[k * pairs];
    int p = 0;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        d[i * pairs + p] = 1f;
        d[j * pairs + p] = -1f;
        p++;
      }
    }
    return d;
  }

  /**
   * ListMLE's suffix-sum matrix {@code [k, k]}: {@code T[i, j] = 1} when {@code i ≥ j}, so that
   * {@code (e · T)_j = Σ_{i≥j} e_i}.
   */
  public static float[] suffixSumMatrix(int k) {
    float[] t = new float[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        t[i * k + j] = 1f;
      }
    }
    return t;
  }

  public RankingLoss loss() {
    return loss;
  }

  /** Number of lists {@code B}. */
  public int batch() {
    return batch;
  }

  /** Number of patches {@code L} of the grid. */
  public int numPatches() {
    return numPatches;
  }

  /** Items per list {@code k}. */
  public int listLength() {
    return listLength;
  }

  /** {@code [B, k]}: the patch index of each item, in loss order. */
  public int[] items() {
    return items;
  }

  /** {@code [B, L, k]} one-hot item selection. */
  public float[] select() {
    return select;
  }

  /**
   * The loss's targets: {@code [B, k]} oracle scores (pointwise), {@code [B, k]} softmax of the
   * scores (ListNet), {@code [B, k(k−1)/2]} pair targets in {0, 0.5, 1} (RankNet), empty for
   * ListMLE (the order is the target).
   */
  public float[] targets() {
    return targets;
  }
}
