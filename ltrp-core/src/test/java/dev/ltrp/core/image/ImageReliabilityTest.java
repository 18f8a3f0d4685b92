package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.reliability.UntrustedFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Untrusted images beyond {@link ImageLoaderTest}: images smaller than one patch and of extreme
 * aspect ratio through every resize mode, headers declaring a zero size, and decompression bombs in
 * every container format, each refused from its header within a small allocation.
 */
class ImageReliabilityTest {

  private static final PatchGrid VIT_B = PatchGrid.of(224, 16);

  /** One 8-bit level after ImageNet normalization (the smallest std is 0.224). */
  private static final float ONE_LEVEL = 1.01f / 255 / 0.224f;

  static Stream<Arguments> tinyAndThinImages() {
    Stream.Builder<Arguments> cases = Stream.builder();
    int[][] sizes = {{1, 1}, {1, 7}, {7, 1}, {2, 3}, {15, 15}, {1, 4000}, {4000, 1}};
    for (ResizeMode mode : ResizeMode.values()) {
      for (int[] s : sizes) {
        cases.add(Arguments.of(mode, s[0], s[1]));
      }
    }
    return cases.build();
  }

  /**
   * An image smaller than one 16×16 patch, or one pixel thin, becomes a full 3×224×224 tensor of
   * finite values in every mode; a uniform colour stays that colour, since bicubic weights sum to
   * one (within one 8-bit level, the resampler's rounding).
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("tinyAndThinImages")
  void imagesSmallerThanOnePatchOrOnePixelThinPreprocessToTheGrid(
      ResizeMode mode, int height, int width) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int rgb = 200 << 16 | 100 << 8 | 50;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    ImagePreprocessor preprocessor =
        ImagePreprocessor.builder().setImageSize(VIT_B).optResize(mode).build();
    ImageTensor tensor = preprocessor.preprocess(image);
    assertThat(tensor.channels()).isEqualTo(3);
    assertThat(tensor.height()).isEqualTo(224);
    assertThat(tensor.width()).isEqualTo(224);
    float[] colour = {200 / 255f, 100 / 255f, 50 / 255f};
    for (int c = 0; c < 3; c++) {
      float expected = preprocessor.normalization().normalize(c, colour[c]);
      for (int y = 0; y < 224; y += 37) {
        for (int x = 0; x < 224; x += 31) {
          assertThat(tensor.get(c, y, x))
              .as("channel %d at (%d, %d)", c, y, x)
              .isCloseTo(expected, offset(ONE_LEVEL));
        }
      }
    }
  }

  static Stream<Arguments> panoramas() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (ResizeMode mode : ResizeMode.values()) {
      cases.add(Arguments.of(mode, 1, 60_000));
      cases.add(Arguments.of(mode, 60_000, 1));
    }
    return cases.build();
  }

  /**
   * Found by review: resizing the shorter side of a 1 × 60,000 image to 224 asks for a 224 ×
   * 13,440,000 image before the center crop, 3·10^9 pixels, which failed with an out-of-memory or
   * negative-array-size error (and a 1 × 4,000 one took 800 MB and seconds). Only the crop is
   * resampled now: a few hundred kilobytes, and the colour comes through.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("panoramas")
  void extremelyThinImagesPreprocessWithinASmallAllocation(ResizeMode mode, int height, int width)
      throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width * height];
    Arrays.fill(row, 30 << 16 | 140 << 8 | 250);
    image.setRGB(0, 0, width, height, row, 0, width);
    ImagePreprocessor preprocessor =
        ImagePreprocessor.builder().setImageSize(VIT_B).optResize(mode).build();
    ImageTensor[] tensor = new ImageTensor[1];
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            UntrustedFiles.checkAllocation(
                "preprocessing a " + height + "x" + width + " image",
                0,
                0,
                () -> tensor[0] = preprocessor.preprocess(image)));
    float[] colour = {30 / 255f, 140 / 255f, 250 / 255f};
    for (int c = 0; c < 3; c++) {
      float expected = preprocessor.normalization().normalize(c, colour[c]);
      assertThat(tensor[0].get(c, 0, 0)).isCloseTo(expected, offset(ONE_LEVEL));
      assertThat(tensor[0].get(c, 223, 223)).isCloseTo(expected, offset(ONE_LEVEL));
    }
  }

  /** A PNG whose header declares a width of 0: refused with the declared size, not a crash. */
  @Test
  void aHeaderDeclaringZeroWidthIsAFormatError() {
    byte[] png = png(0, 16);
    assertThatThrownBy(() -> ImageLoader.defaults().read(png, "zero.png"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("zero.png");
  }

  static Stream<Arguments> bombs() {
    return Stream.of(
        Arguments.of("PNG", png(100_000, 100_000), 100_000, 100_000),
        // Java's BMP reader itself refuses uncompressed pixel data larger than the file.
        Arguments.of("BMP", bmp(10_000, 10_000), -1, -1),
        Arguments.of("GIF", gif(65_535, 65_535), 65_535, 65_535),
        Arguments.of("JPEG", jpeg(30_000, 30_000), 30_000, 30_000),
        Arguments.of("TIFF", tiff(100_000, 100_000), 100_000, 100_000));
  }

  /**
   * A few dozen bytes declaring hundreds of millions of pixels, in each container format: refused
   * from the header (with the declared size where the pixel limit refuses it), quickly, and
   * allocating about nothing (no pixel buffer).
   *
   * @param width the declared width that the pixel limit reports, or -1 where the decoder itself
   *     refuses the header first
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("bombs")
  void decompressionBombsOfEveryFormatAreRefusedFromTheHeader(
      String format, byte[] data, int width, int height) throws Exception {
    ImageFormatException[] thrown = new ImageFormatException[1];
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            UntrustedFiles.checkAllocation(
                format + " bomb",
                data.length,
                0,
                () -> {
                  try {
                    ImageLoader.defaults().read(data, "bomb." + format.toLowerCase());
                  } catch (ImageFormatException e) {
                    thrown[0] = e;
                  }
                }));
    assertThat(thrown[0]).as(format).isNotNull();
    if (width < 0) {
      assertThat(thrown[0].getMessage()).contains("cannot read the BMP header");
      return;
    }
    assertThat(thrown[0]).isInstanceOf(ImageTooLargeException.class);
    ImageTooLargeException tooLarge = (ImageTooLargeException) thrown[0];
    assertThat(tooLarge.width()).isEqualTo(width);
    assertThat(tooLarge.height()).isEqualTo(height);
    assertThat(tooLarge.getMessage()).contains(width + "x" + height);
  }

  static Stream<Arguments> deepTiffs() {
    return Stream.of(
        Arguments.of("17-bit samples", tiff(6, 5, 17, 1), "sample depth of 17 bits"),
        Arguments.of("23-bit samples", tiff(6, 5, 23, 1), "sample depth of 23 bits"),
        Arguments.of("24-bit samples", tiff(6, 5, 24, 1), "sample depth of 24 bits"),
        Arguments.of("30-bit samples", tiff(6, 5, 30, 1), "sample depth of 30 bits"),
        Arguments.of("9 samples per pixel", tiff(520, 140, 8, 9), "layout of 9 samples"),
        Arguments.of("877 samples per pixel", tiff(520, 140, 8, 877), "layout of 877 samples"));
  }

  /**
   * Found by fuzzing: Java's TIFF decoder converts samples of an unusual depth through a table of
   * 2^bits entries (a TIFF of 6×5 pixels declaring 24-, 28- or 30-bit samples allocated 67 MB, 1 GB
   * or failed with an {@link OutOfMemoryError}), and allocates every declared sample of every pixel
   * (877 samples per pixel at 520×140: 64 MB from 116 bytes). Both are refused from the header now;
   * the campaigns' inputs ({@code fuzz/image/crashes/}) are replayed by {@link
   * ImageLoaderFuzzTest}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("deepTiffs")
  void tiffsOfDeepSamplesOrManySamplesAreRefusedFromTheHeader(
      String what, byte[] data, String message) throws Exception {
    ImageFormatException[] thrown = new ImageFormatException[1];
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            UntrustedFiles.checkAllocation(
                what,
                data.length,
                0,
                () -> {
                  try {
                    ImageLoader.defaults().read(data, "deep.tiff");
                  } catch (ImageFormatException e) {
                    thrown[0] = e;
                  }
                }));
    assertThat(thrown[0])
        .as(what)
        .isNotNull()
        .hasMessageContaining("deep.tiff")
        .hasMessageContaining("unsupported TIFF " + message);
  }

  /** The limits leave ordinary TIFFs alone: 16-bit RGBA (4 samples) decodes. */
  @Test
  void sixteenBitRgbaTiffDecodes() throws Exception {
    BufferedImage deep =
        new BufferedImage(
            new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                true,
                false,
                java.awt.Transparency.TRANSLUCENT,
                java.awt.image.DataBuffer.TYPE_USHORT),
            java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_USHORT, 3, 2, 4, null),
            false,
            null);
    deep.getRaster().setPixel(1, 1, new int[] {0xFFFF, 0x8080, 0x4040, 0x8080});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(javax.imageio.ImageIO.write(deep, "tiff", out)).isTrue();
    BufferedImage read = ImageLoader.defaults().read(out.toByteArray(), "rgba16.tiff");
    assertThat(read.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFF8040);
    assertThat(read.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Headers written by hand: each declares a size and holds (almost) no pixel data.

  static byte[] png(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static byte[] bmp(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(14 + 40 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(54);
    b.putInt(40)
        .putInt(width)
        .putInt(height)
        .putShort((short) 1)
        .putShort((short) 24)
        .putInt(0)
        .putInt(0)
        .putInt(2835)
        .putInt(2835)
        .putInt(0)
        .putInt(0);
    return b.array();
  }

  static byte[] gif(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(6 + 7 + 10 + 4 + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
    b.putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0).put((byte) 0);
    b.put((byte) 0x2C)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) width)
        .putShort((short) height)
        .put((byte) 0);
    b.put((byte) 2).put((byte) 1).put((byte) 0x44).put((byte) 0).put((byte) 0x3B);
    return b.array();
  }

  static byte[] jpeg(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(2 + 19 + 14 + 2);
    b.put((byte) 0xFF).put((byte) 0xD8);
    b.put((byte) 0xFF)
        .put((byte) 0xC0)
        .putShort((short) 17)
        .put((byte) 8)
        .putShort((short) height)
        .putShort((short) width)
        .put((byte) 3);
    for (int c = 1; c <= 3; c++) {
      b.put((byte) c).put((byte) 0x11).put((byte) 0);
    }
    b.put((byte) 0xFF).put((byte) 0xDA).putShort((short) 12).put((byte) 3);
    for (int c = 1; c <= 3; c++) {
      b.put((byte) c).put((byte) 0);
    }
    b.put((byte) 0).put((byte) 63).put((byte) 0);
    b.put((byte) 0xFF).put((byte) 0xD9);
    return b.array();
  }

  static byte[] tiff(int width, int height) {
    return tiff(width, height, 8, 1);
  }

  /** A TIFF header of {@code samples} samples of {@code bits} bits with one byte of pixels. */
  static byte[] tiff(int width, int height, int bits, int samples) {
    int entries = 9;
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * entries + 4 + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) entries);
    int data = 8 + 2 + 12 * entries + 4;
    tag(b, 256, 4, width);
    tag(b, 257, 4, height);
    tag(b, 258, 3, bits);
    tag(b, 259, 3, 1);
    tag(b, 262, 3, 1);
    tag(b, 273, 4, data);
    tag(b, 277, 3, samples);
    tag(b, 278, 4, height);
    tag(b, 279, 4, 1);
    b.putInt(0).put((byte) 0);
    return b.array();
  }

  private static void tag(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }
}
