package dev.ltrp.core.model;

/** The checks that {@link MaeConfig} and {@link RankerConfig} make of their shared ViT fields. */
final class VitShapeChecks {

  private VitShapeChecks() {}

  /**
   * Checks each of {@code values} (named by {@code fields}, in that order) positive, then that
   * {@code patchSize} divides {@code imgSize} and {@code numHeads} divides {@code embedDim}.
   *
   * @throws IllegalArgumentException naming the first field that fails
   */
  static void checkBody(
      String[] fields, int[] values, int imgSize, int patchSize, int embedDim, int numHeads) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] <= 0) {
        throw new IllegalArgumentException(fields[i] + " must be positive, got " + values[i]);
      }
    }
    if (imgSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "img_size " + imgSize + " is not a multiple of patch_size " + patchSize);
    }
    if (embedDim % numHeads != 0) {
      throw new IllegalArgumentException(
          "embed_dim " + embedDim + " is not divisible by num_heads " + numHeads);
    }
  }

  /** Whether {@code v} is a whole number (an MLP width from a ratio). */
  static boolean isWhole(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9;
  }
}
