package dev.ltrp.eval.data;

import dev.ltrp.core.data.Seeds;
import dev.ltrp.core.image.BicubicResampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code fashion-mnist-clutter}: Fashion-MNIST items placed at a random position and scale on a
 * {@value #SIDE}×{@value #SIDE} canvas over a random crop of a natural photo, so that neither
 * "bright pixels" nor "the middle of the frame" tells where the object is (on plain Fashion-MNIST
 * the background is exactly black and objects are centred, which makes pixel variance and a fixed
 * positional order close to optimal by construction).
 *
 * <p>Per image, from {@link Seeds#random} of the seed, the split and the image's index (so the same
 * on every machine): a photo, a square crop of it (side uniform in [{@value #SIDE}, the photo's
 * shorter side after scaling it to {@value #PHOTO_SIDE}]) resampled to the canvas and dimmed to
 * {@value #DIM} of its brightness, then the item scaled to a side uniform in [{@value #MIN_ITEM},
 * {@value #MAX_ITEM}] pixels at a uniform position inside the canvas, composited with its own
 * intensity as opacity ({@code out = a · item + (1 − a) · background}, {@code a = item / 255}), so
 * the item's black surround is transparent. Grayscale.
 *
 * <p>Backgrounds: every JPEG or PNG in a folder, by default the nature photos of Debian's {@code
 * mate-backgrounds} (12 photos, GPL-2+; installed, never committed). Thread-safe.
 */
public final class FashionMnistClutter {

  /** Canvas side in pixels (a 7×7 grid of 8-pixel patches). */
  public static final int SIDE = 56;

  /** Where {@code apt-get install mate-backgrounds} puts its nature photos. */
  public static final Path DEFAULT_BACKGROUNDS = Path.of("/usr/share/backgrounds/mate/nature");

  static final int PHOTO_SIDE = 256;
  static final double DIM = 0.5;
  static final int MIN_ITEM = 22;
  static final int MAX_ITEM = 42;
  private static final int ITEM = 28;

  private final List<float[]> photos;
  private final List<int[]> photoSizes;

  private FashionMnistClutter(List<float[]> photos, List<int[]> photoSizes) {
    this.photos = photos;
    this.photoSizes = photoSizes;
  }

  /**
   * Loads the backgrounds: every {@code .jpg}, {@code .jpeg} or {@code .png} in {@code dir},
   * converted to grayscale with the shorter side scaled to {@value #PHOTO_SIDE} pixels.
   *
   * @throws IllegalArgumentException if {@code dir} holds no readable photo
   */
  public static FashionMnistClutter backgrounds(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no background photos: "
              + dir
              + " is not a directory"
              + (dir.equals(DEFAULT_BACKGROUNDS) ? " (apt-get install mate-backgrounds)" : ""));
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
                  })
              .sorted()
              .toList();
    }
    List<float[]> photos = new ArrayList<>();
    List<int[]> sizes = new ArrayList<>();
    for (Path f : files) {
      BufferedImage image = ImageIO.read(f.toFile());
      if (image == null) {
        throw new IllegalArgumentException(f + " is not an image javax.imageio can read");
      }
      double scale = (double) PHOTO_SIDE / Math.min(image.getWidth(), image.getHeight());
      int w = Math.max(PHOTO_SIDE, (int) Math.round(image.getWidth() * scale));
      int h = Math.max(PHOTO_SIDE, (int) Math.round(image.getHeight() * scale));
      BufferedImage small = BicubicResampler.resize(image, w, h);
      float[] gray = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = small.getRGB(x, y);
          gray[y * w + x] =
              (float)
                  (0.299 * ((rgb >> 16) & 0xff)
                      + 0.587 * ((rgb >> 8) & 0xff)
                      + 0.114 * (rgb & 0xff));
        }
      }
      photos.add(gray);
      sizes.add(new int[] {w, h});
    }
    if (photos.isEmpty()) {
      throw new IllegalArgumentException("no .jpg or .png background photos in " + dir);
    }
    return new FashionMnistClutter(List.copyOf(photos), List.copyOf(sizes));
  }

  /** Number of background photos. */
  public int photos() {
    return photos.size();
  }

  /**
   * Composes {@code items} ({@code count × 28 × 28} bytes, Fashion-MNIST's layout) into {@code
   * count × 56 × 56} bytes, image {@code i} from {@code Seeds.random(seed, split, i)}.
   */
  public byte[] compose(byte[] items, String split, long seed) {
    int count = items.length / (ITEM * ITEM);
    byte[] out = new byte[count * SIDE * SIDE];
    IntStream.range(0, count)
        .parallel()
        .forEach(i -> composeOne(items, i, out, Seeds.random(seed, "clutter-" + split, i)));
    return out;
  }

  private void composeOne(byte[] items, int index, byte[] out, SplittableRandom random) {
    int which = random.nextInt(photos.size());
    float[] photo = photos.get(which);
    int w = photoSizes.get(which)[0];
    int h = photoSizes.get(which)[1];
    int crop = SIDE + random.nextInt(Math.min(w, h) - SIDE + 1);
    int cx = random.nextInt(w - crop + 1);
    int cy = random.nextInt(h - crop + 1);
    int itemSide = MIN_ITEM + random.nextInt(MAX_ITEM - MIN_ITEM + 1);
    int ix = random.nextInt(SIDE - itemSide + 1);
    int iy = random.nextInt(SIDE - itemSide + 1);
    int base = index * SIDE * SIDE;
    float[] item = new float[ITEM * ITEM];
    for (int p = 0; p < item.length; p++) {
      item[p] = items[index * ITEM * ITEM + p] & 0xff;
    }
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double background =
            DIM
                * bilinear(
                    photo,
                    w,
                    h,
                    cx + (x + 0.5) * crop / SIDE - 0.5,
                    cy + (y + 0.5) * crop / SIDE - 0.5);
        double value = background;
        if (x >= ix && x < ix + itemSide && y >= iy && y < iy + itemSide) {
          double v =
              bilinear(
                  item,
                  ITEM,
                  ITEM,
                  (x - ix + 0.5) * ITEM / itemSide - 0.5,
                  (y - iy + 0.5) * ITEM / itemSide - 0.5);
          double alpha = v / 255.0;
          value = alpha * v + (1 - alpha) * background;
        }
        out[base + y * SIDE + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }

  private static double bilinear(float[] image, int w, int h, double x, double y) {
    double cx = Math.max(0, Math.min(w - 1, x));
    double cy = Math.max(0, Math.min(h - 1, y));
    int x0 = (int) Math.floor(cx);
    int y0 = (int) Math.floor(cy);
    int x1 = Math.min(w - 1, x0 + 1);
    int y1 = Math.min(h - 1, y0 + 1);
    double fx = cx - x0;
    double fy = cy - y0;
    return (1 - fy) * ((1 - fx) * image[y0 * w + x0] + fx * image[y0 * w + x1])
        + fy * ((1 - fx) * image[y1 * w + x0] + fx * image[y1 * w + x1]);
  }

  /**
   * Writes the first 16 training images of {@code fashion-mnist-clutter} as a 4×4 PNG grid: {@code
   * FashionMnistClutter OUT.png [FASHION_MNIST_DIR [BACKGROUNDS_DIR]]}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: FashionMnistClutter OUT.png [FASHION_MNIST_DIR [BACKGROUNDS]]");
      System.exit(2);
    }
    Path fashion = Path.of(args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist");
    FashionMnistClutter clutter =
        backgrounds(args.length > 2 ? Path.of(args[2]) : DEFAULT_BACKGROUNDS);
    byte[] all =
        dev.ltrp.core.data.IdxReader.read(fashion.resolve("train-images-idx3-ubyte.gz")).data();
    byte[] out = clutter.compose(java.util.Arrays.copyOf(all, 16 * ITEM * ITEM), "train", 0);
    BufferedImage grid = new BufferedImage(4 * SIDE, 4 * SIDE, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 16; i++) {
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          int v = out[i * SIDE * SIDE + y * SIDE + x] & 0xff;
          grid.setRGB((i % 4) * SIDE + x, (i / 4) * SIDE + y, (v << 16) | (v << 8) | v);
        }
      }
    }
    ImageIO.write(grid, "png", Path.of(args[0]).toFile());
  }
}
