package dev.ltrp.core.image;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import java.util.Objects;

/**
 * MAE's {@code patchify} and {@code unpatchify}: between a {@code [C, H, W]} image and its patches
 * as a row-major {@code [L, p · p · C]} array, each patch vector ordered (pixel row within the
 * patch, pixel column, channel), patches numbered row-major (see {@link PatchGrid}). This is the
 * layout a MAE decoder predicts, so a prediction can be turned back into an image with {@link
 * #unpatchify}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Patchify {

  private Patchify() {}

  /**
   * All patches of {@code image}.
   *
   * @return {@code L · p · p · C} values, row {@code i} holding patch {@code i}
   * @throws IllegalArgumentException if the image is not of the grid's size
   */
  public static float[] patchify(ImageTensor image, PatchGrid grid) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(grid, "grid");
    image.checkShape(image.channels(), grid);
    int vector = grid.patchVectorLength(image.channels());
    float[] out = new float[grid.numPatches() * vector];
    for (int i = 0; i < grid.numPatches(); i++) {
      image.patchVector(grid, i, out, i * vector);
    }
    return out;
  }

  /**
   * The listed patches of {@code image}, in the order given.
   *
   * @return {@code patches.length · p · p · C} values, row {@code k} holding patch {@code
   *     patches[k]}
   * @throws IllegalArgumentException if the image is not of the grid's size
   * @throws IndexOutOfBoundsException if a patch index is outside the grid
   */
  public static float[] patchify(ImageTensor image, PatchGrid grid, int... patches) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(grid, "grid");
    image.checkShape(image.channels(), grid);
    int vector = grid.patchVectorLength(image.channels());
    float[] out = new float[patches.length * vector];
    for (int k = 0; k < patches.length; k++) {
      image.patchVector(grid, grid.checkIndex(patches[k]), out, k * vector);
    }
    return out;
  }

  /**
   * The image whose patches are {@code patches} (the inverse of {@link #patchify(ImageTensor,
   * PatchGrid)}).
   *
   * @param patches {@code L · p · p · channels} values, row-major {@code [L, p · p · channels]}
   * @return a {@code [channels, H, W]} tensor of the grid's size
   * @throws IllegalArgumentException if the length does not match or a value is not finite
   */
  public static ImageTensor unpatchify(float[] patches, PatchGrid grid, int channels) {
    Objects.requireNonNull(patches, "patches");
    Objects.requireNonNull(grid, "grid");
    int vector = grid.patchVectorLength(channels);
    long expected = (long) grid.numPatches() * vector;
    if (patches.length != expected) {
      throw new IllegalArgumentException(
          "expected "
              + grid.numPatches()
              + " patches of "
              + vector
              + " values = "
              + expected
              + " values, got "
              + patches.length);
    }
    int h = grid.imageHeight();
    int w = grid.imageWidth();
    int p = grid.patchSize();
    float[] chw = new float[channels * h * w];
    int o = 0;
    for (int i = 0; i < grid.numPatches(); i++) {
      int y0 = grid.row(i) * p;
      int x0 = grid.col(i) * p;
      for (int dy = 0; dy < p; dy++) {
        for (int dx = 0; dx < p; dx++) {
          int pixel = (y0 + dy) * w + x0 + dx;
          for (int c = 0; c < channels; c++) {
            chw[c * h * w + pixel] = patches[o++];
          }
        }
      }
    }
    return ImageTensor.of(channels, h, w, chw);
  }

  /**
   * {@code reconstruction} with the visible patches replaced by {@code original}'s: the usual MAE
   * display "reconstruction + visible", where only the masked patches show predictions.
   *
   * @throws IllegalArgumentException if the two images differ in shape or do not fit the grid
   */
  public static ImageTensor pastePatches(
      ImageTensor reconstruction, ImageTensor original, VisibleSet visible) {
    Objects.requireNonNull(visible, "visible");
    return pastePatches(reconstruction, original, visible.grid(), visible.patches());
  }

  /**
   * {@code reconstruction} with the listed patches replaced by {@code original}'s pixels (all
   * channels). Neither input is modified; duplicates in {@code patches} are harmless.
   *
   * @throws IllegalArgumentException if the two images differ in shape or do not fit the grid
   * @throws IndexOutOfBoundsException if a patch index is outside the grid
   */
  public static ImageTensor pastePatches(
      ImageTensor reconstruction, ImageTensor original, PatchGrid grid, int... patches) {
    Objects.requireNonNull(reconstruction, "reconstruction");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(grid, "grid");
    int channels = original.channels();
    original.checkShape(channels, grid);
    if (reconstruction.channels() != channels) {
      throw new IllegalArgumentException(
          "reconstruction has "
              + reconstruction.channels()
              + " channels but the original has "
              + channels);
    }
    reconstruction.checkShape(channels, grid);
    float[] out = reconstruction.toArray();
    float[] src = original.toArray();
    int h = grid.imageHeight();
    int w = grid.imageWidth();
    int p = grid.patchSize();
    for (int patch : patches) {
      int y0 = grid.row(patch) * p;
      int x0 = grid.col(patch) * p;
      for (int c = 0; c < channels; c++) {
        for (int y = y0; y < y0 + p; y++) {
          int start = (c * h + y) * w + x0;
          System.arraycopy(src, start, out, start, p);
        }
      }
    }
    return ImageTensor.of(channels, h, w, out);
  }
}
