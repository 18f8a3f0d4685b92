package dev.ltrp.eval.train;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.core.metrics.RankingMetrics;
import dev.ltrp.eval.EvalBatches;
import dev.ltrp.eval.KeptPatchStats;
import dev.ltrp.eval.data.LabeledDataset;
import dev.ltrp.eval.downstream.ScoreFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What a file of {@link OracleMaps} keeps, for the oracle ablation: the share of empty background
 * among the top 10% and 25% of each map, and, given a second file of the same images, the mean
 * Kendall τ between the two maps of an image. The maps are of Fashion-MNIST training images {@code
 * FROM, FROM+1, …} (from 50,000: the validation split).
 *
 * <pre>{@code OracleMapStats DATA_DIR MAPS.bin FROM [BASE.bin]}</pre>
 */
public final class OracleMapStats {

  private OracleMapStats() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: OracleMapStats DATA_DIR MAPS.bin FROM [BASE.bin]");
      System.exit(2);
    }
    LabeledDataset data = LabeledDataset.open("fashion-mnist", Path.of(args[0]));
    PatchGrid grid = data.grid();
    List<PatchScores> maps = ScoreFile.read(Path.of(args[1]), grid);
    int from = Integer.parseInt(args[2]);
    int[] indices =
        IntStream.range(from, from + maps.size()).map(i -> i < 50_000 ? i : i - 50_000).toArray();
    List<ImageTensor> images =
        EvalBatches.images(
            from < 50_000 ? data.train().subset(indices) : data.val().subset(indices));
    StringBuilder out = new StringBuilder("{\"maps\":\"" + args[1] + "\"");
    for (double ratio : new double[] {0.10, 0.25}) {
      int k = RedundancyReducer.keepCount(grid.numPatches(), ratio);
      List<int[]> kept = new ArrayList<>();
      for (PatchScores m : maps) {
        kept.add(m.topK(k));
      }
      out.append(
          String.format(
              Locale.ROOT,
              ",\"background_at_%.2f\":%.4f",
              ratio,
              KeptPatchStats.backgroundShare(images, kept, grid)));
    }
    if (args.length == 4) {
      List<PatchScores> base = ScoreFile.read(Path.of(args[3]), grid);
      double tau = 0;
      for (int i = 0; i < maps.size(); i++) {
        tau += RankingMetrics.kendallTauB(maps.get(i).scores(), base.get(i).scores());
      }
      out.append(String.format(Locale.ROOT, ",\"kendall_tau_vs_base\":%.4f", tau / maps.size()));
    }
    System.out.println(out.append('}'));
  }
}
