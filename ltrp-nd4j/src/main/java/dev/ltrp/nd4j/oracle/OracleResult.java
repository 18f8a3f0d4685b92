package dev.ltrp.nd4j.oracle;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.Patchify;
import java.util.Objects;

/**
 * The oracle's scores of one image together with its anchor reconstruction.
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class OracleResult {

  private final PatchScores scores;
  private final VisibleSet visible;
  private final float[] anchor;
  private final int channels;

  OracleResult(PatchScores scores, VisibleSet visible, float[] anchor, int channels) {
    if (anchor == null) {
      throw new IllegalArgumentException("an oracle result needs its anchor reconstruction");
    }
    this.scores = Objects.requireNonNull(scores);
    this.visible = Objects.requireNonNull(visible);
    this.anchor = anchor;
    this.channels = channels;
  }

  /** One score per visible patch, in the visible set's ascending order. */
  public PatchScores scores() {
    return scores;
  }

  /** The visible set the scores were computed for. */
  public VisibleSet visible() {
    return visible;
  }

  /** The patch grid. */
  public PatchGrid grid() {
    return visible.grid();
  }

  /** Channels of a patch. */
  public int channels() {
    return channels;
  }

  /**
   * The anchor reconstruction: the decoder's prediction for every patch, row-major {@code [L,
   * p·p·C]} in patchify order, in the model's reconstruction space (normalized pixels for the
   * "visualize" MAE checkpoints).
   */
  public float[] anchorPatches() {
    return anchor.clone();
  }

  /**
   * The anchor reconstruction as an image, with the visible patches of {@code original} pasted in
   * (as the MAE paper shows its reconstructions), in the same normalized units as {@code original}:
   * render it with {@code ImageRenderer}. Meaningful for models that predict normalized pixels (the
   * "visualize" checkpoints); {@code norm_pix_loss} models predict per-patch standardized pixels
   * instead.
   *
   * @param original the image that was scored
   */
  public ImageTensor reconstruction(ImageTensor original) {
    ImageTensor predicted = Patchify.unpatchify(anchor, grid(), channels);
    return Patchify.pastePatches(predicted, original, visible);
  }

  @Override
  public String toString() {
    return "OracleResult[" + scores + "]";
  }
}
