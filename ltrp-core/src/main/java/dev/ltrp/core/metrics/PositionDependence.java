package dev.ltrp.core.metrics;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import java.util.List;
import java.util.Objects;

/**
 * How much a ranker ranks by position in the frame rather than by content: the mean Spearman
 * correlation between the score maps of different images. A ranker that gives every image the same
 * order scores 1; one whose order depends on the image only, on images whose content sits anywhere,
 * scores near 0. Pixel variance on the same images is the reference point: whatever position
 * dependence the images themselves have (objects centred, sky at the top) shows there too.
 *
 * <p>Use it on held-out images of the kind a ranker will see; a value well above pixel variance's
 * means the ranker learned where things usually are, not what they are (issue 13 found 0.89 for an
 * under-trained default ranker against 0.10 for variance). Thread-safe (static).
 */
public final class PositionDependence {

  private PositionDependence() {}

  /**
   * The mean Spearman ρ over all pairs of different maps.
   *
   * @param maps dense score maps of different images on one grid; at least two
   * @return the mean pairwise ρ in [−1, 1], over the pairs where neither map is constant (NaN if
   *     there is no such pair)
   * @throws IllegalArgumentException if there are fewer than two maps, a map is sparse, or the
   *     grids differ
   */
  public static double meanPairwiseSpearman(List<PatchScores> maps) {
    Objects.requireNonNull(maps, "maps");
    if (maps.size() < 2) {
      throw new IllegalArgumentException(
          "position dependence compares different images: need at least 2 score maps, got "
              + maps.size());
    }
    PatchGrid grid = maps.get(0).grid();
    float[][] scores = new float[maps.size()][];
    for (int i = 0; i < maps.size(); i++) {
      PatchScores map = maps.get(i);
      if (!map.grid().equals(grid)) {
        throw new IllegalArgumentException(
            "score map " + i + " is on " + map.grid() + ", map 0 on " + grid);
      }
      if (!map.isDense()) {
        throw new IllegalArgumentException("score map " + i + " is not dense");
      }
      scores[i] = map.scores();
    }
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = i + 1; j < scores.length; j++) {
        double rho = RankingMetrics.spearmanRho(scores[i], scores[j]);
        // A constant map (a blank image's pixel variance) has no order to compare.
        if (!Double.isNaN(rho)) {
          sum += rho;
          pairs++;
        }
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }
}
