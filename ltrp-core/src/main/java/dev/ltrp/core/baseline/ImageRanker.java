package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import java.util.Objects;

/**
 * What the pure-Java baselines that score an image on their own ({@link DpcKnnRanker}, {@link
 * PixelVarianceRanker}, {@link RandomRanker}) share: the grid and channels they accept, checked
 * once at construction and again for every image.
 */
abstract class ImageRanker implements PatchRanker {

  private final PatchGrid grid;
  private final int channels;

  /**
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  ImageRanker(PatchGrid grid, int channels) {
    this.grid = Objects.requireNonNull(grid, "grid");
    grid.patchVectorLength(channels);
    this.channels = channels;
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
   * The dense scores of {@link #scores} for {@code image}.
   *
   * @throws IllegalArgumentException if the image does not fit the grid and channels
   */
  @Override
  public PatchScores rank(ImageTensor image) {
    Objects.requireNonNull(image, "image");
    image.checkShape(channels, grid);
    return PatchScores.dense(grid, scores(image));
  }

  /** One score per patch of {@code image}, which fits the grid and channels. */
  abstract float[] scores(ImageTensor image);
}
