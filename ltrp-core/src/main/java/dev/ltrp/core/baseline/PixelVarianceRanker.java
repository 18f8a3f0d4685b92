package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;

/**
 * Ranks patches by the variance of their pixel values: textured patches first, flat ones last.
 *
 * <p>The score of a patch is the population variance (divided by {@code n}, not {@code n − 1}) of
 * all its {@code p · p · C} values as given, i.e. in the normalized units of the image (squared).
 * Channels are pooled: a flat patch of one colour still scores the spread between its channel
 * values, and only a patch whose values are all equal scores 0. Computed in double precision,
 * returned as float.
 *
 * <p>Immutable and thread-safe.
 */
public final class PixelVarianceRanker extends ImageRanker {

  private PixelVarianceRanker(PatchGrid grid, int channels) {
    super(grid, channels);
  }

  /**
   * A variance ranker for images of {@code channels × grid}.
   *
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  public static PixelVarianceRanker of(PatchGrid grid, int channels) {
    return new PixelVarianceRanker(grid, channels);
  }

  /** Per patch, the variance of its {@code p · p · C} values. */
  @Override
  float[] scores(ImageTensor image) {
    PatchGrid grid = grid();
    int channels = channels();
    int vector = grid.patchVectorLength(channels);
    float[] patch = new float[vector];
    float[] scores = new float[grid.numPatches()];
    for (int i = 0; i < scores.length; i++) {
      image.patchVector(grid, i, patch, 0);
      double mean = 0;
      for (float v : patch) {
        mean += v;
      }
      mean /= vector;
      double sumSq = 0;
      for (float v : patch) {
        double d = v - mean;
        sumSq += d * d;
      }
      scores[i] = (float) (sumSq / vector);
    }
    return scores;
  }

  @Override
  public String toString() {
    return "PixelVarianceRanker[" + grid() + "]";
  }
}
