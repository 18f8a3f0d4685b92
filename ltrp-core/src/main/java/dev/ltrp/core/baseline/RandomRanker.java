package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.selection.ImageSeeds;
import java.util.SplittableRandom;

/**
 * Ranks patches in a uniformly random order: the "random masking" baseline.
 *
 * <p>The scores of an image are a random permutation of {@code L−1, …, 1, 0} (distinct, so there
 * are no ties), drawn with a {@link SplittableRandom} seeded by {@link ImageSeeds#derive(long,
 * ImageTensor) ImageSeeds.derive(seed, image)}: the same image always gets the same order, on any
 * thread, while different images get independent orders. The default seed is {@value
 * #DEFAULT_SEED}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RandomRanker extends ImageRanker {

  /** The seed of {@link #of(PatchGrid, int)}. */
  public static final long DEFAULT_SEED = 0L;

  private final long seed;

  private RandomRanker(PatchGrid grid, int channels, long seed) {
    super(grid, channels);
    this.seed = seed;
  }

  /** A random ranker with seed {@value #DEFAULT_SEED}. */
  public static RandomRanker of(PatchGrid grid, int channels) {
    return new RandomRanker(grid, channels, DEFAULT_SEED);
  }

  /**
   * A random ranker for images of {@code channels × grid} with the given seed.
   *
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  public static RandomRanker of(PatchGrid grid, int channels, long seed) {
    return new RandomRanker(grid, channels, seed);
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** A random permutation of {@code L−1 … 0} as scores, determined by (seed, image). */
  @Override
  float[] scores(ImageTensor image) {
    SplittableRandom random = ImageSeeds.random(seed, image);
    int n = grid().numPatches();
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      scores[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float t = scores[i];
      scores[i] = scores[j];
      scores[j] = t;
    }
    return scores;
  }

  @Override
  public String toString() {
    return "RandomRanker[" + grid() + ", seed=" + seed + "]";
  }
}
