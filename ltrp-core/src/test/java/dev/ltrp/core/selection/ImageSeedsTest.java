package dev.ltrp.core.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import org.junit.jupiter.api.Test;

class ImageSeedsTest {

  @Test
  void dependsOnSeedShapeAndEveryValue() {
    float[] values = new float[2 * 3 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f;
    }
    ImageTensor image = ImageTensor.of(2, 3, 4, values);
    long base = ImageSeeds.derive(1L, image);
    assertThat(ImageSeeds.derive(1L, ImageTensor.of(2, 3, 4, values.clone()))).isEqualTo(base);
    assertThat(ImageSeeds.derive(2L, image)).isNotEqualTo(base);
    assertThat(ImageSeeds.derive(1L, ImageTensor.of(2, 4, 3, values))).isNotEqualTo(base);
    float[] changed = values.clone();
    changed[23] = Math.nextUp(changed[23]);
    assertThat(ImageSeeds.derive(1L, ImageTensor.of(2, 3, 4, changed))).isNotEqualTo(base);
    assertThat(ImageSeeds.random(1L, image).nextLong())
        .isEqualTo(new java.util.SplittableRandom(base).nextLong());
  }
}
