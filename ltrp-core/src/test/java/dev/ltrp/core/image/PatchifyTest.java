package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchifyTest {

  /** A 2-channel 4x4 image whose value at (c, y, x) is 16c + 4y + x. */
  private static ImageTensor indexImage() {
    float[] chw = new float[32];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = i;
    }
    return ImageTensor.of(2, 4, 4, chw);
  }

  @Test
  void exactOrderIsPixelRowThenPixelColumnThenChannel() {
    PatchGrid grid = PatchGrid.of(4, 2);
    float[] patches = Patchify.patchify(indexImage(), grid);
    assertThat(patches)
        .containsExactly(
            0, 16, 1, 17, 4, 20, 5, 21, // patch 0: rows 0-1, columns 0-1
            2, 18, 3, 19, 6, 22, 7, 23, // patch 1: rows 0-1, columns 2-3
            8, 24, 9, 25, 12, 28, 13, 29, // patch 2: rows 2-3, columns 0-1
            10, 26, 11, 27, 14, 30, 15, 31); // patch 3: rows 2-3, columns 2-3
  }

  @Test
  void selectedPatchesComeInTheGivenOrder() {
    PatchGrid grid = PatchGrid.of(4, 2);
    assertThat(Patchify.patchify(indexImage(), grid, 3, 0))
        .containsExactly(10, 26, 11, 27, 14, 30, 15, 31, 0, 16, 1, 17, 4, 20, 5, 21);
    assertThatThrownBy(() -> Patchify.patchify(indexImage(), grid, 4))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void unpatchifyInvertsPatchify() {
    SplittableRandom random = new SplittableRandom(11);
    float[] chw = new float[3 * 8 * 12];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) random.nextGaussian();
    }
    ImageTensor image = ImageTensor.of(3, 8, 12, chw);
    PatchGrid grid = PatchGrid.of(8, 12, 4);
    float[] patches = Patchify.patchify(image, grid);
    assertThat(patches).hasSize(6 * 4 * 4 * 3);
    assertThat(Patchify.unpatchify(patches, grid, 3)).isEqualTo(image);
    assertThat(
            Patchify.unpatchify(
                Patchify.patchify(indexImage(), PatchGrid.of(4, 2)), PatchGrid.of(4, 2), 2))
        .isEqualTo(indexImage());
  }

  @Test
  void unpatchifyChecksTheLength() {
    assertThatThrownBy(() -> Patchify.unpatchify(new float[10], PatchGrid.of(4, 2), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("48")
        .hasMessageContaining("10");
  }

  @Test
  void pastePatchesReplacesOnlyTheListedPatches() {
    PatchGrid grid = PatchGrid.of(4, 2);
    ImageTensor zeros = ImageTensor.of(3, 4, 4, new float[48]);
    float[] ones = new float[48];
    java.util.Arrays.fill(ones, 1f);
    ImageTensor original = ImageTensor.of(3, 4, 4, ones);
    ImageTensor pasted = Patchify.pastePatches(zeros, original, grid, 1, 2);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          int patch = grid.index(y / 2, x / 2);
          float expected = patch == 1 || patch == 2 ? 1f : 0f;
          assertThat(pasted.get(c, y, x)).as("(%d, %d, %d)", c, y, x).isEqualTo(expected);
        }
      }
    }
    assertThat(Patchify.pastePatches(zeros, original, VisibleSet.of(grid, 2, 1))).isEqualTo(pasted);
    assertThat(zeros.toArray()).containsOnly(0f); // inputs untouched
  }

  @Test
  void pastePatchesChecksShapes() {
    PatchGrid grid = PatchGrid.of(4, 2);
    ImageTensor rgb = ImageTensor.of(3, 4, 4, new float[48]);
    ImageTensor twoChannels = ImageTensor.of(2, 4, 4, new float[32]);
    assertThatThrownBy(() -> Patchify.pastePatches(twoChannels, rgb, grid, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 channels");
    assertThatThrownBy(() -> Patchify.patchify(rgb, PatchGrid.of(8, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8x8");
  }
}
