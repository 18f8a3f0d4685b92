package dev.ltrp.core.model;

import dev.ltrp.api.PatchGrid;

/**
 * The ViT body that a {@link MaeConfig} (its encoder) and a {@link RankerConfig} share: a square
 * image cut into square patches, embedded to {@code embedDim} and run through {@code depth}
 * pre-norm blocks. What follows from those fields (grid, patch length, MLP width) is written here
 * once.
 */
public sealed interface VitShape permits MaeConfig, RankerConfig {

  /** Side of the square input image in pixels. */
  int imgSize();

  /** Patch side in pixels. */
  int patchSize();

  /** Image channels. */
  int inChans();

  /** Token width {@code D} (of the encoder, for a MAE). */
  int embedDim();

  /** Number of blocks (of the encoder, for a MAE). */
  int depth();

  /** Attention heads (of the encoder, for a MAE). */
  int numHeads();

  /** MLP hidden width as a multiple of the block width. */
  double mlpRatio();

  /** This configuration as JSON (the reference or timm field names). */
  String toJson();

  /** The patch grid: {@code imgSize × imgSize} pixels in {@code patchSize} patches. */
  default PatchGrid grid() {
    return PatchGrid.of(imgSize(), patchSize());
  }

  /** Number of patches {@code L}. */
  default int numPatches() {
    return grid().numPatches();
  }

  /** Length of a flattened patch, {@code patchSize² · inChans}. */
  default int patchDim() {
    return patchSize() * patchSize() * inChans();
  }

  /** MLP hidden width of the (encoder) blocks. */
  default int mlpHidden() {
    return (int) Math.round(embedDim() * mlpRatio());
  }
}
