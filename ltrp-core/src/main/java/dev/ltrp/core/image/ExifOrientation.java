package dev.ltrp.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Undoes an EXIF orientation so that the pixels appear the way the camera meant them, with the same
 * transform Pillow's {@code ImageOps.exif_transpose} applies for each tag value.
 */
final class ExifOrientation {

  private ExifOrientation() {}

  /**
   * Returns {@code rgb} transformed for EXIF orientation {@code orientation} (1–8); orientation 1
   * (or any other value) returns {@code rgb} itself.
   *
   * @param rgb a {@link BufferedImage#TYPE_INT_RGB} image
   */
  static BufferedImage apply(BufferedImage rgb, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return rgb;
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int[] in = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    int[] o = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { // FLIP_LEFT_RIGHT
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> { // ROTATE_180
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> { // FLIP_TOP_BOTTOM
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> { // TRANSPOSE
            sx = y;
            sy = x;
          }
          case 6 -> { // ROTATE_270 (a quarter turn clockwise)
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> { // TRANSVERSE
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> { // 8: ROTATE_90 (a quarter turn counter-clockwise)
            sx = w - 1 - y;
            sy = x;
          }
        }
        o[y * ow + x] = in[sy * w + sx];
      }
    }
    return out;
  }
}
