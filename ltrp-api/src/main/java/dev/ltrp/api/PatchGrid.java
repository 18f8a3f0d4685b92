package dev.ltrp.api;

/**
 * The geometry of a grid of square, non-overlapping patches over an image.
 *
 * <p>An image of {@code imageHeight × imageWidth} pixels cut into {@code patchSize × patchSize}
 * patches has {@code rows = imageHeight / patchSize} rows and {@code cols = imageWidth / patchSize}
 * columns. Patches are numbered row-major: patch {@code i} lies at row {@code i / cols} and column
 * {@code i % cols}. This is the numbering every index in this API uses (visible sets, scores, kept
 * patches). ViT-B/16 at 224 pixels, for example, is {@code PatchGrid.of(224, 16)}: 14 × 14 = 196
 * patches.
 *
 * <p>Immutable and thread-safe.
 *
 * @param imageHeight image height in pixels, a positive multiple of {@code patchSize}
 * @param imageWidth image width in pixels, a positive multiple of {@code patchSize}
 * @param patchSize patch side in pixels, positive
 */
public record PatchGrid(int imageHeight, int imageWidth, int patchSize) {

  /** Validates the geometry. */
  public PatchGrid {
    if (patchSize <= 0) {
      throw new IllegalArgumentException("patchSize must be positive, got " + patchSize);
    }
    if (imageHeight <= 0 || imageWidth <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + imageHeight + "x" + imageWidth);
    }
    if (imageHeight % patchSize != 0 || imageWidth % patchSize != 0) {
      throw new IllegalArgumentException(
          "image size "
              + imageHeight
              + "x"
              + imageWidth
              + " is not a multiple of the patch size "
              + patchSize);
    }
  }

  /** A grid over a square image of {@code imageSize × imageSize} pixels. */
  public static PatchGrid of(int imageSize, int patchSize) {
    return new PatchGrid(imageSize, imageSize, patchSize);
  }

  /** A grid over an image of {@code imageHeight × imageWidth} pixels. */
  public static PatchGrid of(int imageHeight, int imageWidth, int patchSize) {
    return new PatchGrid(imageHeight, imageWidth, patchSize);
  }

  /** Number of patch rows, {@code imageHeight / patchSize}. */
  public int rows() {
    return imageHeight / patchSize;
  }

  /** Number of patch columns, {@code imageWidth / patchSize}. */
  public int cols() {
    return imageWidth / patchSize;
  }

  /** Number of patches {@code L = rows · cols}. */
  public int numPatches() {
    return rows() * cols();
  }

  /** Row-major index of the patch at {@code (row, col)}. */
  public int index(int row, int col) {
    if (row < 0 || row >= rows() || col < 0 || col >= cols()) {
      throw new IndexOutOfBoundsException(
          "patch (" + row + ", " + col + ") is outside the " + rows() + "x" + cols() + " grid");
    }
    return row * cols() + col;
  }

  /** Row of patch {@code index}. */
  public int row(int index) {
    checkIndex(index);
    return index / cols();
  }

  /** Column of patch {@code index}. */
  public int col(int index) {
    checkIndex(index);
    return index % cols();
  }

  /**
   * Length of one flattened patch, {@code patchSize · patchSize · channels}: the vector a MAE
   * decoder predicts per patch, ordered (pixel row, pixel column, channel).
   */
  public int patchVectorLength(int channels) {
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be positive, got " + channels);
    }
    return patchSize * patchSize * channels;
  }

  /**
   * Throws {@link IndexOutOfBoundsException} unless {@code 0 <= index < numPatches()}.
   *
   * @return {@code index}
   */
  public int checkIndex(int index) {
    if (index < 0 || index >= numPatches()) {
      throw new IndexOutOfBoundsException(
          "patch index " + index + " is outside [0, " + numPatches() + ")");
    }
    return index;
  }

  @Override
  public String toString() {
    return "PatchGrid["
        + imageHeight
        + "x"
        + imageWidth
        + " px, patch "
        + patchSize
        + ", "
        + rows()
        + "x"
        + cols()
        + " = "
        + numPatches()
        + " patches]";
  }
}
