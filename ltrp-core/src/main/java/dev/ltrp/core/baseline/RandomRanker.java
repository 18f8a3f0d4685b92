package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.selection.ImageSeeds;
import java.util.Objects;
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
public final class RandomRanker implements PatchRanker {

  /** The seed of {@link #of(PatchGrid, int)}. */
  public static final long DEFAULT_SEED = 0L;

  private final PatchGrid grid;
  private final int channels;
  private final long seed;

  private RandomRanker(PatchGrid grid, int channels, long seed) {
    this.grid = Objects.requireNonNull(grid, "grid");
    grid.patchVectorLength(channels);
    this.channels = channels;
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

  @Override
  public PatchGrid grid() {
    return grid;
  }

  @Override
  public int channels() {
    return channels;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /**
   * A random permutation of {@code L−1 … 0} as scores, determined by (seed, image).
   *
   * @throws IllegalArgumentException if the image does not fit the grid and channels
   */
  @Override
  public PatchScores rank(ImageTensor image) {
    Objects.requireNonNull(image, "image");
    image.checkShape(channels, grid);
    SplittableRandom random = ImageSeeds.random(seed, image);
    int n = grid.numPatches();
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
    return PatchScores.dense(grid, scores);
  }

  @Override
  public String toString() {
    return "RandomRanker[" + grid + ", seed=" + seed + "]";
  }
}
