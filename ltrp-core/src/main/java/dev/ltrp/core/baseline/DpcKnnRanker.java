package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.selection.DensityPeaks;
import dev.ltrp.core.selection.DpcKnn;
import java.util.Objects;

/**
 * Ranks patches by how much they look like DPC-KNN cluster centers: the "DPC-KNN" baseline of the
 * paper, which keeps the most representative patches of the image's pixel clusters.
 *
 * <p>The score of patch {@code i} is DPC-KNN's center score {@code γ_i = δ_i · ρ_i} ({@link
 * DensityPeaks#centerScore(int)}) over the raw normalized patch vectors ({@link Patchify}): local
 * density times the distance to the nearest denser patch. Keeping the top {@code K} by this score
 * keeps exactly the {@code K} centers that {@link DpcKnn#cluster} would choose, unless two scores
 * differ by less than float precision (the cast to float can then merge them into a tie, broken by
 * the lower index). Scores are in {@code [0, max δ]}, in the units of the image. Cost {@code O(L² ·
 * p² · C)} per image.
 *
 * <p>Immutable and thread-safe.
 */
public final class DpcKnnRanker extends ImageRanker {

  private final DpcKnn dpcKnn;

  private DpcKnnRanker(PatchGrid grid, int channels, DpcKnn dpcKnn) {
    super(grid, channels);
    this.dpcKnn = Objects.requireNonNull(dpcKnn, "dpcKnn");
  }

  /** A DPC-KNN ranker with the reference's 5 neighbours ({@link DpcKnn#standard()}). */
  public static DpcKnnRanker of(PatchGrid grid, int channels) {
    return new DpcKnnRanker(grid, channels, DpcKnn.standard());
  }

  /**
   * A DPC-KNN ranker with the given clustering settings.
   *
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  public static DpcKnnRanker of(PatchGrid grid, int channels, DpcKnn dpcKnn) {
    return new DpcKnnRanker(grid, channels, dpcKnn);
  }

  /** Per patch, its DPC-KNN center score {@code δ · ρ}. */
  @Override
  float[] scores(ImageTensor image) {
    PatchGrid grid = grid();
    int channels = channels();
    float[] vectors = Patchify.patchify(image, grid);
    DensityPeaks peaks = dpcKnn.densityPeaks(vectors, grid.patchVectorLength(channels));
    float[] scores = new float[grid.numPatches()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) peaks.centerScore(i);
    }
    return scores;
  }

  @Override
  public String toString() {
    return "DpcKnnRanker[" + grid() + ", " + dpcKnn + "]";
  }
}
