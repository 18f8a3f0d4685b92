package dev.ltrp.core.image;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Normalization;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.Reduction;
import dev.ltrp.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns tensors and scores back into pictures: a normalized image, the patches a reduction keeps
 * (dropped patches greyed out), and per-patch score heat maps; and writes PNG files atomically.
 *
 * <p>Rendering inverts {@link ImagePreprocessor}'s normalization: {@code v = (x · std[c] + mean[c])
 * · 255}, rounded to the nearest integer and clamped to 0–255, so that rendering a preprocessed
 * image of the model's size gives back its pixels exactly.
 *
 * <pre>{@code
 * ImageRenderer renderer = ImageRenderer.builder().optGridLines(true).build();
 * BufferedImage picture = renderer.renderKept(input, reduction);
 * ImageRenderer.writePng(picture, Path.of("kept.png"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageRenderer {

  private static final ImageRenderer DEFAULTS = builder().build();

  private final Normalization normalization;
  private final float dropBlend;
  private final int dropColor;
  private final boolean gridLines;
  private final int gridColor;
  private final float heatMapOpacity;

  private ImageRenderer(Builder b) {
    this.normalization = b.normalization;
    this.dropBlend = b.dropBlend;
    this.dropColor = b.dropColor;
    this.gridLines = b.gridLines;
    this.gridColor = b.gridColor;
    this.heatMapOpacity = b.heatMapOpacity;
  }

  /**
   * A renderer with the defaults: ImageNet normalization, dropped patches blended 75% toward mid
   * grey, no grid lines, heat maps drawn at 60% opacity over an image.
   */
  public static ImageRenderer defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The normalization this renderer inverts. */
  public Normalization normalization() {
    return normalization;
  }

  /**
   * Renders a normalized image (the output of {@link ImagePreprocessor}, or a MAE reconstruction in
   * normalized pixels, for example after {@link Patchify#unpatchify}).
   *
   * @param image a {@code [3, H, W]} tensor in this renderer's normalization
   * @return a new {@code W × H} {@code TYPE_INT_RGB} image
   * @throws IllegalArgumentException if the image does not have 3 channels
   */
  public BufferedImage render(ImageTensor image) {
    Objects.requireNonNull(image, "image");
    if (image.channels() != 3 || normalization.channels() != 3) {
      throw new IllegalArgumentException(
          "can render only RGB: the image has "
              + image.channels()
              + " channels and the normalization "
              + normalization.channels());
    }
    int h = image.height();
    int w = image.width();
    int plane = h * w;
    float[] chw = image.toArray();
    int[] out = new int[plane];
    for (int i = 0; i < plane; i++) {
      out[i] =
          (toByte(0, chw[i]) << 16)
              | (toByte(1, chw[plane + i]) << 8)
              | toByte(2, chw[2 * plane + i]);
    }
    return RgbConverter.fromData(out, w, h);
  }

  private int toByte(int channel, float value) {
    float v = normalization.denormalize(channel, value) * 255f;
    return RgbConverter.clamp(Math.round(v));
  }

  /**
   * Renders {@code image} with the patches {@code reduction} keeps drawn normally and every dropped
   * patch blended toward the drop colour (and grid lines if configured).
   *
   * @param image the full normalized image the reduction was made from (a reduction itself keeps
   *     only the kept pixels)
   * @throws IllegalArgumentException if the image does not fit the reduction's grid
   */
  public BufferedImage renderKept(ImageTensor image, Reduction reduction) {
    Objects.requireNonNull(reduction, "reduction");
    return renderKept(image, reduction.grid(), reduction.keepMask());
  }

  /**
   * Renders {@code image} with the patches whose {@code keepMask} entry is true drawn normally and
   * the others blended toward the drop colour (and grid lines if configured).
   *
   * @param keepMask one entry per patch of {@code grid}, row-major
   * @throws IllegalArgumentException if the image does not fit the grid or the mask length is not
   *     {@code grid.numPatches()}
   */
  public BufferedImage renderKept(ImageTensor image, PatchGrid grid, boolean[] keepMask) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(keepMask, "keepMask");
    image.checkShape(3, grid);
    if (keepMask.length != grid.numPatches()) {
      throw new IllegalArgumentException(
          "keep mask has "
              + keepMask.length
              + " entries but the "
              + "grid has "
              + grid.numPatches()
              + " patches");
    }
    BufferedImage out = render(image);
    int[] pixels = RgbConverter.data(out);
    int w = grid.imageWidth();
    int p = grid.patchSize();
    for (int patch = 0; patch < keepMask.length; patch++) {
      if (keepMask[patch]) {
        continue;
      }
      int y0 = grid.row(patch) * p;
      int x0 = grid.col(patch) * p;
      for (int y = y0; y < y0 + p; y++) {
        for (int x = x0; x < x0 + p; x++) {
          pixels[y * w + x] = mix(pixels[y * w + x], dropColor, dropBlend);
        }
      }
    }
    if (gridLines) {
      drawGrid(pixels, grid);
    }
    return out;
  }

  /**
   * A heat map of per-patch scores: each patch a uniform block coloured by viridis after min–max
   * scaling (lowest score dark purple, highest yellow; all-equal scores give the middle colour).
   *
   * @param scores one finite score per patch of {@code grid}, row-major
   * @return a new image of the grid's pixel size
   * @throws IllegalArgumentException if the length is not {@code grid.numPatches()} or a score is
   *     NaN or infinite
   */
  public BufferedImage heatMap(PatchGrid grid, float[] scores) {
    Objects.requireNonNull(grid, "grid");
    int[] colors = patchColors(grid, scores);
    int w = grid.imageWidth();
    int h = grid.imageHeight();
    int p = grid.patchSize();
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = colors[grid.index(y / p, x / p)];
      }
    }
    if (gridLines) {
      drawGrid(out, grid);
    }
    return RgbConverter.fromData(out, w, h);
  }

  /**
   * The heat map of {@link #heatMap(PatchGrid, float[])} drawn over {@code image} at this
   * renderer's heat-map opacity.
   *
   * @param image a normalized {@code [3, H, W]} image of the grid's size
   * @throws IllegalArgumentException if the image does not fit the grid, or the scores are invalid
   */
  public BufferedImage heatMap(ImageTensor image, PatchGrid grid, float[] scores) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(grid, "grid");
    image.checkShape(3, grid);
    int[] colors = patchColors(grid, scores);
    BufferedImage out = render(image);
    int[] pixels = RgbConverter.data(out);
    int w = grid.imageWidth();
    int p = grid.patchSize();
    for (int y = 0; y < grid.imageHeight(); y++) {
      for (int x = 0; x < w; x++) {
        pixels[y * w + x] =
            mix(pixels[y * w + x], colors[grid.index(y / p, x / p)], heatMapOpacity);
      }
    }
    if (gridLines) {
      drawGrid(pixels, grid);
    }
    return out;
  }

  private static int[] patchColors(PatchGrid grid, float[] scores) {
    Objects.requireNonNull(scores, "scores");
    if (scores.length != grid.numPatches()) {
      throw new IllegalArgumentException(
          "expected one score per patch (" + grid.numPatches() + "), got " + scores.length);
    }
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (!Float.isFinite(scores[i])) {
        throw new IllegalArgumentException("score of patch " + i + " is " + scores[i]);
      }
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    double range = (double) max - min;
    int[] colors = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      float t = range > 0 ? (float) ((scores[i] - (double) min) / range) : 0.5f;
      colors[i] = Viridis.color(t);
    }
    return colors;
  }

  /** One-pixel lines on the first row and column of every patch except the top and left ones. */
  private void drawGrid(int[] pixels, PatchGrid grid) {
    int w = grid.imageWidth();
    int h = grid.imageHeight();
    int p = grid.patchSize();
    for (int y = p; y < h; y += p) {
      for (int x = 0; x < w; x++) {
        pixels[y * w + x] = gridColor;
      }
    }
    for (int x = p; x < w; x += p) {
      for (int y = 0; y < h; y++) {
        pixels[y * w + x] = gridColor;
      }
    }
  }

  /** {@code (1 − t) · a + t · b} per channel, rounded. */
  private static int mix(int a, int b, float t) {
    int r = Math.round(((a >> 16) & 0xFF) * (1 - t) + ((b >> 16) & 0xFF) * t);
    int g = Math.round(((a >> 8) & 0xFF) * (1 - t) + ((b >> 8) & 0xFF) * t);
    int bl = Math.round((a & 0xFF) * (1 - t) + (b & 0xFF) * t);
    return (r << 16) | (g << 8) | bl;
  }

  /**
   * Writes {@code image} as a PNG file atomically ({@link AtomicFiles}): readers never see a
   * half-written file. The directory must exist; an existing file is replaced.
   *
   * @throws IOException if no PNG writer accepts the image or the file cannot be written (the
   *     target is then unchanged)
   */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(file, "file");
    AtomicFiles.write(
        file,
        out -> {
          // In memory, not ImageIO's default cache file in java.io.tmpdir.
          try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", png)) {
              throw new IOException("no PNG writer accepts an image of type " + image.getType());
            }
          }
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRenderer other
        && normalization.equals(other.normalization)
        && dropBlend == other.dropBlend
        && dropColor == other.dropColor
        && gridLines == other.gridLines
        && gridColor == other.gridColor
        && heatMapOpacity == other.heatMapOpacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(normalization, dropBlend, dropColor, gridLines, gridColor, heatMapOpacity);
  }

  @Override
  public String toString() {
    return "ImageRenderer["
        + normalization
        + ", drop blend "
        + dropBlend
        + " toward #"
        + String.format("%06x", dropColor)
        + ", grid "
        + (gridLines ? String.format("#%06x", gridColor) : "off")
        + ", heat map opacity "
        + heatMapOpacity
        + "]";
  }

  /** Builds an {@link ImageRenderer}; every setting is optional. Not thread-safe. */
  public static final class Builder {

    private Normalization normalization = Normalization.IMAGENET;
    private float dropBlend = 0.75f;
    private int dropColor = 0x808080;
    private boolean gridLines;
    private int gridColor = 0xFFFFFF;
    private float heatMapOpacity = 0.6f;

    private Builder() {}

    /** The normalization the rendered tensors are in (default {@link Normalization#IMAGENET}). */
    public Builder optNormalization(Normalization normalization) {
      this.normalization = Objects.requireNonNull(normalization, "normalization");
      return this;
    }

    /**
     * How far dropped patches are blended toward the drop colour: 0 leaves them as they are, 1
     * paints them solid (default 0.75).
     *
     * @throws IllegalArgumentException if {@code blend} is not in {@code [0, 1]}
     */
    public Builder optDroppedBlend(float blend) {
      this.dropBlend = unit("blend", blend);
      return this;
    }

    /** The colour dropped patches are blended toward (default mid grey {@code #808080}). */
    public Builder optDroppedColor(Color color) {
      this.dropColor = Objects.requireNonNull(color, "color").getRGB() & 0xFFFFFF;
      return this;
    }

    /** Whether to draw one-pixel lines between patches (default false). */
    public Builder optGridLines(boolean gridLines) {
      this.gridLines = gridLines;
      return this;
    }

    /** The colour of the grid lines (default white). */
    public Builder optGridColor(Color color) {
      this.gridColor = Objects.requireNonNull(color, "color").getRGB() & 0xFFFFFF;
      return this;
    }

    /**
     * The weight of the heat-map colour when drawn over an image: 0 shows only the image, 1 only
     * the heat map (default 0.6).
     *
     * @throws IllegalArgumentException if {@code opacity} is not in {@code [0, 1]}
     */
    public Builder optHeatMapOpacity(float opacity) {
      this.heatMapOpacity = unit("opacity", opacity);
      return this;
    }

    private static float unit(String what, float value) {
      if (!(value >= 0f && value <= 1f)) {
        throw new IllegalArgumentException(what + " must be in [0, 1], got " + value);
      }
      return value;
    }

    /** Builds the immutable renderer. */
    public ImageRenderer build() {
      return new ImageRenderer(this);
    }
  }
}
