package dev.ltrp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageTensorTest {

  @Test
  void rejectsNanAndInfinityNamingThePosition() {
    float[] v = new float[2 * 2 * 3];
    v[(1 * 2 + 0) * 3 + 1] = Float.NaN; // channel 1, y 0, x 1
    assertThatThrownBy(() -> ImageTensor.of(2, 2, 3, v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN")
        .hasMessageContaining("channel 1");
    float[] w = new float[3];
    w[2] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> ImageTensor.of(1, 1, 3, w)).hasMessageContaining("x 2");
  }

  @Test
  void rejectsWrongLength() {
    assertThatThrownBy(() -> ImageTensor.of(3, 2, 2, new float[11]))
        .hasMessageContaining("expected 12");
  }

  @Test
  void copiesItsInputAndOutput() {
    float[] v = {1, 2, 3, 4};
    ImageTensor t = ImageTensor.of(1, 2, 2, v);
    v[0] = 9;
    assertThat(t.get(0, 0, 0)).isEqualTo(1f);
    t.toArray()[1] = 9;
    assertThat(t.get(0, 0, 1)).isEqualTo(2f);
  }

  @Test
  void patchVectorIsRowColumnChannelOrdered() {
    // 2 channels, 4x4, patch 2: value = 100*c + 10*y + x
    float[] v = new float[2 * 4 * 4];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          v[(c * 4 + y) * 4 + x] = 100 * c + 10 * y + x;
        }
      }
    }
    ImageTensor t = ImageTensor.of(2, 4, 4, v);
    float[] patch = new float[8];
    t.patchVector(PatchGrid.of(4, 2), 3, patch, 0); // row 1, col 1: pixels y 2..3, x 2..3
    assertThat(patch).containsExactly(22, 122, 23, 123, 32, 132, 33, 133);
  }

  @Test
  void checkShapeNamesBothShapes() {
    ImageTensor t = ImageTensor.of(1, 4, 4, new float[16]);
    assertThatThrownBy(() -> t.checkShape(3, PatchGrid.of(4, 2)))
        .hasMessageContaining("1x4x4")
        .hasMessageContaining("3x4x4");
  }
}
