package dev.ltrp.core.image;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Normalization;
import dev.ltrp.api.PatchGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns images into model inputs: a normalized float32 {@link ImageTensor} of shape {@code [3, H,
 * W]} (RGB, CHW). The steps are those of the reference PyTorch transform, value for value:
 *
 * <ol>
 *   <li>convert to 8-bit RGB ({@link RgbConverter});
 *   <li>resize with Pillow's bicubic ({@link BicubicResampler}) to the size the {@link ResizeMode}
 *       prescribes, then center-crop to {@code H × W} like torchvision ({@link CenterCrop});
 *   <li>{@code x / 255} in float32 (torchvision's {@code ToTensor});
 *   <li>{@code (x − mean[c]) / std[c]} in float32 (torchvision's {@code Normalize}), by default
 *       with {@link Normalization#IMAGENET}.
 * </ol>
 *
 * <pre>{@code
 * ImagePreprocessor preprocessor = ImagePreprocessor.builder()
 *     .setImageSize(PatchGrid.of(224, 16))
 *     .optResize(ResizeMode.RESIZE_CROP_RATIO)
 *     .build();
 * ImageTensor input = preprocessor.preprocess(Path.of("photo.jpg"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {

  private final int height;
  private final int width;
  private final ResizeMode resizeMode;
  private final Normalization normalization;
  private final ImageLoader loader;

  private ImagePreprocessor(Builder b) {
    this.height = b.height;
    this.width = b.width;
    this.resizeMode = b.resizeMode;
    this.normalization = b.normalization;
    this.loader = b.loader;
  }

  /** A builder; {@link Builder#setImageSize} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A preprocessor for a model over {@code grid}'s image size with the defaults ({@link
   * ResizeMode#EXACT_OR_SHORTER_SIDE}, ImageNet normalization).
   */
  public static ImagePreprocessor forGrid(PatchGrid grid) {
    return builder().setImageSize(grid).build();
  }

  /** Output height {@code H} in pixels. */
  public int height() {
    return height;
  }

  /** Output width {@code W} in pixels. */
  public int width() {
    return width;
  }

  /** How images are brought to {@code H × W}. */
  public ResizeMode resizeMode() {
    return resizeMode;
  }

  /** The per-channel normalization applied to {@code [0, 1]} values. */
  public Normalization normalization() {
    return normalization;
  }

  /** The loader used by {@link #preprocess(Path)}. */
  public ImageLoader loader() {
    return loader;
  }

  /**
   * Reads an image file with {@link #loader()} and preprocesses it.
   *
   * @return a normalized {@code [3, H, W]} tensor
   * @throws ImageFormatException if the file is not a readable image (see {@link ImageLoader})
   * @throws IOException if the file cannot be read
   */
  public ImageTensor preprocess(Path file) throws IOException {
    return preprocess(loader.read(file));
  }

  /**
   * Resizes, crops and normalizes an image of any size and colour model.
   *
   * @return a normalized {@code [3, H, W]} tensor
   */
  public ImageTensor preprocess(BufferedImage image) {
    return normalize(resizeAndCrop(image));
  }

  /**
   * The resized and cropped 8-bit image, before normalization: exactly the pixels {@link
   * #preprocess(BufferedImage)} normalizes (what a visualization should show under scores).
   *
   * @return a new {@code H × W} {@code TYPE_INT_RGB} image
   */
  public BufferedImage resizeAndCrop(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    BufferedImage rgb = RgbConverter.asStandardRgb(image);
    int srcW = rgb.getWidth();
    int srcH = rgb.getHeight();
    int[] size = resizeMode.resizedSize(srcH, srcW, height, width);
    int[] pixels =
        BicubicResampler.resizeAndCrop(
            RgbConverter.data(rgb), srcW, srcH, size[1], size[0], width, height);
    return RgbConverter.fromData(pixels, width, height);
  }

  /**
   * Normalizes an 8-bit image that already has the output size, without resampling: {@code ((v /
   * 255) − mean[c]) / std[c]} in float32.
   *
   * @throws IllegalArgumentException if the image is not {@code H × W}
   */
  public ImageTensor normalize(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    checkSize(image.getHeight(), image.getWidth());
    int[] pixels = RgbConverter.data(RgbConverter.asStandardRgb(image));
    int plane = height * width;
    float[] chw = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = pixels[i];
      chw[i] = normalization.normalize(0, ((p >> 16) & 0xFF) / 255f);
      chw[plane + i] = normalization.normalize(1, ((p >> 8) & 0xFF) / 255f);
      chw[2 * plane + i] = normalization.normalize(2, (p & 0xFF) / 255f);
    }
    return ImageTensor.of(3, height, width, chw);
  }

  /**
   * Normalizes an RGB image given as values in {@code [0, 1]} (for example a tensor that was
   * already resized elsewhere), without resampling.
   *
   * @param unitRange a {@code [3, H, W]} tensor of values in {@code [0, 1]} (values outside are
   *     normalized as they are, not clamped)
   * @throws IllegalArgumentException if the shape is not {@code [3, H, W]}
   */
  public ImageTensor normalize(ImageTensor unitRange) {
    Objects.requireNonNull(unitRange, "unitRange");
    if (unitRange.channels() != 3) {
      throw new IllegalArgumentException(
          "expected an RGB tensor with 3 channels, got " + unitRange.channels());
    }
    checkSize(unitRange.height(), unitRange.width());
    return normalizeChw(unitRange.toArray());
  }

  /**
   * Normalizes CHW values in {@code [0, 1]} (length {@code 3 · H · W}), without resampling; the
   * array is not modified.
   *
   * @throws IllegalArgumentException if the length is not {@code 3 · H · W} or a value is not
   *     finite
   */
  public ImageTensor normalize(float[] chwUnitRange) {
    Objects.requireNonNull(chwUnitRange, "chwUnitRange");
    if (chwUnitRange.length != 3 * height * width) {
      throw new IllegalArgumentException(
          "expected 3x"
              + height
              + "x"
              + width
              + " = "
              + (3 * height * width)
              + " values, got "
              + chwUnitRange.length);
    }
    return normalizeChw(chwUnitRange.clone());
  }

  private ImageTensor normalizeChw(float[] chw) {
    int plane = height * width;
    for (int c = 0; c < 3; c++) {
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        chw[i] = normalization.normalize(c, chw[i]);
      }
    }
    return ImageTensor.of(3, height, width, chw);
  }

  private void checkSize(int h, int w) {
    if (h != height || w != width) {
      throw new IllegalArgumentException(
          "image is "
              + h
              + "x"
              + w
              + " (HxW) but this "
              + "preprocessor produces "
              + height
              + "x"
              + width
              + "; use preprocess() to resize");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessor other
        && height == other.height
        && width == other.width
        && resizeMode == other.resizeMode
        && normalization.equals(other.normalization)
        && loader.equals(other.loader);
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, resizeMode, normalization, loader);
  }

  @Override
  public String toString() {
    return "ImagePreprocessor["
        + height
        + "x"
        + width
        + ", "
        + resizeMode
        + ", "
        + normalization
        + "]";
  }

  /** Builds an {@link ImagePreprocessor}. Not thread-safe. */
  public static final class Builder {

    private int height;
    private int width;
    private ResizeMode resizeMode = ResizeMode.EXACT_OR_SHORTER_SIDE;
    private Normalization normalization = Normalization.IMAGENET;
    private ImageLoader loader = ImageLoader.defaults();

    private Builder() {}

    /**
     * The output size in pixels (required).
     *
     * @throws IllegalArgumentException if a side is not positive
     */
    public Builder setImageSize(int height, int width) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "image size must be positive, got " + height + "x" + width);
      }
      this.height = height;
      this.width = width;
      return this;
    }

    /**
     * The output size of a model over {@code grid} (required, or {@link #setImageSize(int, int)}).
     */
    public Builder setImageSize(PatchGrid grid) {
      Objects.requireNonNull(grid, "grid");
      return setImageSize(grid.imageHeight(), grid.imageWidth());
    }

    /**
     * How images are brought to the output size (default {@link ResizeMode#EXACT_OR_SHORTER_SIDE}).
     */
    public Builder optResize(ResizeMode mode) {
      this.resizeMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The normalization of {@code [0, 1]} values (default {@link Normalization#IMAGENET}).
     *
     * @throws IllegalArgumentException if it does not have 3 channels
     */
    public Builder optNormalization(Normalization normalization) {
      Objects.requireNonNull(normalization, "normalization");
      if (normalization.channels() != 3) {
        throw new IllegalArgumentException(
            "RGB needs a 3-channel normalization, got " + normalization.channels() + " channels");
      }
      this.normalization = normalization;
      return this;
    }

    /**
     * The loader {@link #preprocess(Path)} reads files with (default {@link
     * ImageLoader#defaults()}).
     */
    public Builder optLoader(ImageLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Builds the immutable preprocessor.
     *
     * @throws IllegalStateException if the image size was not set
     */
    public ImagePreprocessor build() {
      if (height == 0) {
        throw new IllegalStateException("setImageSize must be called before build()");
      }
      return new ImagePreprocessor(this);
    }
  }
}
