package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void copiesItsInputsAndOutputs() {
    int[] shape = {2, 3};
    float[] data = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(shape, data);
    shape[0] = 7;
    data[0] = 99;
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    t.shape()[1] = 9;
    t.toArray()[1] = 9;
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.get(0, 1)).isEqualTo(2f);
  }

  @Test
  void describesItsShape() {
    Tensor t = Tensor.of(new int[] {2, 3}, new float[6]);
    assertThat(t.rank()).isEqualTo(2);
    assertThat(t.size()).isEqualTo(6);
    assertThat(t.dim(1)).isEqualTo(3);
    assertThat(t.hasShape(2, 3)).isTrue();
    assertThat(t.hasShape(3, 2)).isFalse();
    assertThat(t.sourceDType()).isEqualTo(DType.F32);
    assertThat(t).hasToString("Tensor[2, 3]");
    assertThat(Tensor.wrap(new int[] {4}, new float[4], DType.BF16))
        .hasToString("Tensor[4] (BF16)");
  }

  @Test
  void indexesRowMajor() {
    float[] data = new float[24];
    for (int i = 0; i < 24; i++) {
      data[i] = i;
    }
    Tensor t = Tensor.of(new int[] {2, 3, 4}, data);
    assertThat(t.get(1, 2, 3)).isEqualTo(23f);
    assertThat(t.get(1, 0, 2)).isEqualTo(14f);
    assertThatThrownBy(() -> t.get(0, 3, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> t.get(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank 2");
  }

  @Test
  void supportsScalarsAndEmptyTensors() {
    Tensor s = Tensor.scalar(2.5f);
    assertThat(s.rank()).isZero();
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.get()).isEqualTo(2.5f);
    Tensor e = Tensor.of(new int[] {0, 3}, new float[0]);
    assertThat(e.size()).isZero();
    assertThat(e.shape()).containsExactly(0, 3);
  }

  @Test
  void validatesTheLength() {
    assertThatThrownBy(() -> Tensor.of(new int[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2, 3] needs 6 values, got 5");
    assertThatThrownBy(() -> Tensor.of(new int[] {-1, 3}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Tensor.of(new int[] {1 << 30, 1 << 30, 1 << 30}, new float[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 2^63");
  }

  @Test
  void copiesIntoAnOffset() {
    Tensor t = Tensor.of(new int[] {2}, new float[] {7, 8});
    float[] dst = new float[5];
    t.copyTo(dst, 2);
    assertThat(dst).containsExactly(0, 0, 7, 8, 0);
    assertThatThrownBy(() -> t.copyTo(dst, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void exposesAReadOnlyViewWithoutCopying() {
    Tensor t = Tensor.of(new int[] {3}, new float[] {1, 2, 3});
    FloatBuffer view = t.asReadOnlyBuffer();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(3);
    assertThat(view.get(2)).isEqualTo(3f);
    assertThatThrownBy(() -> view.put(0, 5f)).isInstanceOf(ReadOnlyBufferException.class);
    view.position(2);
    assertThat(t.asReadOnlyBuffer().position()).isZero(); // independent buffers
  }

  @Test
  void theReadOnlyViewDoesNotCopy() {
    float[] backing = {1, 2, 3};
    Tensor t = Tensor.wrap(new int[] {3}, backing, DType.F32);
    FloatBuffer view = t.asReadOnlyBuffer();
    backing[1] = 42; // only a reader could do this; it shows the view reads the same array
    assertThat(view.get(1)).isEqualTo(42f);
  }

  @Test
  void reshapesWithoutCopying() {
    Tensor t = Tensor.wrap(new int[] {1, 1, 4}, new float[] {1, 2, 3, 4}, DType.F16);
    Tensor r = t.reshape(4);
    assertThat(r.shape()).containsExactly(4);
    assertThat(r.data()).isSameAs(t.data());
    assertThat(r.sourceDType()).isEqualTo(DType.F16);
    assertThatThrownBy(() -> t.reshape(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalityIsShapeAndValuesNotSourceType() {
    Tensor a = Tensor.of(new int[] {2}, new float[] {1, Float.NaN});
    Tensor b = Tensor.wrap(new int[] {2}, new float[] {1, Float.NaN}, DType.F16);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Tensor.of(new int[] {1, 2}, new float[] {1, Float.NaN}));
    assertThat(a).isNotEqualTo(Tensor.of(new int[] {2}, new float[] {1, 2}));
  }
}
