package dev.ltrp.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of keeping the top {@code K} patches of one image.
 *
 * <p>Holds the kept patch indices (in rank order and in spatial order), the keep mask, the kept
 * patch pixels as a {@code [K, patchSize · patchSize · channels]} row-major array (what a
 * downstream ViT consumes after its patch embedding), the per-patch scores that decided the
 * selection, and the image with the dropped patches set to zero (the per-channel mean after
 * normalization) for display.
 *
 * <p>Immutable and thread-safe; accessors return copies (or, for {@link #keptImage()}, an immutable
 * value). The pixel views are built from the source image when first asked for, so a caller that
 * wants only the kept indices pays for nothing else; the reduction holds a reference to that
 * (immutable) image.
 */
public final class Reduction {

  private final ImageTensor image;
  private final PatchScores scores;
  private final int[] keptRanked;
  private final int[] keptSpatial;

  /** Built on first use: most callers want only the indices. */
  private volatile ImageTensor keptImage;

  private Reduction(ImageTensor image, PatchScores scores, int[] keptRanked, int[] keptSpatial) {
    this.image = image;
    this.scores = scores;
    this.keptRanked = keptRanked;
    this.keptSpatial = keptSpatial;
  }

  /**
   * Builds a reduction of {@code image} that keeps {@code keptRanked} (most important first). Only
   * the indices are computed here; the pixel views ({@link #keptPatchPixels()}, {@link
   * #keptImage()}) are built when asked for.
   *
   * @param image the (normalized) image the patches are taken from
   * @param scores dense per-patch scores that led to the selection
   * @param keptRanked the kept patches in rank order; non-empty and distinct
   * @throws IllegalArgumentException if the scores are not dense, the image does not fit their
   *     grid, or {@code keptRanked} is empty or repeats a patch
   */
  public static Reduction of(ImageTensor image, PatchScores scores, int[] keptRanked) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(scores, "scores");
    PatchGrid grid = scores.grid();
    if (!scores.isDense()) {
      throw new IllegalArgumentException("a reduction needs a score for every patch");
    }
    image.checkShape(image.channels(), grid);
    if (keptRanked.length == 0) {
      throw new IllegalArgumentException("a reduction keeps at least one patch");
    }
    boolean[] mask = new boolean[grid.numPatches()];
    for (int patch : keptRanked) {
      grid.checkIndex(patch);
      if (mask[patch]) {
        throw new IllegalArgumentException("patch " + patch + " is kept twice");
      }
      mask[patch] = true;
    }
    int[] spatial = keptRanked.clone();
    Arrays.sort(spatial);
    return new Reduction(image, scores, keptRanked.clone(), spatial);
  }

  /** The patch grid. */
  public PatchGrid grid() {
    return scores.grid();
  }

  /** Number of kept patches {@code K}. */
  public int keptCount() {
    return keptRanked.length;
  }

  /** Kept patches, most important first. */
  public int[] keptRanked() {
    return keptRanked.clone();
  }

  /** Kept patches in ascending (spatial, row-major) order. */
  public int[] keptSpatial() {
    return keptSpatial.clone();
  }

  /** {@code mask[i]} is true when patch {@code i} is kept; length {@code L}. */
  public boolean[] keepMask() {
    boolean[] mask = new boolean[grid().numPatches()];
    for (int patch : keptSpatial) {
      mask[patch] = true;
    }
    return mask;
  }

  /**
   * The kept patches' pixels, row-major {@code [K, patchSize · patchSize · channels]} in the order
   * of {@link #keptSpatial()}; each row ordered (pixel row, pixel column, channel).
   */
  public float[] keptPatchPixels() {
    PatchGrid grid = grid();
    int vector = grid.patchVectorLength(image.channels());
    float[] pixels = new float[keptSpatial.length * vector];
    for (int k = 0; k < keptSpatial.length; k++) {
      image.patchVector(grid, keptSpatial[k], pixels, k * vector);
    }
    return pixels;
  }

  /** The dense per-patch scores that decided the selection. */
  public PatchScores scores() {
    return scores;
  }

  /** The image with every dropped patch set to 0 (normalized units), same shape as the input. */
  public ImageTensor keptImage() {
    ImageTensor built = keptImage;
    if (built == null) {
      // Two threads may both build it; they build equal values, and either may be kept.
      built = blankDropped();
      keptImage = built;
    }
    return built;
  }

  private ImageTensor blankDropped() {
    PatchGrid grid = grid();
    boolean[] mask = keepMask();
    float[] blanked = image.toArray();
    int p = grid.patchSize();
    int h = image.height();
    int w = image.width();
    for (int patch = 0; patch < mask.length; patch++) {
      if (mask[patch]) {
        continue;
      }
      int y0 = grid.row(patch) * p;
      int x0 = grid.col(patch) * p;
      for (int c = 0; c < image.channels(); c++) {
        for (int y = y0; y < y0 + p; y++) {
          Arrays.fill(blanked, (c * h + y) * w + x0, (c * h + y) * w + x0 + p, 0f);
        }
      }
    }
    return ImageTensor.of(image.channels(), h, w, blanked);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reduction other
        && scores.equals(other.scores)
        && Arrays.equals(keptRanked, other.keptRanked)
        && keptImage().equals(other.keptImage());
  }

  @Override
  public int hashCode() {
    return 31 * (31 * scores.hashCode() + Arrays.hashCode(keptRanked)) + keptImage().hashCode();
  }

  @Override
  public String toString() {
    return "Reduction[kept "
        + keptRanked.length
        + " of "
        + grid().numPatches()
        + ": "
        + Arrays.toString(keptRanked)
        + "]";
  }
}
