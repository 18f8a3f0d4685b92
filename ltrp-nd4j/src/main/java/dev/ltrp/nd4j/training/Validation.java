package dev.ltrp.nd4j.training;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.baseline.PixelVarianceRanker;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.Seeds;
import dev.ltrp.core.metrics.PositionDependence;
import dev.ltrp.core.metrics.RankingReport;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.training.PseudoLabels;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ranking quality on held-out images: the ranker's full-image logits at fixed visible sets ({@value
 * #ROUNDS} per image, seeded) against the oracle's scores of those sets (computed once: the oracle
 * is frozen), as Kendall τ, Spearman ρ, NDCG@k and top-k overlap with {@code k = ceil(n/4)},
 * averaged over all sets; and how much the ranker ranks by position ({@link PositionDependence} of
 * its full-image maps of the held-out images, beside pixel variance's on the same images).
 */
final class Validation {

  private static final int BATCH = 16;

  /**
   * Visible sets per held-out image: several, so that a few held-out images still give a stable
   * mean.
   */
  static final int ROUNDS = 4;

  private final RankerConfig config;
  private final float[] positionTable;
  private final List<ImageTensor> images = new ArrayList<>();
  private final List<PatchScores> targets;
  private final int k;
  private final double variancePositionSpearman;

  Validation(
      ImageSource heldOut,
      RankerConfig config,
      PseudoLabels labels,
      double maskRatio,
      long seed,
      float[] positionTable)
      throws IOException {
    this.config = config;
    this.positionTable = positionTable;
    PatchGrid grid = config.grid();
    List<String> names = new ArrayList<>();
    List<VisibleSet> visible = new ArrayList<>();
    List<ImageTensor> repeated = new ArrayList<>();
    for (int i = 0; i < heldOut.size(); i++) {
      ImageTensor image = heldOut.image(i);
      images.add(image);
      for (int r = 0; r < ROUNDS; r++) {
        repeated.add(image);
        names.add(heldOut.name(i));
        visible.add(VisibleSet.random(grid, maskRatio, Seeds.random(seed, "validation", i, r)));
      }
    }
    this.targets = labels.label(names, repeated, visible);
    this.k = (int) Math.ceil(visible.get(0).size() / 4.0);
    PixelVarianceRanker variance = PixelVarianceRanker.of(grid, config.inChans());
    List<PatchScores> varianceMaps = new ArrayList<>();
    for (ImageTensor image : images) {
      varianceMaps.add(variance.rank(image));
    }
    this.variancePositionSpearman = positionSpearman(varianceMaps);
  }

  /**
   * One validation: the ranking report against the oracle and the position dependence of the
   * ranker's full-image maps ({@link PositionDependence}, NaN with fewer than two images).
   */
  record Result(RankingReport report, double positionSpearman) {}

  /**
   * The position dependence of pixel variance on the held-out images: the reference for {@link
   * Result#positionSpearman()} (what the images themselves put in the same places).
   */
  double variancePositionSpearman() {
    return variancePositionSpearman;
  }

  /** Evaluates the graph's current weights; runs on the graph's engine thread. */
  Result evaluate(SameDiff sd) {
    List<RankingReport> reports = new ArrayList<>();
    List<PatchScores> maps = new ArrayList<>();
    int n = config.numPatches();
    for (int start = 0; start < images.size(); start += BATCH) {
      List<ImageTensor> chunk = images.subList(start, Math.min(images.size(), start + BATCH));
      Map<String, INDArray> in = RankerGraph.fullImageInputs(chunk, positionTable, config);
      Map<String, INDArray> out = null;
      try {
        out = sd.output(in, RankerGraph.LOGITS);
        float[] logits = GraphArrays.toFloats(out.get(RankerGraph.LOGITS));
        for (int i = 0; i < chunk.size(); i++) {
          PatchScores predicted =
              PatchScores.dense(
                  config.grid(), java.util.Arrays.copyOfRange(logits, i * n, (i + 1) * n));
          maps.add(predicted);
          for (int r = 0; r < ROUNDS; r++) {
            reports.add(RankingReport.of(predicted, targets.get((start + i) * ROUNDS + r), k));
          }
        }
      } finally {
        GraphArrays.closeAll(in);
        GraphArrays.closeAll(out);
      }
    }
    return new Result(RankingReport.mean(reports), positionSpearman(maps));
  }

  private static double positionSpearman(List<PatchScores> maps) {
    return maps.size() < 2 ? Double.NaN : PositionDependence.meanPairwiseSpearman(maps);
  }
}
