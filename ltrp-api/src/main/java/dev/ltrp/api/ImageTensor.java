package dev.ltrp.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image as a dense float32 tensor of shape {@code [channels, height, width]} (CHW, row-major).
 *
 * <p>This type carries no meaning for the values: models in this SDK expect RGB images scaled to
 * {@code [0, 1]} and then normalized per channel (see {@link Normalization#IMAGENET}), which is
 * what the preprocessing in {@code ltrp-core} produces from a {@code BufferedImage}. Every value
 * must be finite; NaN or infinity is rejected at construction so that it can never propagate
 * silently into a score.
 *
 * <p>Immutable and thread-safe: factories copy their input and accessors return copies.
 */
public final class ImageTensor {

  private final int channels;
  private final int height;
  private final int width;
  private final float[] data;

  private ImageTensor(int channels, int height, int width, float[] data) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.data = data;
  }

  /**
   * Creates a tensor from CHW values, copying {@code chw}.
   *
   * @param chw {@code channels · height · width} finite values, index {@code (c·height + y)·width +
   *     x}
   * @throws IllegalArgumentException if a dimension is not positive, the length does not match, or
   *     a value is NaN or infinite (the message names the first such position)
   */
  public static ImageTensor of(int channels, int height, int width, float[] chw) {
    Objects.requireNonNull(chw, "chw");
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image dimensions must be positive, got " + channels + "x" + height + "x" + width);
    }
    long expected = (long) channels * height * width;
    if (chw.length != expected) {
      throw new IllegalArgumentException(
          "expected "
              + expected
              + " values for a "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " image, got "
              + chw.length);
    }
    for (int i = 0; i < chw.length; i++) {
      if (!Float.isFinite(chw[i])) {
        int c = i / (height * width);
        int y = (i / width) % height;
        int x = i % width;
        throw new IllegalArgumentException(
            "image value at (channel " + c + ", y " + y + ", x " + x + ") is " + chw[i]);
      }
    }
    return new ImageTensor(channels, height, width, chw.clone());
  }

  /** Number of channels (3 for RGB). */
  public int channels() {
    return channels;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Number of values, {@code channels · height · width}. */
  public int size() {
    return data.length;
  }

  /** The value at channel {@code c}, row {@code y}, column {@code x}. */
  public float get(int c, int y, int x) {
    Objects.checkIndex(c, channels);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    return data[(c * height + y) * width + x];
  }

  /** A copy of the CHW values. */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * Copies the CHW values into {@code dst} starting at {@code offset}, without allocating: the way
   * to fill a batch buffer.
   */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /**
   * Copies patch {@code index} of {@code grid} into {@code dst} at {@code offset} as a vector of
   * {@code patchSize · patchSize · channels} values ordered (pixel row, pixel column, channel): the
   * MAE "patchify" layout, which is also what a MAE decoder predicts per patch.
   *
   * @throws IllegalArgumentException if this image is not of the grid's size
   */
  public void patchVector(PatchGrid grid, int index, float[] dst, int offset) {
    checkShape(channels, grid);
    int p = grid.patchSize();
    int y0 = grid.row(index) * p;
    int x0 = grid.col(index) * p;
    int o = offset;
    for (int dy = 0; dy < p; dy++) {
      for (int dx = 0; dx < p; dx++) {
        int pixel = (y0 + dy) * width + x0 + dx;
        for (int c = 0; c < channels; c++) {
          dst[o++] = data[c * height * width + pixel];
        }
      }
    }
  }

  /**
   * Checks that this image fits a model's input.
   *
   * @throws IllegalArgumentException naming both shapes when the channel count or the size differs
   */
  public void checkShape(int expectedChannels, PatchGrid grid) {
    if (channels != expectedChannels
        || height != grid.imageHeight()
        || width != grid.imageWidth()) {
      throw new IllegalArgumentException(
          "image is "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " (CxHxW) but the model expects "
              + expectedChannels
              + "x"
              + grid.imageHeight()
              + "x"
              + grid.imageWidth());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTensor other
        && channels == other.channels
        && height == other.height
        && width == other.width
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(channels, height, width) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ImageTensor[" + channels + "x" + height + "x" + width + "]";
  }
}
