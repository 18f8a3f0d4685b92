package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CenterCropTest {

  /** torchvision: {@code int(round((size - crop) / 2.0))}, Python rounding halves to even. */
  @ParameterizedTest
  @CsvSource({
    "256, 224, 16", // even difference
    "224, 224, 0",
    "33, 32, 0", // 0.5 -> 0
    "35, 32, 2", // 1.5 -> 2
    "41, 32, 4", // 4.5 -> 4
    "43, 32, 6", // 5.5 -> 6
    "45, 32, 6", // 6.5 -> 6
    "47, 32, 8", // 7.5 -> 8
    "298, 224, 37"
  })
  void offsetsRoundHalfToEven(int size, int crop, int expected) {
    assertThat(CenterCrop.offset(size, crop)).isEqualTo(expected);
  }

  @Test
  void cropTakesTheCenterPixels() {
    BufferedImage image = TestImages.random(11, 8, 3); // W 11, H 8
    BufferedImage crop = CenterCrop.crop(image, 5, 4); // top round(1.5)=2, left round(3.5)=4
    assertThat(crop.getWidth()).isEqualTo(4);
    assertThat(crop.getHeight()).isEqualTo(5);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 4; x++) {
        assertThat(crop.getRGB(x, y)).isEqualTo(image.getRGB(x + 4, y + 2));
      }
    }
  }

  @Test
  void rejectsCropsLargerThanTheImage() {
    assertThatThrownBy(() -> CenterCrop.offset(10, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11");
    BufferedImage image = TestImages.random(4, 4, 4);
    assertThatThrownBy(() -> CenterCrop.crop(image, 5, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5x2");
  }
}
