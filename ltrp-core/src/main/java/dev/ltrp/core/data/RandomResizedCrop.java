package dev.ltrp.core.data;

import dev.ltrp.core.image.BicubicResampler;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training augmentation of the reference recipe: torchvision's {@code RandomResizedCrop(size,
 * scale, ratio, interpolation=BICUBIC)} followed by {@code RandomHorizontalFlip(p)}, on 8-bit RGB
 * images.
 *
 * <p>The crop box follows torchvision's {@code RandomResizedCrop.get_params} step for step. For an
 * image of {@code W × H} pixels, up to {@value #MAX_ATTEMPTS} attempts each draw
 *
 * <ol>
 *   <li>{@code targetArea = W·H · U(scaleMin, scaleMax)};
 *   <li>{@code aspect = exp(U(ln ratioMin, ln ratioMax))} (log-uniform);
 *   <li>{@code w = round(sqrt(targetArea · aspect))}, {@code h = round(sqrt(targetArea / aspect))}
 *       (Python's {@code round}: halves to even);
 * </ol>
 *
 * and when {@code 0 < w ≤ W} and {@code 0 < h ≤ H} the attempt succeeds with {@code top} uniform in
 * {@code [0, H − h]} then {@code left} uniform in {@code [0, W − w]}. When all attempts fail (very
 * thin images), the fallback is torchvision's central crop: if {@code W/H < ratioMin} then {@code w
 * = W, h = round(w / ratioMin)}; if {@code W/H > ratioMax} then {@code h = H, w = round(h ·
 * ratioMax)}; otherwise the whole image; placed at {@code top = (H − h) / 2}, {@code left = (W − w)
 * / 2} (floor division). The box is then resized to the output size with {@link BicubicResampler}
 * (Pillow's bicubic, which torchvision's PIL path calls) and, when one more draw {@code U(0, 1) <
 * flipProbability}, mirrored left to right.
 *
 * <p>All draws come, in the order above, from the {@link SplittableRandom} the caller passes: a
 * uniform {@code U(a, b)} is {@code a + (b − a) · nextDouble()} and an integer in {@code [0, n]} is
 * {@code nextInt(n + 1)}. The flip draw is always made, even when {@code flipProbability} is 0 or
 * 1. Passing a generator derived from the step and the item (see {@link
 * TrainingBatches#randomFor(long, int, String)}) therefore reproduces a crop exactly. The numbers
 * differ from PyTorch's, whose generator is another; the distribution and the pixels for a given
 * box are the same.
 *
 * <pre>{@code
 * RandomResizedCrop augment = RandomResizedCrop.builder().setSize(224).build();
 * BufferedImage view = augment.apply(image, Seeds.random(0L, "crop", 0, 0));
 * }</pre>
 *
 * <p>Immutable and thread-safe (the generator passed in is not; use one per thread).
 */
public final class RandomResizedCrop {

  /** Attempts at a random box before the central fallback, as in torchvision. */
  public static final int MAX_ATTEMPTS = 10;

  /** Default lower bound of the area fraction, as in the MAE/LTRP recipe (0.2). */
  public static final double DEFAULT_SCALE_MIN = 0.2;

  /** Default upper bound of the area fraction (1.0). */
  public static final double DEFAULT_SCALE_MAX = 1.0;

  /** Default lower bound of the aspect ratio {@code w/h} (3/4). */
  public static final double DEFAULT_RATIO_MIN = 3.0 / 4.0;

  /** Default upper bound of the aspect ratio {@code w/h} (4/3). */
  public static final double DEFAULT_RATIO_MAX = 4.0 / 3.0;

  /** Default probability of a horizontal flip (0.5). */
  public static final double DEFAULT_FLIP_PROBABILITY = 0.5;

  private final int height;
  private final int width;
  private final double scaleMin;
  private final double scaleMax;
  private final double ratioMin;
  private final double ratioMax;
  private final double flipProbability;

  private RandomResizedCrop(Builder b) {
    this.height = b.height;
    this.width = b.width;
    this.scaleMin = b.scaleMin;
    this.scaleMax = b.scaleMax;
    this.ratioMin = b.ratioMin;
    this.ratioMax = b.ratioMax;
    this.flipProbability = b.flipProbability;
  }

  /** A builder; {@link Builder#setSize(int)} (or its two-argument form) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The reference augmentation to {@code size × size}: scale 0.2–1, ratio 3/4–4/3, flip 0.5. */
  public static RandomResizedCrop of(int size) {
    return builder().setSize(size).build();
  }

  /** Output height in pixels. */
  public int height() {
    return height;
  }

  /** Output width in pixels. */
  public int width() {
    return width;
  }

  /** Lower bound of the crop area as a fraction of the image area. */
  public double scaleMin() {
    return scaleMin;
  }

  /** Upper bound of the crop area as a fraction of the image area. */
  public double scaleMax() {
    return scaleMax;
  }

  /** Lower bound of the crop's aspect ratio {@code w/h}. */
  public double ratioMin() {
    return ratioMin;
  }

  /** Upper bound of the crop's aspect ratio {@code w/h}. */
  public double ratioMax() {
    return ratioMax;
  }

  /** Probability that the output is mirrored left to right. */
  public double flipProbability() {
    return flipProbability;
  }

  /**
   * Crops a random box of {@code image}, resizes it to {@link #height()} × {@link #width()} and
   * maybe flips it, drawing from {@code random} as the class documentation specifies. The input
   * (any size, any colour model) is not modified.
   *
   * @return a new {@code TYPE_INT_RGB} image of the output size, to be normalized by the caller
   *     (for example with {@link dev.ltrp.core.image.ImagePreprocessor#normalize(BufferedImage)})
   */
  public BufferedImage apply(BufferedImage image, SplittableRandom random) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(random, "random");
    Crop crop = sample(image.getWidth(), image.getHeight(), random);
    BufferedImage box = image.getSubimage(crop.left(), crop.top(), crop.width(), crop.height());
    BufferedImage out = BicubicResampler.resize(box, width, height);
    if (crop.flip()) {
      flipHorizontally(out);
    }
    return out;
  }

  /** Draws the crop box and the flip for an image of {@code imageWidth × imageHeight}. */
  Crop sample(int imageWidth, int imageHeight, SplittableRandom random) {
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + imageWidth + "x" + imageHeight);
    }
    Crop box = randomBox(imageWidth, imageHeight, random);
    boolean flip = random.nextDouble() < flipProbability;
    return new Crop(box.top(), box.left(), box.height(), box.width(), flip, box.fallback());
  }

  private Crop randomBox(int imageWidth, int imageHeight, SplittableRandom random) {
    double area = (double) imageWidth * imageHeight;
    double logRatioMin = Math.log(ratioMin);
    double logRatioMax = Math.log(ratioMax);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      double targetArea = area * uniform(random, scaleMin, scaleMax);
      double aspect = Math.exp(uniform(random, logRatioMin, logRatioMax));
      long w = (long) Math.rint(Math.sqrt(targetArea * aspect));
      long h = (long) Math.rint(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
        int top = random.nextInt(imageHeight - (int) h + 1);
        int left = random.nextInt(imageWidth - (int) w + 1);
        return new Crop(top, left, (int) h, (int) w, false, false);
      }
    }
    double inRatio = (double) imageWidth / imageHeight;
    int w;
    int h;
    if (inRatio < ratioMin) {
      w = imageWidth;
      h = (int) Math.rint(w / ratioMin);
    } else if (inRatio > ratioMax) {
      h = imageHeight;
      w = (int) Math.rint(h * ratioMax);
    } else {
      w = imageWidth;
      h = imageHeight;
    }
    // round() can only reach the image side, never exceed it; clamp anyway for safety.
    w = Math.max(1, Math.min(w, imageWidth));
    h = Math.max(1, Math.min(h, imageHeight));
    return new Crop((imageHeight - h) / 2, (imageWidth - w) / 2, h, w, false, true);
  }

  private static double uniform(SplittableRandom random, double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  private static void flipHorizontally(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int i = 0, j = w - 1; i < j; i++, j--) {
        int t = row[i];
        row[i] = row[j];
        row[j] = t;
      }
      image.setRGB(0, y, w, 1, row, 0, w);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RandomResizedCrop other
        && height == other.height
        && width == other.width
        && Double.compare(scaleMin, other.scaleMin) == 0
        && Double.compare(scaleMax, other.scaleMax) == 0
        && Double.compare(ratioMin, other.ratioMin) == 0
        && Double.compare(ratioMax, other.ratioMax) == 0
        && Double.compare(flipProbability, other.flipProbability) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, scaleMin, scaleMax, ratioMin, ratioMax, flipProbability);
  }

  @Override
  public String toString() {
    return "RandomResizedCrop[size="
        + height
        + "x"
        + width
        + ", scale=("
        + scaleMin
        + ", "
        + scaleMax
        + "), ratio=("
        + ratioMin
        + ", "
        + ratioMax
        + "), flip="
        + flipProbability
        + "]";
  }

  /**
   * A drawn crop: the box in the source image (pixels), whether the output is flipped, and whether
   * the box came from the central fallback.
   */
  record Crop(int top, int left, int height, int width, boolean flip, boolean fallback) {}

  /** Builds a {@link RandomResizedCrop}; not thread-safe. */
  public static final class Builder {

    private int height;
    private int width;
    private double scaleMin = DEFAULT_SCALE_MIN;
    private double scaleMax = DEFAULT_SCALE_MAX;
    private double ratioMin = DEFAULT_RATIO_MIN;
    private double ratioMax = DEFAULT_RATIO_MAX;
    private double flipProbability = DEFAULT_FLIP_PROBABILITY;

    private Builder() {}

    /**
     * Sets a square output of {@code size × size} pixels (224 in the reference).
     *
     * @throws IllegalArgumentException if {@code size} is not positive
     */
    public Builder setSize(int size) {
      return setSize(size, size);
    }

    /**
     * Sets the output size in pixels.
     *
     * @throws IllegalArgumentException if a side is not positive
     */
    public Builder setSize(int height, int width) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "output size must be positive, got " + height + "x" + width + " (HxW)");
      }
      this.height = height;
      this.width = width;
      return this;
    }

    /**
     * Sets the range of the crop area as a fraction of the image area (default 0.2–1.0).
     *
     * @throws IllegalArgumentException unless {@code 0 < min ≤ max ≤ 1}
     */
    public Builder optScale(double min, double max) {
      if (!(min > 0 && min <= max && max <= 1)) {
        throw new IllegalArgumentException(
            "scale must satisfy 0 < min <= max <= 1, got (" + min + ", " + max + ")");
      }
      this.scaleMin = min;
      this.scaleMax = max;
      return this;
    }

    /**
     * Sets the range of the crop's aspect ratio {@code w/h}, sampled log-uniformly (default
     * 3/4–4/3).
     *
     * @throws IllegalArgumentException unless {@code 0 < min ≤ max} and both are finite
     */
    public Builder optRatio(double min, double max) {
      if (!(min > 0 && min <= max && max < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "ratio must satisfy 0 < min <= max < inf, got (" + min + ", " + max + ")");
      }
      this.ratioMin = min;
      this.ratioMax = max;
      return this;
    }

    /**
     * Sets the probability of a horizontal flip (default 0.5; 0 disables flipping).
     *
     * @throws IllegalArgumentException if {@code p} is not in {@code [0, 1]}
     */
    public Builder optFlipProbability(double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
      }
      this.flipProbability = p;
      return this;
    }

    /**
     * Builds the augmentation.
     *
     * @throws IllegalStateException if the output size was not set
     */
    public RandomResizedCrop build() {
      if (height == 0) {
        throw new IllegalStateException("setSize is required");
      }
      return new RandomResizedCrop(this);
    }
  }
}
