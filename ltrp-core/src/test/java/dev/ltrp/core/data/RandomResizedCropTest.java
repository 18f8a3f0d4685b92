package dev.ltrp.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.core.image.BicubicResampler;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

  /** A deterministic colourful image, so that crops at different places differ. */
  private static BufferedImage image(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    SplittableRandom r = new SplittableRandom(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, ((x * 7) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | r.nextInt(256));
      }
    }
    return img;
  }

  private static int[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] out = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFFFF;
    }
    return out;
  }

  @Test
  void outputHasTheTargetSize() {
    BufferedImage src = image(97, 61);
    RandomResizedCrop square = RandomResizedCrop.of(32);
    RandomResizedCrop rect = RandomResizedCrop.builder().setSize(24, 40).build();
    for (int seed = 0; seed < 20; seed++) {
      BufferedImage out = square.apply(src, new SplittableRandom(seed));
      assertThat(out.getWidth()).isEqualTo(32);
      assertThat(out.getHeight()).isEqualTo(32);
      assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      BufferedImage r = rect.apply(src, new SplittableRandom(seed));
      assertThat(r.getHeight()).isEqualTo(24);
      assertThat(r.getWidth()).isEqualTo(40);
    }
  }

  @Test
  void sameSeedSameCropAndOtherSeedsDiffer() {
    BufferedImage src = image(120, 90);
    RandomResizedCrop crop = RandomResizedCrop.of(48);
    int[] a = pixels(crop.apply(src, Seeds.random(1L, "crop", 10, 2)));
    int[] b = pixels(crop.apply(src, Seeds.random(1L, "crop", 10, 2)));
    int[] c = pixels(crop.apply(src, Seeds.random(1L, "crop", 10, 3)));

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void applyIsABicubicResizeOfTheSampledBox() {
    BufferedImage src = image(150, 100);
    RandomResizedCrop crop = RandomResizedCrop.of(40);
    for (int seed = 0; seed < 10; seed++) {
      RandomResizedCrop.Crop box = crop.sample(150, 100, new SplittableRandom(seed));
      BufferedImage expected =
          BicubicResampler.resize(
              src.getSubimage(box.left(), box.top(), box.width(), box.height()), 40, 40);
      int[] want = pixels(expected);
      if (box.flip()) {
        want = mirror(want, 40);
      }
      assertThat(pixels(crop.apply(src, new SplittableRandom(seed)))).isEqualTo(want);
    }
  }

  @Test
  void cropsRespectScaleAndRatioBounds() {
    RandomResizedCrop crop = RandomResizedCrop.of(224);
    int width = 640;
    int height = 480;
    double area = width * height;
    double minFraction = 1;
    double maxFraction = 0;
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      RandomResizedCrop.Crop box = crop.sample(width, height, random);
      assertThat(box.fallback()).isFalse();
      assertThat(box.top()).isBetween(0, height - box.height());
      assertThat(box.left()).isBetween(0, width - box.width());
      double w = box.width();
      double h = box.height();
      // w and h are rounded from sqrt(target·ratio) and sqrt(target/ratio): within half a pixel.
      assertThat(w * h)
          .isLessThanOrEqualTo(area)
          .isGreaterThanOrEqualTo(0.2 * area - 0.5 * (w + h + 1));
      assertThat((w + 0.5) / (h - 0.5)).isGreaterThanOrEqualTo(3.0 / 4.0);
      assertThat((w - 0.5) / (h + 0.5)).isLessThanOrEqualTo(4.0 / 3.0);
      minFraction = Math.min(minFraction, w * h / area);
      maxFraction = Math.max(maxFraction, w * h / area);
    }
    assertThat(minFraction).isLessThan(0.22);
    assertThat(maxFraction).isGreaterThan(0.9);
  }

  @Test
  void customScaleIsRespected() {
    RandomResizedCrop crop =
        RandomResizedCrop.builder().setSize(16).optScale(0.5, 0.5).optRatio(1, 1).build();
    SplittableRandom random = new SplittableRandom(0);
    for (int i = 0; i < 100; i++) {
      RandomResizedCrop.Crop box = crop.sample(200, 200, random);
      assertThat(box.width()).isEqualTo(141); // round(sqrt(20000))
      assertThat(box.height()).isEqualTo(141);
    }
  }

  @Test
  void veryThinImagesFallBackToTorchvisionsCentralCrop() {
    RandomResizedCrop crop = RandomResizedCrop.of(32);

    RandomResizedCrop.Crop wide = crop.sample(1000, 10, new SplittableRandom(0));
    // W/H = 100 > 4/3: h = H = 10, w = round(10 · 4/3) = 13, centred with floor division.
    assertThat(wide)
        .extracting("fallback", "height", "width", "top", "left")
        .containsExactly(true, 10, 13, 0, 493);

    RandomResizedCrop.Crop tall = crop.sample(10, 1000, new SplittableRandom(0));
    // W/H < 3/4: w = W = 10, h = round(10 / (3/4)) = 13.
    assertThat(tall)
        .extracting("fallback", "height", "width", "top", "left")
        .containsExactly(true, 13, 10, 493, 0);

    BufferedImage out = crop.apply(image(1000, 10), new SplittableRandom(0));
    assertThat(out.getWidth()).isEqualTo(32);
    assertThat(out.getHeight()).isEqualTo(32);
  }

  @Test
  void fallbackOfAnImageWithinTheRatioRangeIsTheWholeImage() {
    RandomResizedCrop crop = RandomResizedCrop.builder().setSize(4).optScale(0.2, 0.2).build();
    // 2x2: the target area 0.8 rounds to a 1x1 box, which fits: not a fallback.
    RandomResizedCrop.Crop box = crop.sample(2, 2, new SplittableRandom(5));
    assertThat(box.fallback()).isFalse();
    assertThat(box.width()).isEqualTo(1);
    // 1x1: area 0.2 rounds w or h to 0 for every ratio in [3/4, 4/3]; the ratio 1 is in range,
    // so the fallback is the whole image.
    RandomResizedCrop.Crop one = crop.sample(1, 1, new SplittableRandom(5));
    assertThat(one)
        .extracting("fallback", "height", "width", "top", "left")
        .containsExactly(true, 1, 1, 0, 0);
  }

  @Test
  void flipMirrorsPixels() {
    BufferedImage src = image(80, 60);
    RandomResizedCrop never =
        RandomResizedCrop.builder().setSize(20, 30).optFlipProbability(0).build();
    RandomResizedCrop always =
        RandomResizedCrop.builder().setSize(20, 30).optFlipProbability(1).build();
    for (int seed = 0; seed < 5; seed++) {
      int[] plain = pixels(never.apply(src, new SplittableRandom(seed)));
      int[] flipped = pixels(always.apply(src, new SplittableRandom(seed)));
      assertThat(flipped).isEqualTo(mirror(plain, 30)).isNotEqualTo(plain);
    }
  }

  @Test
  void flipsAboutHalfTheTime() {
    RandomResizedCrop crop = RandomResizedCrop.of(8);
    SplittableRandom random = new SplittableRandom(11);
    int flips = 0;
    for (int i = 0; i < 4000; i++) {
      flips += crop.sample(50, 50, random).flip() ? 1 : 0;
    }
    assertThat(flips).isBetween(1800, 2200);
  }

  @Test
  void acceptsOtherColourModelsAndLeavesTheInputAlone() {
    BufferedImage gray = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(5, 5, 0, 200);
    BufferedImage out = RandomResizedCrop.of(16).apply(gray, new SplittableRandom(1));
    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(gray.getRaster().getSample(5, 5, 0)).isEqualTo(200);
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(() -> RandomResizedCrop.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RandomResizedCrop.builder().setSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x0");
    assertThatThrownBy(() -> RandomResizedCrop.builder().optScale(0.5, 0.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.5");
    assertThatThrownBy(() -> RandomResizedCrop.builder().optScale(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RandomResizedCrop.builder().optRatio(2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RandomResizedCrop.builder().optFlipProbability(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    RandomResizedCrop crop = RandomResizedCrop.of(224);
    assertThat(crop)
        .isEqualTo(
            RandomResizedCrop.builder()
                .setSize(224)
                .optScale(0.2, 1.0)
                .optRatio(3.0 / 4.0, 4.0 / 3.0)
                .optFlipProbability(0.5)
                .build());
    assertThat(crop.toString()).contains("224x224");
  }

  private static int[] mirror(int[] pixels, int width) {
    int[] out = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      int y = i / width;
      int x = i % width;
      out[y * width + (width - 1 - x)] = pixels[i];
    }
    return out;
  }
}
