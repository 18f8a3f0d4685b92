package dev.ltrp.core.data;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Normalization;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.image.BicubicResampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Grayscale images from IDX files (the MNIST and Fashion-MNIST format), as model inputs of a chosen
 * grid: each {@code rows × cols} image is resized (bicubic) to the grid's size when it differs,
 * given {@code channels} identical channels and normalized.
 *
 * <p>Fashion-MNIST, for example, is 28×28 pixels: {@code PatchGrid.of(28, 4)} keeps it as it is
 * with a 7×7 grid of 4-pixel patches, {@code PatchGrid.of(56, 8)} upsamples to the same grid with 8
 * pixels per patch. Augmentation is a {@link RandomResizedCrop} of the (resized) image.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdxImages implements ImageSource {

  /** Fashion-MNIST's pixel statistics (mean 0.2860, std 0.3530), per channel. */
  public static Normalization fashionMnistNormalization(int channels) {
    float[] mean = new float[channels];
    float[] std = new float[channels];
    Arrays.fill(mean, 0.2860f);
    Arrays.fill(std, 0.3530f);
    return Normalization.of(mean, std);
  }

  private final byte[] pixels;
  private final int rows;
  private final int cols;
  private final int[] labels;
  private final int[] indices;
  private final PatchGrid grid;
  private final int channels;
  private final Normalization normalization;
  private final RandomResizedCrop crop;

  private IdxImages(
      byte[] pixels,
      int rows,
      int cols,
      int[] labels,
      int[] indices,
      PatchGrid grid,
      int channels,
      Normalization normalization,
      RandomResizedCrop crop) {
    this.pixels = pixels;
    this.rows = rows;
    this.cols = cols;
    this.labels = labels;
    this.indices = indices;
    this.grid = grid;
    this.channels = channels;
    this.normalization = normalization;
    this.crop = crop;
  }

  /**
   * Reads an IDX image file (and optionally its label file), plain or gzip-compressed.
   *
   * @param labelsFile the IDX label file, or null
   * @param crop the training augmentation (e.g. {@code RandomResizedCrop.builder().setSize(...)
   *     .optScale(0.6, 1).build()}), or null for none
   * @throws IOException if a file is malformed (wrong magic, truncated, counts differ)
   */
  public static IdxImages read(
      Path imagesFile,
      Path labelsFile,
      PatchGrid grid,
      int channels,
      Normalization normalization,
      RandomResizedCrop crop)
      throws IOException {
    IdxReader.Array images = IdxReader.read(imagesFile);
    if (images.dims().length != 3) {
      throw new IOException(
          imagesFile
              + ": expected a 3-dimensional IDX image file, got "
              + images.dims().length
              + " dimensions");
    }
    int count = images.dims()[0];
    int[] labels = null;
    if (labelsFile != null) {
      IdxReader.Array l = IdxReader.read(labelsFile);
      if (l.dims().length != 1 || l.dims()[0] != count) {
        throw new IOException(
            labelsFile + ": expected " + count + " labels, got dims " + Arrays.toString(l.dims()));
      }
      labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = l.data()[i] & 0xff;
      }
    }
    return of(
            images.data(),
            images.dims()[1],
            images.dims()[2],
            labels,
            grid,
            channels,
            normalization)
        .withAugmentation(crop);
  }

  /**
   * Images already in memory, as an IDX file would hold them: {@code pixels} is {@code count × rows
   * × cols} grayscale bytes (row-major, one image after the other; not copied, do not modify),
   * {@code labels} one per image or null.
   *
   * @throws IllegalArgumentException if the sizes do not agree
   */
  public static IdxImages of(
      byte[] pixels,
      int rows,
      int cols,
      int[] labels,
      PatchGrid grid,
      int channels,
      Normalization normalization) {
    if (rows <= 0 || cols <= 0 || pixels.length % (rows * cols) != 0) {
      throw new IllegalArgumentException(
          pixels.length + " bytes are not whole " + rows + "x" + cols + " images");
    }
    int count = pixels.length / (rows * cols);
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
    }
    if (normalization.channels() != channels) {
      throw new IllegalArgumentException(
          "normalization has " + normalization.channels() + " channels, expected " + channels);
    }
    int[] all = new int[count];
    for (int i = 0; i < count; i++) {
      all[i] = i;
    }
    return new IdxImages(
        pixels,
        rows,
        cols,
        labels == null ? null : labels.clone(),
        all,
        grid,
        channels,
        normalization,
        null);
  }

  @Override
  public PatchGrid grid() {
    return grid;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int size() {
    return indices.length;
  }

  /** The image's index in the IDX file, as a string. */
  @Override
  public String name(int index) {
    return Integer.toString(indices[index]);
  }

  /** The label of image {@code index} (0–255). */
  public int label(int index) {
    if (labels == null) {
      throw new IllegalStateException("no label file was read");
    }
    return labels[indices[index]];
  }

  /** Whether labels were read. */
  public boolean hasLabels() {
    return labels != null;
  }

  @Override
  public ImageTensor image(int index) {
    return toTensor(resized(index));
  }

  @Override
  public ImageTensor augmented(int index, SplittableRandom random) {
    BufferedImage image = resized(index);
    return toTensor(crop == null ? image : crop.apply(image, random));
  }

  @Override
  public IdxImages subset(int... subset) {
    int[] sorted = subset.clone();
    Arrays.sort(sorted);
    int[] chosen = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      chosen[i] = indices[Objects.checkIndex(sorted[i], indices.length)];
    }
    return new IdxImages(pixels, rows, cols, labels, chosen, grid, channels, normalization, crop);
  }

  /** The images whose label is in {@code keep}. */
  public IdxImages withLabels(int... keep) {
    boolean[] wanted = new boolean[256];
    for (int k : keep) {
      wanted[k] = true;
    }
    int[] chosen = Arrays.stream(indices).filter(i -> wanted[labels[i]]).toArray();
    return new IdxImages(pixels, rows, cols, labels, chosen, grid, channels, normalization, crop);
  }

  /**
   * The same images with another training augmentation ({@code null}: {@link #augmented} returns
   * the plain image).
   */
  public IdxImages withAugmentation(RandomResizedCrop augmentation) {
    return new IdxImages(
        pixels, rows, cols, labels, indices, grid, channels, normalization, augmentation);
  }

  /** The same images under another normalization. */
  public IdxImages withNormalization(Normalization normalization) {
    if (normalization.channels() != channels) {
      throw new IllegalArgumentException(
          "normalization has " + normalization.channels() + " channels, expected " + channels);
    }
    return new IdxImages(pixels, rows, cols, labels, indices, grid, channels, normalization, crop);
  }

  /** The first {@code n} images. */
  public IdxImages limit(int n) {
    return new IdxImages(
        pixels,
        rows,
        cols,
        labels,
        Arrays.copyOf(indices, Math.min(n, indices.length)),
        grid,
        channels,
        normalization,
        crop);
  }

  private BufferedImage resized(int index) {
    int base = indices[Objects.checkIndex(index, indices.length)] * rows * cols;
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int v = pixels[base + y * cols + x] & 0xff;
        image.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    if (rows == grid.imageHeight() && cols == grid.imageWidth()) {
      return image;
    }
    return BicubicResampler.resize(image, grid.imageWidth(), grid.imageHeight());
  }

  private ImageTensor toTensor(BufferedImage image) {
    int h = grid.imageHeight();
    int w = grid.imageWidth();
    float[] chw = new float[channels * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float v = (image.getRGB(x, y) & 0xff) / 255f;
        for (int c = 0; c < channels; c++) {
          chw[(c * h + y) * w + x] = normalization.normalize(c, v);
        }
      }
    }
    return ImageTensor.of(channels, h, w, chw);
  }
}
