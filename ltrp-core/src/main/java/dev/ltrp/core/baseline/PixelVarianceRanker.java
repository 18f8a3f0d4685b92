package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import java.util.Objects;

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
public final class PixelVarianceRanker implements PatchRanker {

  private final PatchGrid grid;
  private final int channels;

  private PixelVarianceRanker(PatchGrid grid, int channels) {
    this.grid = Objects.requireNonNull(grid, "grid");
    grid.patchVectorLength(channels);
    this.channels = channels;
  }

  /**
   * A variance ranker for images of {@code channels × grid}.
   *
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  public static PixelVarianceRanker of(PatchGrid grid, int channels) {
    return new PixelVarianceRanker(grid, channels);
  }

  @Override
  public PatchGrid grid() {
    return grid;
  }

  @Override
  public int channels() {
    return channels;
  }

  /**
   * Per patch, the variance of its {@code p · p · C} values.
   *
   * @throws IllegalArgumentException if the image does not fit the grid and channels
   */
  @Override
  public PatchScores rank(ImageTensor image) {
    Objects.requireNonNull(image, "image");
    image.checkShape(channels, grid);
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
    return PatchScores.dense(grid, scores);
  }

  @Override
  public String toString() {
    return "PixelVarianceRanker[" + grid + "]";
  }
}
