package dev.ltrp.core.image;

import static dev.ltrp.core.image.TestImages.blue;
import static dev.ltrp.core.image.TestImages.expected;
import static dev.ltrp.core.image.TestImages.green;
import static dev.ltrp.core.image.TestImages.maxChannelDiff;
import static dev.ltrp.core.image.TestImages.pixels;
import static dev.ltrp.core.image.TestImages.red;
import static dev.ltrp.core.image.TestImages.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLoaderTest {

  /** Decoding is bounded: every case must finish (or fail) well within this. */
  private static final Duration LIMIT = Duration.ofSeconds(5);

  /**
   * JPEG decoders may differ by a few levels (Java's libjpeg 6b vs Pillow's libjpeg-turbo IDCT and
   * upsampling); lossless formats must match exactly.
   */
  private static final int JPEG_TOLERANCE = 3;

  private static BufferedImage load(String name) throws IOException {
    return assertTimeoutPreemptively(LIMIT, () -> ImageLoader.defaults().read(resource(name)));
  }

  private static ImageFormatException failure(String name) {
    return failure(ImageLoader.defaults(), resource(name));
  }

  private static ImageFormatException failure(ImageLoader loader, Path file) {
    Throwable thrown =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              try {
                loader.read(file);
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).as("decoding %s", file).isInstanceOf(ImageFormatException.class);
    ImageFormatException e = (ImageFormatException) thrown;
    assertThat(e.source()).isEqualTo(file.toString());
    assertThat(e.getMessage()).startsWith(file.toString() + ": ");
    return e;
  }

  private static ImageFormatException failure(byte[] data) {
    Throwable thrown =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              try {
                ImageLoader.defaults().read(data, "memory");
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    assertThat(thrown).isInstanceOf(ImageFormatException.class);
    return (ImageFormatException) thrown;
  }

  @Test
  void resultIsAlwaysIntRgb() throws IOException {
    for (String name :
        List.of(
            "gray.png",
            "gray16.png",
            "rgba.png",
            "gray_alpha.png",
            "palette.png",
            "palette.gif",
            "rgb16.png",
            "rgb.bmp",
            "cmyk.jpg",
            "exif6.jpg")) {
      assertThat(load(name).getType()).as(name).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }
  }

  @Test
  void grayscaleGivesEqualChannelsWithoutGammaChange() throws IOException {
    BufferedImage image = load("gray.png");
    assertThat(image.getWidth()).isEqualTo(16);
    assertThat(image.getHeight()).isEqualTo(12);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        int v = (x * 16 + y * 5) & 0xFF; // make_images.py stores it as uint8
        assertThat(image.getRGB(x, y) & 0xFFFFFF)
            .as("(%d, %d)", x, y)
            .isEqualTo((v << 16) | (v << 8) | v);
      }
    }
  }

  @Test
  void sixteenBitGrayscaleKeepsTheHighByte() throws IOException {
    BufferedImage image = load("gray16.png");
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        int v = (x * 4000 + y * 300 + 7) >> 8;
        assertThat(image.getRGB(x, y) & 0xFFFFFF)
            .as("(%d, %d)", x, y)
            .isEqualTo((v << 16) | (v << 8) | v);
      }
    }
  }

  @Test
  void sixteenBitRgbMatchesPillow() throws IOException {
    assertThat(pixels(load("rgb16.png"))).isEqualTo(pixels(expected("expected_rgb16.png")));
  }

  @Test
  void alphaIsDroppedLikePillow() throws IOException {
    assertThat(pixels(load("rgba.png"))).isEqualTo(pixels(expected("expected_rgba.png")));
    BufferedImage grayAlpha = load("gray_alpha.png");
    BufferedImage gray = load("gray.png");
    assertThat(pixels(grayAlpha)).isEqualTo(pixels(gray));
  }

  @Test
  void alphaCanBeCompositedOverABackground() throws IOException {
    ImageLoader loader = ImageLoader.builder().optAlphaBackground(Color.WHITE).build();
    BufferedImage image = loader.read(resource("rgba.png"));
    // Pixel (x, y) has colour (16x, 20y, 200) and alpha 10(x + y) mod 256 (uint8 in
    // make_images.py).
    for (int[] xy : new int[][] {{0, 0}, {3, 2}, {15, 11}}) {
      int x = xy[0];
      int y = xy[1];
      int a = (10 * (x + y)) & 0xFF;
      int rgb = image.getRGB(x, y);
      assertThat(red(rgb)).isEqualTo((16 * x * a + 255 * (255 - a) + 127) / 255);
      assertThat(green(rgb)).isEqualTo((20 * y * a + 255 * (255 - a) + 127) / 255);
      assertThat(blue(rgb)).isEqualTo((200 * a + 255 * (255 - a) + 127) / 255);
    }
    assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF); // fully transparent
  }

  @Test
  void paletteImagesMatchPillow() throws IOException {
    assertThat(pixels(load("palette.png"))).isEqualTo(pixels(expected("expected_palette.png")));
    assertThat(pixels(load("palette.gif"))).isEqualTo(pixels(expected("expected_palette_gif.png")));
  }

  @Test
  void bmpIsRead() throws IOException {
    BufferedImage image = load("rgb.bmp");
    assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(image.getRGB(15, 0) & 0xFFFFFF).isEqualTo(0x00FF00);
    assertThat(image.getRGB(0, 11) & 0xFFFFFF).isEqualTo(0x0000FF);
    assertThat(image.getRGB(15, 11) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }

  @Test
  void cmykJpegMatchesPillowsConversion() throws IOException {
    BufferedImage image = load("cmyk.jpg");
    assertThat(maxChannelDiff(image, expected("expected_cmyk.png")))
        .isLessThanOrEqualTo(JPEG_TOLERANCE);
    // The mid-grey quadrant is K = 128: Pillow's naive formula gives 127, an ICC conversion would
    // not.
    assertThat(image.getRGB(4, 12) & 0xFFFFFF).isEqualTo(0x7F7F7F);
  }

  @Test
  void cmykRasterFallbackAgreesWithTheDecoder() throws IOException {
    // Runtimes that refuse CMYK JPEGs ("Unsupported Image Type") are served from the raw raster.
    byte[] data = Files.readAllBytes(resource("cmyk.jpg"));
    BufferedImage converted =
        ImageLoader.decodeRawJpeg(
            data,
            "cmyk.jpg",
            ContainerMetadata.of(data, ContainerFormat.JPEG),
            new IOException("refused"));
    assertThat(maxChannelDiff(converted, expected("expected_cmyk.png")))
        .isLessThanOrEqualTo(JPEG_TOLERANCE);
  }

  @Test
  void rawFallbackOnANonCmykJpegIsAFormatError() throws IOException {
    byte[] data = Files.readAllBytes(resource("exif3.jpg"));
    assertThatThrownBy(
            () ->
                ImageLoader.decodeRawJpeg(
                    data,
                    "exif3.jpg",
                    ContainerMetadata.of(data, ContainerFormat.JPEG),
                    new IOException("refused")))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("3 channels");
  }

  @Test
  void ycckJpegIsConverted() throws IOException {
    byte[] ycck = ycckJpeg();
    BufferedImage decoded =
        assertTimeoutPreemptively(LIMIT, () -> ImageLoader.defaults().read(ycck, "ycck.jpg"));
    BufferedImage fromRaster =
        ImageLoader.decodeRawJpeg(
            ycck,
            "ycck.jpg",
            ContainerMetadata.of(ycck, ContainerFormat.JPEG),
            new IOException("refused"));
    assertThat(ContainerMetadata.of(ycck, ContainerFormat.JPEG).adobeTransform()).isEqualTo(2);
    assertThat(maxChannelDiff(decoded, fromRaster)).isLessThanOrEqualTo(1);
    // Pillow 9.4 decodes this file to (179, 0, 227) on the left and (0, 170, 0) on the right.
    assertClose(decoded.getRGB(2, 2), 179, 0, 227);
    assertClose(decoded.getRGB(13, 5), 0, 170, 0);
  }

  private static void assertClose(int rgb, int r, int g, int b) {
    assertThat(Math.abs(red(rgb) - r)).as("red of %06x", rgb).isLessThanOrEqualTo(JPEG_TOLERANCE);
    assertThat(Math.abs(green(rgb) - g))
        .as("green of %06x", rgb)
        .isLessThanOrEqualTo(JPEG_TOLERANCE);
    assertThat(Math.abs(blue(rgb) - b)).as("blue of %06x", rgb).isLessThanOrEqualTo(JPEG_TOLERANCE);
  }

  @Test
  void exifOrientation6RotatesAQuarterTurnClockwise() throws IOException {
    BufferedImage image = load("exif6.jpg"); // stored 32 wide, 16 high
    assertThat(image.getWidth()).isEqualTo(16);
    assertThat(image.getHeight()).isEqualTo(32);
    // The stored bottom-left (blue) quadrant comes to the top left, red to the top right.
    assertClose(image.getRGB(2, 2), 0, 0, 255);
    assertClose(image.getRGB(13, 2), 255, 0, 0);
    assertClose(image.getRGB(2, 29), 255, 255, 255);
    assertClose(image.getRGB(13, 29), 0, 255, 0);
    assertThat(maxChannelDiff(image, expected("expected_exif6.png")))
        .isLessThanOrEqualTo(JPEG_TOLERANCE);
  }

  @Test
  void exifOrientation3RotatesHalfATurn() throws IOException {
    BufferedImage image = load("exif3.jpg");
    assertThat(image.getWidth()).isEqualTo(32);
    assertThat(image.getHeight()).isEqualTo(16);
    assertClose(image.getRGB(2, 2), 255, 255, 255);
    assertClose(image.getRGB(29, 13), 255, 0, 0);
    assertThat(maxChannelDiff(image, expected("expected_exif3.png")))
        .isLessThanOrEqualTo(JPEG_TOLERANCE);
  }

  @Test
  void exifOrientationCanBeIgnored() throws IOException {
    ImageLoader loader = ImageLoader.builder().optApplyExifOrientation(false).build();
    BufferedImage image = loader.read(resource("exif6.jpg"));
    assertThat(image.getWidth()).isEqualTo(32);
    assertClose(image.getRGB(2, 2), 255, 0, 0);
  }

  @Test
  void allEightOrientationsMatchPillowsExifTranspose() throws IOException {
    List<String> lines = Files.readAllLines(resource("expected_orientations.txt"));
    int checked = 0;
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int[] v = Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
      int orientation = v[0];
      BufferedImage image = load("orientation" + orientation + ".png");
      assertThat(image.getWidth()).as("width, orientation %d", orientation).isEqualTo(v[1]);
      assertThat(image.getHeight()).as("height, orientation %d", orientation).isEqualTo(v[2]);
      int[] reds = Arrays.stream(pixels(image)).map(TestImages::red).toArray();
      assertThat(reds)
          .as("orientation %d", orientation)
          .isEqualTo(Arrays.copyOfRange(v, 3, v.length));
      checked++;
    }
    assertThat(checked).isEqualTo(8);
  }

  @Test
  void truncatedJpegIsAnErrorNotGreyRows() {
    assertThat(failure("truncated.jpg").reason()).contains("truncated");
  }

  @Test
  void truncatedPngIsAnError() {
    assertThat(failure("truncated.png").reason()).containsIgnoringCase("PNG");
  }

  @Test
  void emptyFileIsAnError() {
    assertThat(failure("empty.png").reason()).contains("empty");
  }

  @Test
  void textFileNamedPngIsAnError() {
    assertThat(failure("not_an_image.png").reason())
        .contains("not a JPEG, PNG, GIF, BMP or TIFF image")
        .contains("54 68 69 73");
  }

  @Test
  void decompressionBombIsRejectedFromTheHeader() {
    ImageFormatException e = failure("bomb.png");
    assertThat(e).isInstanceOf(ImageTooLargeException.class);
    ImageTooLargeException tooLarge = (ImageTooLargeException) e;
    assertThat(tooLarge.width()).isEqualTo(100_000);
    assertThat(tooLarge.height()).isEqualTo(100_000);
    assertThat(tooLarge.maxPixels()).isEqualTo(ImageLoader.DEFAULT_MAX_PIXELS);
    assertThat(e.getMessage()).contains("100000x100000").contains("89478485");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gray.png", "palette.gif", "rgb.bmp", "exif6.jpg"})
  void pixelLimitIsConfigurable(String name) throws IOException {
    ImageLoader strict = ImageLoader.builder().optMaxPixels(100).build();
    assertThat(failure(strict, resource(name))).isInstanceOf(ImageTooLargeException.class);
    ImageLoader exact = ImageLoader.builder().optMaxPixels(16 * 12).build();
    if (name.equals("gray.png")) {
      assertThat(exact.read(resource(name)).getWidth()).isEqualTo(16);
    }
  }

  @Test
  void missingFileIsNotAFormatError() {
    assertThatThrownBy(() -> ImageLoader.defaults().read(Path.of("/nonexistent/photo.jpg")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"palette.gif", "rgb.bmp", "gray.png", "exif3.jpg"})
  void truncatedDataOfEveryFormatFailsQuickly(String name) throws IOException {
    byte[] data = Files.readAllBytes(resource(name));
    for (int length : new int[] {4, 20, data.length / 2}) {
      ImageFormatException e = failure(Arrays.copyOf(data, length));
      assertThat(e.source()).isEqualTo("memory");
    }
  }

  @Test
  void garbageAfterAValidSignatureFails() {
    byte[] png = new byte[200];
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(signature, 0, png, 0, signature.length);
    Arrays.fill(png, 8, png.length, (byte) 0x5A);
    failure(png);
    byte[] jpeg = new byte[200];
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    Arrays.fill(jpeg, 3, jpeg.length, (byte) 0x11);
    failure(jpeg);
  }

  @Test
  void inMemoryDecodingMatchesFileDecoding() throws IOException {
    byte[] data = Files.readAllBytes(resource("exif6.jpg"));
    assertThat(pixels(ImageLoader.defaults().read(data, "x"))).isEqualTo(pixels(load("exif6.jpg")));
  }

  @Test
  void builderRejectsNonPositiveLimit() {
    assertThatThrownBy(() -> ImageLoader.builder().optMaxPixels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void loadersCompareByValue() {
    assertThat(ImageLoader.builder().build()).isEqualTo(ImageLoader.defaults());
    assertThat(ImageLoader.builder().optMaxPixels(5).build()).isNotEqualTo(ImageLoader.defaults());
    assertThat(ImageLoader.defaults().toString()).contains("89478485");
  }

  @Test
  void writtenAndReadBackPngIsIdentical(@TempDir Path dir) throws IOException {
    BufferedImage image = TestImages.random(23, 17, 7);
    Path file = dir.resolve("random.png");
    ImageIO.write(image, "png", file.toFile());
    assertThat(pixels(ImageLoader.defaults().read(file))).isEqualTo(pixels(image));
  }

  // --- helpers -----------------------------------------------------------------------------

  /**
   * A 16x8 YCCK JPEG: the committed CMYK file's metadata with the Adobe transform set to 2, over
   * raw samples (255, 0, 0, 255) on the left and (195, 225, 255, 235) on the right. Java's writer
   * stores the samples as they are, so both Java and Pillow decode them as YCCK.
   */
  private static byte[] ycckJpeg() throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 8, 4, null);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setPixel(x, y, x < 8 ? new int[] {255, 0, 0, 255} : new int[] {195, 225, 255, 235});
      }
    }
    String format = "javax_imageio_jpeg_image_1.0";
    IIOMetadata metadata;
    try (ImageInputStream in = ImageIO.createImageInputStream(resource("cmyk.jpg").toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
      reader.setInput(in);
      metadata = reader.getImageMetadata(0);
      reader.dispose();
    }
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode adobe = (IIOMetadataNode) root.getElementsByTagName("app14Adobe").item(0);
    adobe.setAttribute("transform", "2");
    metadata.setFromTree(format, root);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, metadata), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
