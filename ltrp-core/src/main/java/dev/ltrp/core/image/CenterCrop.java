package dev.ltrp.core.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Center cropping exactly as torchvision's {@code center_crop}: the crop starts at {@code top =
 * int(round((H − h) / 2))} and {@code left = int(round((W − w) / 2))}, where Python's {@code round}
 * rounds halves to even (so an odd difference of 5 gives an offset of 2, of 7 gives 4).
 *
 * <p>Stateless and thread-safe.
 */
public final class CenterCrop {

  private CenterCrop() {}

  /**
   * The offset of a centered crop of {@code cropSize} within {@code size}: {@code round((size −
   * cropSize) / 2)} with halves to even.
   *
   * @throws IllegalArgumentException if {@code cropSize} is not in {@code [1, size]}
   */
  public static int offset(int size, int cropSize) {
    if (cropSize <= 0 || cropSize > size) {
      throw new IllegalArgumentException("crop size " + cropSize + " must be in [1, " + size + "]");
    }
    return (int) Math.rint((size - cropSize) / 2.0);
  }

  /**
   * Crops the center {@code height × width} of {@code image} into a new {@code TYPE_INT_RGB} image
   * (converting with {@link RgbConverter#toRgb(BufferedImage)} if needed).
   *
   * @throws IllegalArgumentException if the crop is larger than the image or not positive
   */
  public static BufferedImage crop(BufferedImage image, int height, int width) {
    Objects.requireNonNull(image, "image");
    checkCrop(image.getHeight(), image.getWidth(), height, width);
    BufferedImage rgb = RgbConverter.toRgb(image);
    return RgbConverter.fromData(
        crop(RgbConverter.data(rgb), rgb.getWidth(), rgb.getHeight(), height, width),
        width,
        height);
  }

  /** Crops packed pixels; returns {@code src} itself when the size already matches. */
  static int[] crop(int[] src, int srcW, int srcH, int height, int width) {
    checkCrop(srcH, srcW, height, width);
    if (height == srcH && width == srcW) {
      return src;
    }
    int top = offset(srcH, height);
    int left = offset(srcW, width);
    int[] out = new int[width * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(src, (top + y) * srcW + left, out, y * width, width);
    }
    return out;
  }

  private static void checkCrop(int srcH, int srcW, int height, int width) {
    if (height <= 0 || width <= 0 || height > srcH || width > srcW) {
      throw new IllegalArgumentException(
          "cannot crop "
              + height
              + "x"
              + width
              + " (HxW) out of a "
              + srcH
              + "x"
              + srcW
              + " image");
    }
  }
}
