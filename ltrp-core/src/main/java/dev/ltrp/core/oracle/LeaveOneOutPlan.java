package dev.ltrp.core.oracle;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import java.util.List;

/**
 * The index and mask arrays that let one batched MAE pass compute, for several images, the anchor
 * reconstruction and every leave-one-out reconstruction at once (engine-free; the ND4J oracle feeds
 * these arrays to its graph).
 *
 * <p>For image {@code i} with visible set {@code V_i} ({@code n = |V_i|}, equal for all images of
 * one plan), the decoder batch holds {@code n + 1} rows: row {@code i·(n+1)} is the anchor and row
 * {@code i·(n+1) + 1 + j} is the reconstruction without the {@code j}-th visible patch. Token 0 of
 * every sequence is the class token; encoder token {@code 1 + j} is visible patch {@code j};
 * decoder token {@code 1 + p} is patch {@code p}. The encoder batch has one row per image in {@link
 * RemovalMode#DECODER_ATTENTION} mode (the decoder rows reuse it) and one row per decoder row
 * otherwise.
 *
 * <p>In decoder-attention mode only the removed token's key is cut: silencing its own query, as the
 * reference also does, changes nothing that is scored (no other token reads it, and it is visible,
 * so it is not scored), and would cost one more pass over every attention matrix.
 *
 * <p>All arrays are row-major and named after the graph inputs that consume them. Instances are
 * immutable after construction; arrays are exposed without copying for speed and must not be
 * modified.
 */
public final class LeaveOneOutPlan {

  /** Added to the attention logit of a key that is cut out of attention. */
  public static final float CUT = -1e9f;

  private final RemovalMode mode;
  private final PatchGrid grid;
  private final int images;
  private final int visible;
  private final int encoderRows;
  private final int decoderRows;
  private final int[] encoderVisible;
  private final float[] encoderKeyBias;
  private final float[] encoderQueryKeep;
  private final int[] decoderLatentRow;
  private final float[] decoderScatter;
  private final float[] decoderMaskSelect;
  private final float[] decoderKeyBias;
  private final int[] anchorRowOfDecoderRow;
  private final float[] scoreWeights;
  private final int[] anchorRows;

  private LeaveOneOutPlan(RemovalMode mode, PatchGrid grid, List<VisibleSet> visibleSets) {
    this.mode = mode;
    this.grid = grid;
    this.images = visibleSets.size();
    this.visible = visibleSets.get(0).size();
    int n = visible;
    int seqEnc = n + 1;
    int numPatches = grid.numPatches();
    int seqDec = numPatches + 1;
    this.decoderRows = images * (n + 1);
    this.encoderRows = mode == RemovalMode.DECODER_ATTENTION ? images : decoderRows;

    encoderVisible = new int[encoderRows * n];
    encoderKeyBias = new float[encoderRows * seqEnc];
    encoderQueryKeep = new float[encoderRows * seqEnc];
    java.util.Arrays.fill(encoderQueryKeep, 1f);
    decoderLatentRow = new int[decoderRows];
    decoderScatter = new float[decoderRows * seqDec * seqEnc];
    decoderMaskSelect = new float[decoderRows * seqDec];
    decoderKeyBias = new float[decoderRows * seqDec];
    anchorRowOfDecoderRow = new int[decoderRows];
    scoreWeights = new float[decoderRows * numPatches];
    anchorRows = new int[images];

    for (int img = 0; img < images; img++) {
      VisibleSet set = visibleSets.get(img);
      int[] patches = set.patches();
      float maskedWeight = 1f / (numPatches - n);
      int anchor = img * (n + 1);
      anchorRows[img] = anchor;
      for (int variant = 0; variant <= n; variant++) {
        int row = anchor + variant;
        int removed = variant - 1; // position in the visible set, -1 for the anchor
        int encRow = mode == RemovalMode.DECODER_ATTENTION ? img : row;
        decoderLatentRow[row] = encRow;
        anchorRowOfDecoderRow[row] = anchor;
        if (mode != RemovalMode.DECODER_ATTENTION || variant == 0) {
          System.arraycopy(patches, 0, encoderVisible, encRow * n, n);
        }
        if (removed >= 0 && mode != RemovalMode.DECODER_ATTENTION) {
          encoderKeyBias[encRow * seqEnc + 1 + removed] = CUT;
          if (mode == RemovalMode.ENCODER_ATTENTION) {
            encoderQueryKeep[encRow * seqEnc + 1 + removed] = 0f;
          }
        }
        // Decoder sequence: cls from latent token 0, then each patch from its latent or the mask
        // token.
        int scatterBase = row * seqDec * seqEnc;
        decoderScatter[scatterBase] = 1f;
        int v = 0;
        for (int p = 0; p < numPatches; p++) {
          int token = 1 + p;
          boolean isVisible = v < n && patches[v] == p;
          if (isVisible) {
            boolean replaced = mode == RemovalMode.MASK_TOKEN && v == removed;
            if (replaced) {
              decoderMaskSelect[row * seqDec + token] = 1f;
            } else {
              decoderScatter[scatterBase + token * seqEnc + 1 + v] = 1f;
            }
            if (mode == RemovalMode.DECODER_ATTENTION && v == removed) {
              decoderKeyBias[row * seqDec + token] = CUT;
            }
            v++;
          } else {
            decoderMaskSelect[row * seqDec + token] = 1f;
            scoreWeights[row * numPatches + p] = maskedWeight;
          }
        }
      }
    }
  }

  /**
   * Plans the leave-one-out passes of several images.
   *
   * @param visibleSets one visible set per image, all on {@code grid} and all of the same size
   * @throws IllegalArgumentException if the list is empty, a set is on another grid, or the sizes
   *     differ (group the requests by size first)
   */
  public static LeaveOneOutPlan of(RemovalMode mode, PatchGrid grid, List<VisibleSet> visibleSets) {
    if (visibleSets.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one image");
    }
    int n = visibleSets.get(0).size();
    for (VisibleSet set : visibleSets) {
      if (!set.grid().equals(grid)) {
        throw new IllegalArgumentException(
            "visible set is on " + set.grid() + " but the model's grid is " + grid);
      }
      if (set.size() != n) {
        throw new IllegalArgumentException(
            "all visible sets of one plan must have the same size, got "
                + n
                + " and "
                + set.size());
      }
    }
    return new LeaveOneOutPlan(mode, grid, List.copyOf(visibleSets));
  }

  public RemovalMode mode() {
    return mode;
  }

  public PatchGrid grid() {
    return grid;
  }

  /** Number of images. */
  public int images() {
    return images;
  }

  /** Visible patches per image {@code n}. */
  public int visible() {
    return visible;
  }

  /** Rows of the encoder batch. */
  public int encoderRows() {
    return encoderRows;
  }

  /** Rows of the decoder batch, {@code images · (n + 1)}. */
  public int decoderRows() {
    return decoderRows;
  }

  /** {@code [encoderRows, n]}: the visible patch indices each encoder row consumes, ascending. */
  public int[] encoderVisible() {
    return encoderVisible;
  }

  /** {@code [encoderRows, 1, 1, n + 1]}: additive attention bias of the encoder keys. */
  public float[] encoderKeyBias() {
    return encoderKeyBias;
  }

  /** {@code [encoderRows, 1, n + 1, 1]}: 0 for an encoder query that attends to nothing. */
  public float[] encoderQueryKeep() {
    return encoderQueryKeep;
  }

  /** {@code [decoderRows]}: the encoder row whose latent each decoder row decodes. */
  public int[] decoderLatentRow() {
    return decoderLatentRow;
  }

  /**
   * {@code [decoderRows, L + 1, n + 1]} one-hot: decoder token {@code t} takes latent token {@code
   * s} where the entry is 1; an all-zero row takes the mask token.
   */
  public float[] decoderScatter() {
    return decoderScatter;
  }

  /** {@code [decoderRows, L + 1, 1]}: 1 where the decoder token is the mask token. */
  public float[] decoderMaskSelect() {
    return decoderMaskSelect;
  }

  /** {@code [decoderRows, 1, 1, L + 1]}: additive attention bias of the decoder keys. */
  public float[] decoderKeyBias() {
    return decoderKeyBias;
  }

  /** {@code [decoderRows]}: the anchor row each decoder row is compared with. */
  public int[] anchorRowOfDecoderRow() {
    return anchorRowOfDecoderRow;
  }

  /**
   * {@code [decoderRows, L]}: {@code 1 / |masked|} on the masked patches of the row's image, 0
   * elsewhere; the score of a row is {@code Σ_p w[p] · mean|anchor[p] − recon[p]|}.
   */
  public float[] scoreWeights() {
    return scoreWeights;
  }

  /** {@code [images]}: the anchor row of each image. */
  public int[] anchorRows() {
    return anchorRows;
  }
}
