package dev.ltrp.core.image;

import static dev.ltrp.core.image.TestImages.expected;
import static dev.ltrp.core.image.TestImages.maxChannelDiff;
import static dev.ltrp.core.image.TestImages.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BicubicResamplerTest {

  /**
   * Against Pillow 9.4's {@code Image.resize(..., BICUBIC)} (fixtures from make_images.py). The
   * implementation follows Pillow's fixed-point 8-bit path, so the expected difference is 0; the
   * contract allows 1 level.
   */
  @ParameterizedTest
  @CsvSource({
    "resize_src_37x23.png, 16, 16, expected_resize_37x23_to_16x16.png",
    "resize_src_37x23.png, 12, 30, expected_resize_37x23_to_12x30.png",
    "resize_src_8x8.png,   20, 20, expected_resize_8x8_to_20x20.png"
  })
  void matchesPillow(String source, int width, int height, String reference) throws IOException {
    BufferedImage src = ImageLoader.defaults().read(TestImages.resource(source));
    BufferedImage resized = BicubicResampler.resize(src, width, height);
    assertThat(resized.getWidth()).isEqualTo(width);
    assertThat(resized.getHeight()).isEqualTo(height);
    int diff = maxChannelDiff(resized, expected(reference));
    System.out.printf(
        "bicubic %s -> %dx%d: max abs difference to Pillow %d%n", source, width, height, diff);
    assertThat(diff).isLessThanOrEqualTo(1);
  }

  @Test
  void sameSizeIsAnIdenticalCopy() {
    BufferedImage src = TestImages.random(13, 9, 1);
    BufferedImage same = BicubicResampler.resize(src, 13, 9);
    assertThat(same).isNotSameAs(src);
    assertThat(pixels(same)).isEqualTo(pixels(src));
  }

  @ParameterizedTest
  @CsvSource({"40, 30, 7, 5", "7, 5, 40, 30", "10, 10, 10, 31", "33, 8, 5, 8"})
  void constantImagesStayConstant(int w, int h, int outW, int outH) {
    BufferedImage src = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        src.setRGB(x, y, 0x3C7FD2);
      }
    }
    int[] out = pixels(BicubicResampler.resize(src, outW, outH));
    assertThat(Arrays.stream(out).distinct().toArray()).containsExactly(0x3C7FD2);
  }

  @Test
  void downscalingIsAntialiased() {
    // A 1-pixel checkerboard shrunk 4x averages to mid grey instead of aliasing to black or white.
    BufferedImage board = TestImages.checkerboard(64, 64, 1);
    for (int rgb : pixels(BicubicResampler.resize(board, 16, 16))) {
      assertThat(TestImages.red(rgb)).isBetween(120, 135);
    }
  }

  @Test
  void keysCubicKernel() {
    assertThat(BicubicResampler.cubic(0)).isEqualTo(1.0);
    assertThat(BicubicResampler.cubic(1)).isEqualTo(0.0);
    assertThat(BicubicResampler.cubic(-2)).isEqualTo(0.0);
    assertThat(BicubicResampler.cubic(0.5)).isCloseTo(0.5625, within(1e-15));
    assertThat(BicubicResampler.cubic(-1.5)).isCloseTo(-0.0625, within(1e-15));
    assertThat(BicubicResampler.cubic(2.5)).isEqualTo(0.0);
  }

  @Test
  void weightsOfEachOutputPixelSumToOne() {
    for (int[] sizes : new int[][] {{37, 16}, {8, 20}, {256, 224}, {5, 1}}) {
      BicubicResampler.Coefficients c = BicubicResampler.Coefficients.of(sizes[0], sizes[1]);
      for (int i = 0; i < sizes[1]; i++) {
        int sum = 0;
        for (int k = 0; k < c.count[i]; k++) {
          sum += c.weights[i * c.ksize + k];
        }
        assertThat(sum)
            .as("%s, pixel %d", Arrays.toString(sizes), i)
            .isCloseTo(1 << 22, within(c.count[i]));
      }
    }
  }

  /**
   * The crop-only resize gives exactly the pixels of the full resize followed by the center crop:
   * enlarging, shrinking, one side kept, both kept, odd and even crop margins, crops of the whole
   * side and of one pixel.
   */
  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}, crop {4}x{5}")
  @CsvSource({
    "37, 23, 40, 30, 40, 30", "37, 23, 40, 30, 16, 16", "37, 23, 12, 30, 12, 16",
    "64, 64, 16, 16, 9, 7", "7, 5, 224, 160, 160, 160", "300, 40, 1680, 224, 224, 224",
    "40, 300, 224, 1680, 224, 224", "13, 9, 13, 40, 13, 11", "13, 9, 50, 9, 17, 9",
    "13, 9, 13, 9, 4, 3", "1, 1, 5, 5, 1, 1", "1, 200, 224, 44800, 224, 224",
    "200, 3, 14933, 224, 224, 224"
  })
  void resizingOnlyTheCropEqualsResizingThenCropping(
      int w, int h, int dstW, int dstH, int cropW, int cropH) {
    BufferedImage src = TestImages.random(w, h, w * 31 + h);
    int[] data = pixels(src);
    int[] full = BicubicResampler.resize(data, w, h, dstW, dstH);
    int[] expected = CenterCrop.crop(full, dstW, dstH, cropH, cropW);
    int[] cropped = BicubicResampler.resizeAndCrop(data, w, h, dstW, dstH, cropW, cropH);
    assertThat(cropped).hasSize(cropW * cropH).isEqualTo(expected);
  }

  @Test
  void rejectsNonPositiveSizes() {
    BufferedImage src = TestImages.random(4, 4, 2);
    assertThatThrownBy(() -> BicubicResampler.resize(src, 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x4");
  }
}
