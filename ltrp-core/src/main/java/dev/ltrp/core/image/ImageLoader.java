package dev.ltrp.core.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

/**
 * Decodes JPEG, PNG, GIF, BMP and TIFF files into 8-bit sRGB {@link BufferedImage#TYPE_INT_RGB}
 * images with the conventions of Pillow's {@code Image.open(f)} → {@code ImageOps.exif_transpose} →
 * {@code convert("RGB")}:
 *
 * <ul>
 *   <li>the format is recognised from the file's leading bytes, not its name;
 *   <li>the header's {@code width × height} is checked against {@link Builder#optMaxPixels(long)}
 *       (default {@value #DEFAULT_MAX_PIXELS}, Pillow's {@code MAX_IMAGE_PIXELS}) before any pixel
 *       is decoded, so a decompression bomb costs only its header; so are a TIFF's samples (at most
 *       8 per pixel, of at most 16 bits or exactly 32), which Java's decoder would otherwise
 *       allocate without bound;
 *   <li>colour conversion (grey, palette, alpha, 16-bit, CMYK/YCCK JPEG) follows {@link
 *       RgbConverter}: alpha is dropped like Pillow does, unless {@link
 *       Builder#optAlphaBackground(Color)} asks to composite over a colour;
 *   <li>the EXIF orientation (JPEG APP1 segment or PNG {@code eXIf} chunk) is undone, like {@code
 *       exif_transpose} (turn off with {@link Builder#optApplyExifOrientation(boolean)}); TIFF
 *       orientation tags are not applied;
 *   <li>multi-frame GIF/TIFF files give their first frame, at the frame's own size (Pillow pads a
 *       GIF frame smaller than the logical screen; Java does not);
 *   <li>empty, unrecognised, truncated and corrupt files throw {@link ImageFormatException} naming
 *       the file and the reason (a truncated JPEG, which Java would otherwise return with grey
 *       rows, included); too large ones throw {@link ImageTooLargeException}.
 * </ul>
 *
 * <p>The whole file is read into memory before decoding. Decoding uses {@code javax.imageio} only;
 * nothing is cached on disk.
 *
 * <pre>{@code
 * BufferedImage rgb = ImageLoader.defaults().read(Path.of("photo.jpg"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageLoader {

  /** Pillow's default {@code Image.MAX_IMAGE_PIXELS}: {@code 1024 · 1024 · 1024 / 4 / 3}. */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  private static final ImageLoader DEFAULTS = builder().build();

  private final long maxPixels;
  private final boolean applyExifOrientation;
  private final Color alphaBackground;

  private ImageLoader(Builder b) {
    this.maxPixels = b.maxPixels;
    this.applyExifOrientation = b.applyExifOrientation;
    this.alphaBackground = b.alphaBackground;
  }

  /** A loader with the default settings: Pillow's pixel limit, EXIF applied, alpha dropped. */
  public static ImageLoader defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The maximum {@code width · height} accepted. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Whether the EXIF orientation is undone. */
  public boolean appliesExifOrientation() {
    return applyExifOrientation;
  }

  /** The colour transparent pixels are composited over, or {@code null} when alpha is dropped. */
  public Color alphaBackground() {
    return alphaBackground;
  }

  /**
   * Reads and decodes an image file.
   *
   * @return a new {@code TYPE_INT_RGB} image, oriented as its EXIF tag says
   * @throws ImageTooLargeException if the header declares more than {@link #maxPixels()} pixels
   * @throws ImageFormatException if the file is empty, not a supported image, truncated or corrupt
   * @throws IOException if the file cannot be read (for example {@link
   *     java.nio.file.NoSuchFileException})
   */
  public BufferedImage read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String name = file.toString();
    if (Files.isRegularFile(file) && Files.size(file) > Integer.MAX_VALUE - 64) {
      throw new ImageFormatException(name, "the file is larger than 2 GiB");
    }
    return decode(Files.readAllBytes(file), name);
  }

  /**
   * Decodes an image held in memory.
   *
   * @param data the encoded file (not modified, not retained)
   * @param name how to name the source in error messages, for example a URL
   * @throws ImageTooLargeException if the header declares more than {@link #maxPixels()} pixels
   * @throws ImageFormatException if the data is empty, not a supported image, truncated or corrupt
   */
  public BufferedImage read(byte[] data, String name) throws ImageFormatException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    return decode(data, name);
  }

  private BufferedImage decode(byte[] data, String name) throws ImageFormatException {
    if (data.length == 0) {
      throw new ImageFormatException(name, "the file is empty (0 bytes)");
    }
    ContainerFormat format = ContainerFormat.sniff(data);
    if (format == null) {
      throw new ImageFormatException(
          name,
          "not a JPEG, PNG, GIF, BMP or TIFF image (it starts with "
              + "bytes "
              + ContainerFormat.leadingBytes(data, 8)
              + ")");
    }
    ContainerMetadata metadata = ContainerMetadata.of(data, format);
    BufferedImage rgb = decodePixels(data, name, format, metadata);
    return applyExifOrientation ? ExifOrientation.apply(rgb, metadata.orientation()) : rgb;
  }

  private BufferedImage decodePixels(
      byte[] data, String name, ContainerFormat format, ContainerMetadata metadata)
      throws ImageFormatException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new ImageFormatException(name, "this Java runtime has no " + format + " decoder");
    }
    ImageReader reader = readers.next();
    String fmt = format.name();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      int width;
      int height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw new ImageFormatException(
            name, "cannot read the " + fmt + " header: " + describe(e), e);
      }
      if (width <= 0 || height <= 0) {
        throw new ImageFormatException(
            name, "the " + fmt + " header declares a size of " + width + "x" + height);
      }
      if ((long) width * height > maxPixels) {
        throw new ImageTooLargeException(name, width, height, maxPixels);
      }
      if (format == ContainerFormat.TIFF) {
        checkTiffSamples(reader, name);
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      BufferedImage decoded;
      try {
        decoded = reader.read(0);
      } catch (IIOException e) {
        if (format == ContainerFormat.JPEG && isUnsupportedColorType(e)) {
          return decodeRawJpeg(data, name, metadata, e);
        }
        throw new ImageFormatException(name, failure(fmt, e), e);
      } catch (IOException | RuntimeException e) {
        throw new ImageFormatException(name, failure(fmt, e), e);
      }
      for (String warning : warnings) {
        if (isTruncation(warning)) {
          throw new ImageFormatException(name, "the file is truncated (" + warning + ")");
        }
      }
      return alphaBackground == null
          ? RgbConverter.toRgb(decoded)
          : RgbConverter.toRgb(decoded, alphaBackground);
    } catch (IOException e) {
      if (e instanceof ImageFormatException ife) {
        throw ife;
      }
      throw new ImageFormatException(name, "cannot read the data: " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /** Most bits per sample of a TIFF, apart from 32 (see {@link #checkTiffSamples}). */
  static final int MAX_TIFF_SAMPLE_BITS = 16;

  /** Most samples per pixel of a TIFF: RGB or CMYK with alpha and a few extra samples. */
  static final int MAX_TIFF_SAMPLES = 8;

  /**
   * Java's TIFF decoder trusts two header fields that the pixel limit does not cover (both found by
   * fuzzing, issue 5): it converts samples of an unusual depth through a table of 2^bits entries (a
   * 306-byte TIFF of 6×5 pixels declaring 30-bit samples made it allocate 4 GiB and fail with an
   * {@link OutOfMemoryError}), and it allocates every declared sample of every pixel (116 bytes
   * declaring 877 samples per pixel cost 64 MB at 520×140 pixels). Depths above {@value
   * #MAX_TIFF_SAMPLE_BITS} bits other than 32 (which needs no table), and more than {@value
   * #MAX_TIFF_SAMPLES} samples per pixel, are refused from the header.
   */
  private static void checkTiffSamples(ImageReader reader, String name)
      throws ImageFormatException {
    String depths = null;
    String samples = null;
    try {
      Node node =
          reader
              .getImageMetadata(0)
              .getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName)
              .getFirstChild();
      for (; node != null; node = node.getNextSibling()) {
        for (Node d = node.getFirstChild(); d != null; d = d.getNextSibling()) {
          if (node.getNodeName().equals("Data") && d.getNodeName().equals("BitsPerSample")) {
            depths = d.getAttributes().getNamedItem("value").getNodeValue().trim();
          } else if (node.getNodeName().equals("Chroma") && d.getNodeName().equals("NumChannels")) {
            samples = d.getAttributes().getNamedItem("value").getNodeValue().trim();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException(name, "cannot read the TIFF header: " + describe(e), e);
    }
    if (samples != null && parseOr(samples, 0) > MAX_TIFF_SAMPLES) {
      throw new ImageFormatException(
          name,
          "unsupported TIFF layout of "
              + samples
              + " samples per pixel (at most "
              + MAX_TIFF_SAMPLES
              + ")");
    }
    for (String d : depths == null ? new String[0] : depths.split("\\s+")) {
      int bits = parseOr(d, 0);
      if (bits > MAX_TIFF_SAMPLE_BITS && bits != 32) {
        throw new ImageFormatException(
            name, "unsupported TIFF sample depth of " + bits + " bits (" + depths + ")");
      }
    }
  }

  /** {@code text} as an int, or {@code fallback}: the decoder judges what this cannot parse. */
  private static int parseOr(String text, int fallback) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * Older Java runtimes refuse CMYK and YCCK JPEGs ("Unsupported Image Type"); their raw raster is
   * still readable (with a fresh reader, since the failed one has consumed its input) and is
   * converted here.
   *
   * @param original the decoder's refusal, reported if the raw raster cannot be read either
   */
  static BufferedImage decodeRawJpeg(
      byte[] data, String name, ContainerMetadata metadata, IOException original)
      throws ImageFormatException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) {
      throw new ImageFormatException(name, failure("JPEG", original), original);
    }
    ImageReader reader = readers.next();
    Raster raster;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      raster = reader.readRaster(0, null);
    } catch (IOException | RuntimeException e) {
      ImageFormatException failure =
          new ImageFormatException(name, failure("JPEG", original), original);
      failure.addSuppressed(e);
      throw failure;
    } finally {
      reader.dispose();
    }
    if (raster.getNumBands() != 4) {
      throw new ImageFormatException(
          name,
          "unsupported JPEG colour layout with "
              + raster.getNumBands()
              + " channels ("
              + original.getMessage()
              + ")",
          original);
    }
    return RgbConverter.cmykRasterToRgb(
        raster, metadata.adobeTransform() >= 0, metadata.adobeTransform() == 2);
  }

  private static boolean isUnsupportedColorType(IIOException e) {
    String message = e.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("unsupported image type");
  }

  /**
   * libjpeg's and Java's warnings for data that ends early (Pillow raises "image file is
   * truncated").
   */
  static boolean isTruncation(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
  }

  private static String failure(String format, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.io.EOFException) {
      return "the file is truncated (the " + format + " data ends early)";
    }
    return "corrupt or unsupported " + format + " data: " + describe(e);
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageLoader other
        && maxPixels == other.maxPixels
        && applyExifOrientation == other.applyExifOrientation
        && Objects.equals(alphaBackground, other.alphaBackground);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxPixels, applyExifOrientation, alphaBackground);
  }

  @Override
  public String toString() {
    return "ImageLoader[maxPixels="
        + maxPixels
        + ", exifOrientation="
        + applyExifOrientation
        + ", alpha="
        + (alphaBackground == null ? "dropped" : "over " + alphaBackground)
        + "]";
  }

  /** Builds an {@link ImageLoader}; every setting is optional. Not thread-safe. */
  public static final class Builder {

    private long maxPixels = DEFAULT_MAX_PIXELS;
    private boolean applyExifOrientation = true;
    private Color alphaBackground;

    private Builder() {}

    /**
     * The largest {@code width · height} to decode (default {@value
     * ImageLoader#DEFAULT_MAX_PIXELS}).
     *
     * @throws IllegalArgumentException if {@code maxPixels} is not positive
     */
    public Builder optMaxPixels(long maxPixels) {
      if (maxPixels <= 0) {
        throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
      }
      this.maxPixels = maxPixels;
      return this;
    }

    /** Whether to undo the EXIF orientation of JPEG and PNG files (default true). */
    public Builder optApplyExifOrientation(boolean apply) {
      this.applyExifOrientation = apply;
      return this;
    }

    /**
     * Composite transparent pixels over {@code background} instead of dropping alpha; {@code null}
     * restores the default, Pillow's {@code convert("RGB")}, which keeps the stored colour of
     * transparent pixels (often black).
     */
    public Builder optAlphaBackground(Color background) {
      this.alphaBackground = background;
      return this;
    }

    /** Builds the immutable loader. */
    public ImageLoader build() {
      return new ImageLoader(this);
    }
  }
}
