package dev.ltrp.core.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Bicubic resampling of 8-bit RGB images, bit-exact with Pillow's {@code Image.resize(size,
 * Image.BICUBIC)} (Pillow's {@code Resample.c}), which is what torchvision's {@code Resize} calls
 * on PIL images:
 *
 * <ul>
 *   <li>Keys cubic kernel with {@code a = −0.5}, support 2;
 *   <li>when shrinking by a factor {@code s > 1} the kernel is stretched by {@code s} (support
 *       {@code 2s}, argument divided by {@code s}), which antialiases; when enlarging it is not;
 *   <li>output pixel {@code i} is centred on input coordinate {@code (i + 0.5) · in / out}; taps
 *       outside the image are dropped and the remaining weights renormalized to sum to 1;
 *   <li>separable: a horizontal pass, then a vertical pass, each skipped when that side keeps its
 *       size;
 *   <li>weights are computed in double precision and then converted to 22-bit fixed point; each
 *       pass accumulates in integers and rounds and clamps to 0–255, so the intermediate image
 *       between the passes is 8-bit, exactly as in Pillow's 8-bit path.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class BicubicResampler {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double A = -0.5;
  private static final double SUPPORT = 2.0;

  private BicubicResampler() {}

  /**
   * Resizes {@code image} to {@code width × height} pixels. The input is converted with {@link
   * RgbConverter#toRgb(BufferedImage)} first if it is not RGB; resizing to the same size returns an
   * identical copy.
   *
   * @return a new {@code TYPE_INT_RGB} image
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive
   */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    Objects.requireNonNull(image, "image");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "target size must be positive, got " + width + "x" + height);
    }
    BufferedImage rgb = RgbConverter.toRgb(image);
    int[] pixels = resize(RgbConverter.data(rgb), rgb.getWidth(), rgb.getHeight(), width, height);
    return RgbConverter.fromData(pixels, width, height);
  }

  /**
   * Resizes packed {@code 0xRRGGBB} pixels; returns {@code src} itself when the size is unchanged.
   */
  static int[] resize(int[] src, int srcW, int srcH, int dstW, int dstH) {
    int[] pixels = src;
    int w = srcW;
    if (dstW != srcW) {
      pixels = horizontal(pixels, srcW, srcH, dstW, Coefficients.of(srcW, dstW));
      w = dstW;
    }
    if (dstH != srcH) {
      pixels = vertical(pixels, w, srcH, dstH, Coefficients.of(srcH, dstH));
    }
    return pixels;
  }

  /**
   * The centre {@code cropW × cropH} of {@code src} resized to {@code dstW × dstH}: the pixels of
   * {@link #resize(int[], int, int, int, int)} followed by {@link CenterCrop}, bit for bit, but
   * computed for the crop only and one source row at a time. Memory is the crop plus one row
   * whatever the sizes: a 1 × 60,000 panorama resized to a shorter side of 224 would otherwise be a
   * 224 × 13,440,000 image (3·10^9 pixels) before its crop (issue 5).
   */
  static int[] resizeAndCrop(
      int[] src, int srcW, int srcH, int dstW, int dstH, int cropW, int cropH) {
    int top = CenterCrop.offset(dstH, cropH);
    int left = CenterCrop.offset(dstW, cropW);
    Coefficients across = dstW != srcW ? Coefficients.of(srcW, dstW, left, cropW) : null;
    int[] row = new int[cropW];
    int[] out = new int[cropW * cropH];
    if (dstH == srcH) {
      for (int y = 0; y < cropH; y++) {
        sourceRow(src, srcW, top + y, left, across, row);
        System.arraycopy(row, 0, out, y * cropW, cropW);
      }
      return out;
    }
    // Pillow resizes the rows first and rounds them to 8 bits, then resizes the columns. Here each
    // resized source row is added, with its weight, to the output rows that read it: the integer
    // sums are those of Pillow's vertical pass, whose order does not change them.
    Coefficients down = Coefficients.of(srcH, dstH, top, cropH);
    int half = 1 << (PRECISION_BITS - 1);
    int[] r = new int[out.length];
    int[] g = new int[out.length];
    int[] b = new int[out.length];
    Arrays.fill(r, half);
    Arrays.fill(g, half);
    Arrays.fill(b, half);
    int first = 0; // the first output row whose taps do not end before the current source row
    for (int sy = down.firstTap(); sy < down.endTap(); sy++) {
      while (first < cropH && down.min[first] + down.count[first] <= sy) {
        first++;
      }
      sourceRow(src, srcW, sy, left, across, row);
      for (int y = first; y < cropH && down.min[y] <= sy; y++) {
        int tap = sy - down.min[y];
        if (tap >= down.count[y]) {
          continue;
        }
        int k = down.weights[y * down.ksize + tap];
        int base = y * cropW;
        for (int x = 0; x < cropW; x++) {
          int p = row[x];
          r[base + x] += ((p >> 16) & 0xFF) * k;
          g[base + x] += ((p >> 8) & 0xFF) * k;
          b[base + x] += (p & 0xFF) * k;
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (clip8(r[i]) << 16) | (clip8(g[i]) << 8) | clip8(b[i]);
    }
    return out;
  }

  /**
   * Source row {@code y}, resized across by {@code across} (Pillow's horizontal pass, rounded to 8
   * bits) or, when the width is kept, copied from column {@code left}, into {@code row}.
   */
  private static void sourceRow(
      int[] src, int srcW, int y, int left, Coefficients across, int[] row) {
    int rowStart = y * srcW;
    if (across == null) {
      System.arraycopy(src, rowStart + left, row, 0, row.length);
      return;
    }
    int half = 1 << (PRECISION_BITS - 1);
    for (int x = 0; x < row.length; x++) {
      int min = across.min[x];
      int n = across.count[x];
      int k0 = x * across.ksize;
      int r = half;
      int g = half;
      int b = half;
      for (int i = 0; i < n; i++) {
        int p = src[rowStart + min + i];
        int k = across.weights[k0 + i];
        r += ((p >> 16) & 0xFF) * k;
        g += ((p >> 8) & 0xFF) * k;
        b += (p & 0xFF) * k;
      }
      row[x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
    }
  }

  private static int[] horizontal(int[] in, int inW, int h, int outW, Coefficients co) {
    int[] out = new int[outW * h];
    int half = 1 << (PRECISION_BITS - 1);
    for (int y = 0; y < h; y++) {
      int rowStart = y * inW;
      for (int x = 0; x < outW; x++) {
        int min = co.min[x];
        int n = co.count[x];
        int k0 = x * co.ksize;
        int r = half;
        int g = half;
        int b = half;
        for (int i = 0; i < n; i++) {
          int p = in[rowStart + min + i];
          int k = co.weights[k0 + i];
          r += ((p >> 16) & 0xFF) * k;
          g += ((p >> 8) & 0xFF) * k;
          b += (p & 0xFF) * k;
        }
        out[y * outW + x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
      }
    }
    return out;
  }

  private static int[] vertical(int[] in, int w, int inH, int outH, Coefficients co) {
    int[] out = new int[w * outH];
    int half = 1 << (PRECISION_BITS - 1);
    for (int y = 0; y < outH; y++) {
      int min = co.min[y];
      int n = co.count[y];
      int k0 = y * co.ksize;
      for (int x = 0; x < w; x++) {
        int r = half;
        int g = half;
        int b = half;
        for (int i = 0; i < n; i++) {
          int p = in[(min + i) * w + x];
          int k = co.weights[k0 + i];
          r += ((p >> 16) & 0xFF) * k;
          g += ((p >> 8) & 0xFF) * k;
          b += (p & 0xFF) * k;
        }
        out[y * w + x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
      }
    }
    return out;
  }

  private static int clip8(int v) {
    if (v >= (1 << PRECISION_BITS << 8)) {
      return 255;
    }
    if (v <= 0) {
      return 0;
    }
    return v >> PRECISION_BITS;
  }

  /** The Keys cubic with {@code a = -0.5}. */
  static double cubic(double x) {
    if (x < 0) {
      x = -x;
    }
    if (x < 1) {
      return ((A + 2) * x - (A + 3)) * x * x + 1;
    }
    if (x < 2) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0;
  }

  /** Per output pixel: the first input tap, the number of taps and their fixed-point weights. */
  static final class Coefficients {
    final int ksize;
    final int[] min;
    final int[] count;
    final int[] weights;

    private Coefficients(int ksize, int[] min, int[] count, int[] weights) {
      this.ksize = ksize;
      this.min = min;
      this.count = count;
      this.weights = weights;
    }

    /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    static Coefficients of(int inSize, int outSize) {
      return of(inSize, outSize, 0, outSize);
    }

    /**
     * The coefficients of output pixels {@code [first, first + n)} only, each as {@link #of(int,
     * int)} computes it (an output pixel's taps depend on its own position alone).
     */
    static Coefficients of(int inSize, int outSize, int first, int n) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int ksize = (int) Math.ceil(support) * 2 + 1;
      int[] min = new int[n];
      int[] count = new int[n];
      int[] weights = new int[n * ksize];
      double[] k = new double[ksize];
      for (int j = 0; j < n; j++) {
        long xx = first + (long) j;
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; x++) {
          double w = cubic((x + xmin - center + 0.5) * ss);
          k[x] = w;
          ww += w;
        }
        for (int x = 0; x < xmax; x++) {
          double w = ww != 0.0 ? k[x] / ww : k[x];
          weights[j * ksize + x] =
              w < 0
                  ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                  : (int) (0.5 + w * (1 << PRECISION_BITS));
        }
        min[j] = xmin;
        count[j] = Math.max(xmax, 0);
      }
      return new Coefficients(ksize, min, count, weights);
    }

    /** The first input position any output pixel reads. */
    int firstTap() {
      int first = Integer.MAX_VALUE;
      for (int j = 0; j < min.length; j++) {
        first = Math.min(first, min[j]);
      }
      return first == Integer.MAX_VALUE ? 0 : first;
    }

    /** One past the last input position any output pixel reads. */
    int endTap() {
      int end = 0;
      for (int j = 0; j < min.length; j++) {
        end = Math.max(end, min[j] + count[j]);
      }
      return Math.max(end, firstTap());
    }
  }
}
