package dev.ltrp.core.image;

import static dev.ltrp.core.image.TestImages.expected;
import static dev.ltrp.core.image.TestImages.maxChannelDiff;
import static dev.ltrp.core.image.TestImages.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Normalization;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.testing.ArrayAssertions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ImagePreprocessorTest {

  private static ImagePreprocessor square(int size, ResizeMode mode) {
    return ImagePreprocessor.builder().setImageSize(size, size).optResize(mode).build();
  }

  @Test
  void normalizationOfHandComputedPixels() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0080); // R 255, G 0, B 128
    image.setRGB(1, 0, 0x7C7467); // R 124, G 116, B 103 (about the ImageNet mean)
    ImageTensor t = ImagePreprocessor.builder().setImageSize(1, 2).build().normalize(image);
    assertThat(t.channels()).isEqualTo(3);
    // Exactly torchvision's float32 arithmetic: (v / 255f - mean) / std.
    assertThat(t.get(0, 0, 0)).isEqualTo((255 / 255f - 0.485f) / 0.229f);
    assertThat(t.get(1, 0, 0)).isEqualTo((0 / 255f - 0.456f) / 0.224f);
    assertThat(t.get(2, 0, 0)).isEqualTo((128 / 255f - 0.406f) / 0.225f);
    assertThat(t.get(0, 0, 1)).isEqualTo((124 / 255f - 0.485f) / 0.229f);
    // And the same values written out by hand.
    assertThat((double) t.get(0, 0, 0)).isCloseTo(2.2489083, within(1e-6));
    assertThat((double) t.get(1, 0, 0)).isCloseTo(-2.0357141, within(1e-6));
    assertThat((double) t.get(2, 0, 0)).isCloseTo(0.4264926, within(1e-6));
    assertThat((double) t.get(0, 0, 1)).isCloseTo(0.0055655, within(1e-6));
  }

  @Test
  void customNormalization() {
    Normalization half =
        Normalization.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0000);
    ImageTensor t =
        ImagePreprocessor.builder()
            .setImageSize(1, 1)
            .optNormalization(half)
            .build()
            .normalize(image);
    assertThat(t.toArray()).containsExactly(1f, -1f, -1f);
  }

  @Test
  void unitRangeTensorsAreNormalizedWithoutResizing() {
    ImagePreprocessor pre = ImagePreprocessor.builder().setImageSize(2, 2).build();
    float[] unit = new float[12];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = i / 11f;
    }
    ImageTensor fromArray = pre.normalize(unit);
    ImageTensor fromTensor = pre.normalize(ImageTensor.of(3, 2, 2, unit));
    assertThat(fromArray).isEqualTo(fromTensor);
    assertThat(fromArray.get(1, 1, 0)).isEqualTo((6 / 11f - 0.456f) / 0.224f);
    assertThat(unit[0]).isEqualTo(0f); // the input is not modified
    assertThatThrownBy(() -> pre.normalize(new float[11]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11");
    assertThatThrownBy(() -> pre.normalize(ImageTensor.of(3, 3, 2, new float[18])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3x2");
  }

  @ParameterizedTest
  @CsvSource({
    // mode, srcH, srcW, targetH, targetW, resizedH, resizedW
    "EXACT_OR_SHORTER_SIDE, 41, 50, 32, 32, 32, 39",
    "EXACT_OR_SHORTER_SIDE, 32, 32, 32, 32, 32, 32",
    "SHORTER_SIDE_CROP, 41, 50, 32, 32, 32, 39",
    "SHORTER_SIDE_CROP, 50, 41, 32, 32, 39, 32",
    "RESIZE_CROP_RATIO, 41, 50, 32, 32, 36, 43",
    "RESIZE_CROP_RATIO, 375, 500, 224, 224, 256, 341",
    "RESIZE_CROP_RATIO, 224, 224, 224, 224, 256, 256",
    "STRETCH, 41, 50, 32, 32, 32, 32",
    "SHORTER_SIDE_CROP, 100, 100, 32, 64, 64, 64",
    "SHORTER_SIDE_CROP, 10, 100, 32, 64, 32, 320"
  })
  void resizedSizes(ResizeMode mode, int srcH, int srcW, int th, int tw, int rh, int rw) {
    assertThat(mode.resizedSize(srcH, srcW, th, tw)).containsExactly(rh, rw);
  }

  @ParameterizedTest
  @EnumSource(ResizeMode.class)
  void everyModeProducesTheTargetSize(ResizeMode mode) {
    for (int[] src : new int[][] {{41, 50}, {50, 41}, {7, 9}, {300, 20}}) {
      BufferedImage image = TestImages.gradient(src[1], src[0]);
      ImagePreprocessor pre =
          ImagePreprocessor.builder().setImageSize(16, 24).optResize(mode).build();
      BufferedImage out = pre.resizeAndCrop(image);
      assertThat(out.getHeight()).isEqualTo(16);
      assertThat(out.getWidth()).isEqualTo(24);
      ImageTensor t = pre.preprocess(image);
      assertThat(new int[] {t.channels(), t.height(), t.width()}).containsExactly(3, 16, 24);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ResizeMode.class,
      names = {"EXACT_OR_SHORTER_SIDE", "SHORTER_SIDE_CROP", "STRETCH"})
  void exactlySizedImagesPassThroughBitForBit(ResizeMode mode) {
    BufferedImage image = TestImages.random(24, 16, 5);
    ImagePreprocessor pre =
        ImagePreprocessor.builder().setImageSize(16, 24).optResize(mode).build();
    assertThat(pixels(pre.resizeAndCrop(image))).isEqualTo(pixels(image));
    assertThat(pre.preprocess(image)).isEqualTo(pre.normalize(image));
  }

  @Test
  void cropRatioModeResizesEvenExactlySizedImages() {
    BufferedImage image = TestImages.random(32, 32, 6);
    assertThat(pixels(square(32, ResizeMode.RESIZE_CROP_RATIO).resizeAndCrop(image)))
        .isNotEqualTo(pixels(image));
  }

  /** The reference evaluation transform at 32 px, against Pillow + torchvision's center crop. */
  @Test
  void evaluationTransformMatchesPillowAndTorchvision() throws IOException {
    ImagePreprocessor pre = square(32, ResizeMode.RESIZE_CROP_RATIO);
    BufferedImage source = ImageLoader.defaults().read(TestImages.resource("eval_src_50x41.png"));
    BufferedImage reference = expected("expected_eval_32.png");
    int diff = maxChannelDiff(pre.resizeAndCrop(source), reference);
    System.out.printf("evaluation transform 50x41 -> 32: max abs difference to Pillow %d%n", diff);
    assertThat(diff).isLessThanOrEqualTo(1);
    ImageTensor tensor = pre.preprocess(TestImages.resource("eval_src_50x41.png"));
    ArrayAssertions.assertAllClose(
        "normalized crop",
        tensor.toArray(),
        pre.normalize(reference).toArray(),
        0,
        1.0 / 255 / 0.224 + 1e-6);
  }

  @Test
  void shorterSideModeKeepsTheWholeShortSide() {
    // A 40x20 (WxH) image whose left and right quarters are red: after shorter side -> 20 and a
    // center crop of 20, only the middle (not red) remains; stretching keeps the red.
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 40; x++) {
        image.setRGB(x, y, x < 10 || x >= 30 ? 0xFF0000 : 0x0000FF);
      }
    }
    BufferedImage cropped = square(20, ResizeMode.SHORTER_SIDE_CROP).resizeAndCrop(image);
    assertThat(pixels(cropped)).containsOnly(0x0000FF);
    BufferedImage stretched = square(20, ResizeMode.STRETCH).resizeAndCrop(image);
    assertThat(stretched.getRGB(0, 10) & 0xFFFFFF).isEqualTo(0xFF0000);
  }

  @Test
  void readsFilesWithItsLoader() throws IOException {
    ImagePreprocessor pre = ImagePreprocessor.builder().setImageSize(12, 16).build();
    ImageTensor t = pre.preprocess(TestImages.resource("gray.png"));
    // gray.png holds 16x + 5y; exactly sized, so it is not resampled.
    assertThat(t.get(1, 3, 5)).isEqualTo(((5 * 16 + 3 * 5) / 255f - 0.456f) / 0.224f);
  }

  @Test
  void builderValidatesAndValuesCompare() {
    assertThatThrownBy(() -> ImagePreprocessor.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ImagePreprocessor.builder().setImageSize(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x5");
    assertThatThrownBy(
            () ->
                ImagePreprocessor.builder()
                    .optNormalization(Normalization.of(new float[] {0f}, new float[] {1f})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 channels");
    ImagePreprocessor a = ImagePreprocessor.forGrid(PatchGrid.of(224, 16));
    assertThat(a).isEqualTo(ImagePreprocessor.builder().setImageSize(224, 224).build());
    assertThat(a.height()).isEqualTo(224);
    assertThat(a.resizeMode()).isEqualTo(ResizeMode.EXACT_OR_SHORTER_SIDE);
    assertThat(a.toString()).contains("224x224");
    assertThatThrownBy(() -> a.normalize(TestImages.random(10, 10, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10x10");
  }
}
