package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.reliability.UntrustedFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of {@link ImageLoader#read(byte[], String)} and the preprocessing that
 * follows it, and the replay of the committed corpus {@code src/test/resources/fuzz/image/}.
 *
 * <p>The property, for every input: a {@code TYPE_INT_RGB} image within the pixel limit that
 * preprocesses to a finite 3×32×32 tensor, or an {@link ImageFormatException} (an {@link
 * ImageTooLargeException} above the limit). Anything else is a finding: another exception, an
 * error, more allocation than the pixel limit and the input's size justify, or a timeout. Jazzer
 * instruments only our classes here ({@code javax.imageio} is part of the JDK), so the campaign
 * explores the decoders through mutations of the seeds rather than their coverage.
 */
class ImageLoaderFuzzTest {

  /** Small, so that a fuzzing run decodes thousands of images a second. */
  static final long MAX_PIXELS = 1 << 18;

  /** Bytes per pixel a decode may take: a 16-bit RGBA raster, its RGB copy, a rotated copy. */
  static final long BYTES_PER_PIXEL = 64;

  private static final ImageLoader LOADER = ImageLoader.builder().optMaxPixels(MAX_PIXELS).build();
  private static final ImagePreprocessor PREPROCESSOR =
      ImagePreprocessor.builder().setImageSize(PatchGrid.of(32, 8)).optLoader(LOADER).build();

  @FuzzTest(maxDuration = "30s")
  void imageBytes(byte[] data) {
    checkImage(data);
  }

  static Stream<Arguments> imageCorpus() {
    return UntrustedFiles.corpus("image").stream()
        .map(f -> Arguments.of(UntrustedFiles.name(f), f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("imageCorpus")
  void replaysTheImageCorpus(String name, Path file) throws IOException {
    checkImage(Files.readAllBytes(file));
  }

  static void checkImage(byte[] data) {
    BufferedImage[] decoded = new BufferedImage[1];
    try {
      UntrustedFiles.checkAllocation(
          "ImageLoader.read",
          data.length,
          BYTES_PER_PIXEL * MAX_PIXELS,
          () -> {
            decoded[0] = null;
            try {
              decoded[0] = LOADER.read(data, "fuzz input");
            } catch (ImageTooLargeException expected) {
              assertThat((long) expected.width() * expected.height()).isGreaterThan(MAX_PIXELS);
            } catch (ImageFormatException expected) {
              assertThat(expected.getMessage()).contains("fuzz input");
            }
          });
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("ImageLoader.read threw what it does not declare", e);
    }
    BufferedImage image = decoded[0];
    if (image == null) {
      return;
    }
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat((long) image.getWidth() * image.getHeight()).isBetween(1L, MAX_PIXELS);
    ImageTensor tensor = PREPROCESSOR.preprocess(image);
    assertThat(tensor.channels()).isEqualTo(3);
    assertThat(tensor.height()).isEqualTo(32);
    assertThat(tensor.width()).isEqualTo(32);
    for (float v : tensor.toArray()) {
      if (!Float.isFinite(v)) {
        throw new AssertionError("preprocessing gave a non-finite value " + v);
      }
    }
  }
}
