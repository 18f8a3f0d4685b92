package dev.ltrp.core.model;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import java.util.List;

/**
 * The arrays that route a batch of masked images through a MAE for pretraining: which latent token
 * fills each decoder position, where the mask tokens go, and the weights that average the
 * reconstruction loss over the masked patches of the batch (as the reference MAE does: the squared
 * error, averaged over a patch's values, summed over masked patches, divided by their count).
 *
 * <p>All visible sets must have the same size {@code n}. Immutable after construction; arrays are
 * exposed without copying and must not be modified.
 */
public final class MaskedBatch {

  private final int images;
  private final int visible;
  private final float[] scatter;
  private final float[] maskSelect;
  private final float[] lossWeights;

  private MaskedBatch(
      int images, int visible, float[] scatter, float[] maskSelect, float[] lossWeights) {
    this.images = images;
    this.visible = visible;
    this.scatter = scatter;
    this.maskSelect = maskSelect;
    this.lossWeights = lossWeights;
  }

  /**
   * Builds the arrays for {@code visibleSets}.
   *
   * @throws IllegalArgumentException if the list is empty, the sizes differ or a set is on another
   *     grid
   */
  public static MaskedBatch of(PatchGrid grid, List<VisibleSet> visibleSets) {
    if (visibleSets.isEmpty()) {
      throw new IllegalArgumentException("a masked batch needs at least one image");
    }
    int n = visibleSets.get(0).size();
    int l = grid.numPatches();
    int b = visibleSets.size();
    int seqEnc = n + 1;
    int seqDec = l + 1;
    float[] scatter = new float[b * seqDec * seqEnc];
    float[] maskSelect = new float[b * seqDec];
    float[] weights = new float[b * l];
    float weight = 1f / (b * (l - n));
    for (int i = 0; i < b; i++) {
      VisibleSet set = visibleSets.get(i);
      if (!set.grid().equals(grid) || set.size() != n) {
        throw new IllegalArgumentException(
            "visible set "
                + i
                + " has "
                + set.size()
                + " patches on "
                + set.grid()
                + "; expected "
                + n
                + " on "
                + grid);
      }
      int base = i * seqDec * seqEnc;
      scatter[base] = 1f; // the class token
      int v = 0;
      for (int p = 0; p < l; p++) {
        if (v < n && set.get(v) == p) {
          scatter[base + (1 + p) * seqEnc + 1 + v] = 1f;
          v++;
        } else {
          maskSelect[i * seqDec + 1 + p] = 1f;
          weights[i * l + p] = weight;
        }
      }
    }
    return new MaskedBatch(b, n, scatter, maskSelect, weights);
  }

  /** Number of images {@code B}. */
  public int images() {
    return images;
  }

  /** Visible patches per image {@code n}. */
  public int visible() {
    return visible;
  }

  /** {@code [B, L+1, n+1]} one-hot: decoder position {@code t} takes latent token {@code s}. */
  public float[] scatter() {
    return scatter;
  }

  /** {@code [B, L+1, 1]}: 1 where the decoder position takes the mask token. */
  public float[] maskSelect() {
    return maskSelect;
  }

  /** {@code [B, L]}: {@code 1 / (B · masked)} on masked patches, 0 on visible ones. */
  public float[] lossWeights() {
    return lossWeights;
  }

  /**
   * Per-patch normalized targets (the reference's {@code norm_pix_loss}): each patch vector of
   * {@code patches [L, P]} minus its mean, divided by {@code sqrt(var + 1e-6)} (unbiased variance,
   * as {@code torch.var} computes it by default). Returns a new array.
   */
  public static float[] normalizePatches(float[] patches, int patchDim) {
    float[] out = new float[patches.length];
    for (int start = 0; start < patches.length; start += patchDim) {
      double mean = 0;
      for (int k = 0; k < patchDim; k++) {
        mean += patches[start + k];
      }
      mean /= patchDim;
      double var = 0;
      for (int k = 0; k < patchDim; k++) {
        double d = patches[start + k] - mean;
        var += d * d;
      }
      var /= (patchDim - 1);
      double inv = 1.0 / Math.sqrt(var + 1e-6);
      for (int k = 0; k < patchDim; k++) {
        out[start + k] = (float) ((patches[start + k] - mean) * inv);
      }
    }
    return out;
  }
}
