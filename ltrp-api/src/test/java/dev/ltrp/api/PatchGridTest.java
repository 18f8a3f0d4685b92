package dev.ltrp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PatchGridTest {

  @Test
  void vitB16At224Has196PatchesRowMajor() {
    PatchGrid g = PatchGrid.of(224, 16);
    assertThat(g.rows()).isEqualTo(14);
    assertThat(g.numPatches()).isEqualTo(196);
    assertThat(g.index(1, 2)).isEqualTo(16);
    assertThat(g.row(16)).isEqualTo(1);
    assertThat(g.col(16)).isEqualTo(2);
    assertThat(g.patchVectorLength(3)).isEqualTo(768);
  }

  @Test
  void nonSquareGrids() {
    PatchGrid g = PatchGrid.of(32, 48, 16);
    assertThat(g.rows()).isEqualTo(2);
    assertThat(g.cols()).isEqualTo(3);
    assertThat(g.index(1, 0)).isEqualTo(3);
  }

  @Test
  void rejectsBadGeometryAndIndices() {
    assertThatThrownBy(() -> PatchGrid.of(225, 16)).hasMessageContaining("225x225");
    assertThatThrownBy(() -> PatchGrid.of(224, 0)).hasMessageContaining("patchSize");
    assertThatThrownBy(() -> PatchGrid.of(224, 16).checkIndex(196))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("196");
  }
}
