package dev.ltrp.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan on a 2×2 grid with patches 1 and 3 visible, checked entry by entry. */
class LeaveOneOutPlanTest {

  private static final PatchGrid GRID = PatchGrid.of(4, 2); // 4 patches
  private static final VisibleSet V = VisibleSet.of(GRID, 3, 1);
  private static final int SEQ_DEC = 5;
  private static final int SEQ_ENC = 3;

  @Test
  void decoderModeReusesOneEncoderRowAndCutsTheDecoderToken() {
    LeaveOneOutPlan plan = LeaveOneOutPlan.of(RemovalMode.DECODER_ATTENTION, GRID, List.of(V));
    assertThat(plan.encoderRows()).isEqualTo(1);
    assertThat(plan.decoderRows()).isEqualTo(3);
    assertThat(plan.encoderVisible()).containsExactly(1, 3);
    assertThat(plan.encoderKeyBias()).containsOnly(0f);
    assertThat(plan.decoderLatentRow()).containsExactly(0, 0, 0);
    assertThat(plan.anchorRowOfDecoderRow()).containsExactly(0, 0, 0);
    // row 0 (anchor): no cut. row 1 removes visible patch 1 = decoder token 2; row 2 patch 3 =
    // token 4.
    assertThat(row(plan.decoderKeyBias(), 0, SEQ_DEC)).containsOnly(0f);
    assertThat(row(plan.decoderKeyBias(), 1, SEQ_DEC))
        .containsExactly(0, 0, LeaveOneOutPlan.CUT, 0, 0);
    assertThat(row(plan.decoderKeyBias(), 2, SEQ_DEC))
        .containsExactly(0, 0, 0, 0, LeaveOneOutPlan.CUT);
    // mask tokens at the masked patches 0 and 2 (tokens 1 and 3), in every row
    for (int r = 0; r < 3; r++) {
      assertThat(row(plan.decoderMaskSelect(), r, SEQ_DEC)).containsExactly(0, 1, 0, 1, 0);
      assertThat(row(plan.scoreWeights(), r, 4)).containsExactly(0.5f, 0, 0.5f, 0);
    }
    // scatter: token 0 ← latent 0 (cls), token 2 ← latent 1, token 4 ← latent 2
    float[] s = plan.decoderScatter();
    assertThat(s[(0 * SEQ_DEC + 0) * SEQ_ENC + 0]).isEqualTo(1f);
    assertThat(s[(0 * SEQ_DEC + 2) * SEQ_ENC + 1]).isEqualTo(1f);
    assertThat(s[(0 * SEQ_DEC + 4) * SEQ_ENC + 2]).isEqualTo(1f);
    assertThat(sum(s)).isEqualTo(9f); // 3 ones in each of 3 rows
  }

  @Test
  void encoderModeCutsTheEncoderTokenAndDecodesWithoutCut() {
    LeaveOneOutPlan plan = LeaveOneOutPlan.of(RemovalMode.ENCODER_ATTENTION, GRID, List.of(V));
    assertThat(plan.encoderRows()).isEqualTo(3);
    assertThat(plan.decoderLatentRow()).containsExactly(0, 1, 2);
    assertThat(plan.encoderVisible()).containsExactly(1, 3, 1, 3, 1, 3);
    assertThat(row(plan.encoderKeyBias(), 1, SEQ_ENC)).containsExactly(0, LeaveOneOutPlan.CUT, 0);
    assertThat(row(plan.encoderQueryKeep(), 1, SEQ_ENC)).containsExactly(1, 0, 1);
    assertThat(row(plan.encoderKeyBias(), 2, SEQ_ENC)).containsExactly(0, 0, LeaveOneOutPlan.CUT);
    assertThat(plan.decoderKeyBias()).containsOnly(0f);
  }

  @Test
  void maskTokenModeReplacesTheRemovedPatchWithTheMaskToken() {
    LeaveOneOutPlan plan = LeaveOneOutPlan.of(RemovalMode.MASK_TOKEN, GRID, List.of(V));
    assertThat(row(plan.encoderKeyBias(), 2, SEQ_ENC)).containsExactly(0, 0, LeaveOneOutPlan.CUT);
    assertThat(plan.encoderQueryKeep()).containsOnly(1f);
    assertThat(row(plan.decoderMaskSelect(), 2, SEQ_DEC)).containsExactly(0, 1, 0, 1, 1);
    float[] s = plan.decoderScatter();
    assertThat(s[(2 * SEQ_DEC + 4) * SEQ_ENC + 2]).isZero();
    // the score still averages over the originally masked patches only
    assertThat(row(plan.scoreWeights(), 2, 4)).containsExactly(0.5f, 0, 0.5f, 0);
  }

  @Test
  void severalImagesGetConsecutiveBlocksOfRows() {
    VisibleSet w = VisibleSet.of(GRID, 0, 2);
    LeaveOneOutPlan plan = LeaveOneOutPlan.of(RemovalMode.DECODER_ATTENTION, GRID, List.of(V, w));
    assertThat(plan.decoderRows()).isEqualTo(6);
    assertThat(plan.anchorRows()).containsExactly(0, 3);
    assertThat(plan.decoderLatentRow()).containsExactly(0, 0, 0, 1, 1, 1);
    assertThat(plan.anchorRowOfDecoderRow()).containsExactly(0, 0, 0, 3, 3, 3);
    assertThat(plan.encoderVisible()).containsExactly(1, 3, 0, 2);
  }

  @Test
  void rejectsMixedSizesAndForeignGrids() {
    VisibleSet three = VisibleSet.of(GRID, 0, 1, 2);
    assertThatThrownBy(() -> LeaveOneOutPlan.of(RemovalMode.MASK_TOKEN, GRID, List.of(V, three)))
        .hasMessageContaining("same size");
    VisibleSet other = VisibleSet.of(PatchGrid.of(8, 2), 1, 3);
    assertThatThrownBy(() -> LeaveOneOutPlan.of(RemovalMode.MASK_TOKEN, GRID, List.of(other)))
        .hasMessageContaining("grid");
  }

  private static float[] row(float[] a, int row, int width) {
    return java.util.Arrays.copyOfRange(a, row * width, (row + 1) * width);
  }

  private static float sum(float[] a) {
    float s = 0;
    for (float v : a) {
      s += v;
    }
    return s;
  }
}
