package dev.ltrp.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Fixtures of this package's tests: committed files under {@code /images} and synthetic images. */
final class TestImages {

  private TestImages() {}

  /** The committed fixture {@code src/test/resources/images/<name>}. */
  static Path resource(String name) {
    URL url = TestImages.class.getResource("/images/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource images/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A lossless fixture decoded with plain ImageIO (expected values written by Pillow). */
  static BufferedImage expected(String name) throws IOException {
    return RgbConverter.toRgb(ImageIO.read(resource(name).toFile()));
  }

  /** Packed 0xRRGGBB pixels, row-major. */
  static int[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFFFF;
    }
    return out;
  }

  /** The largest per-channel difference of two images of the same size. */
  static int maxChannelDiff(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      throw new AssertionError(
          "sizes differ: "
              + a.getWidth()
              + "x"
              + a.getHeight()
              + " vs "
              + b.getWidth()
              + "x"
              + b.getHeight());
    }
    int[] pa = pixels(a);
    int[] pb = pixels(b);
    int max = 0;
    for (int i = 0; i < pa.length; i++) {
      for (int shift = 0; shift <= 16; shift += 8) {
        max = Math.max(max, Math.abs(((pa[i] >> shift) & 0xFF) - ((pb[i] >> shift) & 0xFF)));
      }
    }
    return max;
  }

  static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  static int green(int rgb) {
    return (rgb >> 8) & 0xFF;
  }

  static int blue(int rgb) {
    return rgb & 0xFF;
  }

  /** A TYPE_INT_RGB image of uniformly random pixels. */
  static BufferedImage random(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  /** A TYPE_INT_RGB gradient: red grows with x, green with y, blue constant. */
  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = x * 255 / Math.max(width - 1, 1);
        int g = y * 255 / Math.max(height - 1, 1);
        image.setRGB(x, y, (r << 16) | (g << 8) | 77);
      }
    }
    return image;
  }

  /** A black-and-white checkerboard of {@code cell}-pixel squares, white at the top left. */
  static BufferedImage checkerboard(int width, int height, int cell) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, ((x / cell + y / cell) % 2 == 0) ? 0xFFFFFF : 0x000000);
      }
    }
    return image;
  }
}
