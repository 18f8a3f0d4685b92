package dev.ltrp.eval.train;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.baseline.OracleRanker;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.eval.EvalBatches;
import dev.ltrp.eval.downstream.ScoreFile;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The teacher oracle's full score maps of a range of Fashion-MNIST training images (covering
 * visible sets from seed 0; by default decoder removal, L1 and mean rank quantiles, the reference's
 * choices), in {@link ScoreFile} format: the offline targets of {@link EvalRankerTraining}, the
 * {@code oracle} ranker's maps in the downstream protocol, and the variants of the oracle ablation.
 * Indices from 50,000 are the validation split. Ranges let two single-threaded processes share the
 * work on a 2-core machine; {@code merge} joins their files in order.
 *
 * <pre>{@code
 * OracleMaps DATA_DIR MAE.safetensors MASK_RATIO FROM TO OUT.bin [REMOVAL [DISTANCE [AGGREGATE]]]
 * OracleMaps merge OUT.bin PART.bin...
 * }</pre>
 */
public final class OracleMaps {

  private OracleMaps() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 3 && args[0].equals("merge")) {
      // Only rows x cols matter for stored scores; the first part's header gives them.
      int side = (int) Math.round(Math.sqrt(ScoreFile.patchCount(Path.of(args[2]))));
      PatchGrid grid = PatchGrid.of(side, 1);
      List<PatchScores> all = new ArrayList<>();
      for (int a = 2; a < args.length; a++) {
        all.addAll(ScoreFile.read(Path.of(args[a]), grid));
      }
      ScoreFile.write(Path.of(args[1]), all);
      System.out.println("{\"out\":\"" + args[1] + "\",\"images\":" + all.size() + "}");
      return;
    }
    if (args.length < 6 || args.length > 9) {
      System.err.println(
          "usage: OracleMaps DATA_DIR MAE MASK_RATIO FROM TO OUT.bin"
              + " [decoder|encoder|mask-token [l1|l2 [rank-quantiles|scores]]]"
              + " | OracleMaps merge OUT.bin PART.bin...");
      System.exit(2);
    }
    RemovalMode removal =
        args.length > 6 ? RemovalMode.parse(args[6]) : RemovalMode.DECODER_ATTENTION;
    ReconstructionDistance distance =
        args.length > 7 ? ReconstructionDistance.parse(args[7]) : ReconstructionDistance.L1;
    OracleRanker.Aggregate aggregate =
        args.length > 8 ? aggregate(args[8]) : OracleRanker.Aggregate.MEAN_RANK_QUANTILES;
    MaeWeights mae = MaeWeights.load(Path.of(args[1]), null);
    double maskRatio = Double.parseDouble(args[2]);
    int from = Integer.parseInt(args[3]);
    int to = Integer.parseInt(args[4]);
    IdxImages images =
        IdxImages.read(
                Path.of(args[0]).resolve("train-images-idx3-ubyte.gz"),
                null,
                mae.config().grid(),
                mae.config().inChans(),
                IdxImages.fashionMnistNormalization(mae.config().inChans()),
                null)
            .subset(IntStream.range(from, to).toArray());
    long started = System.nanoTime();
    List<PatchScores> maps;
    MaeScoreOracle scorer =
        MaeScoreOracle.builder(mae).optRemovalMode(removal).optDistance(distance).build();
    try (OracleRanker oracle =
        OracleRanker.builder(scorer)
            .optMaskRatio(maskRatio)
            .optSeed(0)
            .optAggregate(aggregate)
            .optCloseOracle(true)
            .build()) {
      maps = EvalBatches.rankAll(oracle, EvalBatches.images(images));
    }
    ScoreFile.write(Path.of(args[5]), maps);
    System.out.printf(
        "{\"out\":\"%s\",\"images\":%d,\"seconds\":%.1f}%n",
        args[5], maps.size(), (System.nanoTime() - started) / 1e9);
  }

  private static OracleRanker.Aggregate aggregate(String name) {
    return switch (name) {
      case "rank-quantiles" -> OracleRanker.Aggregate.MEAN_RANK_QUANTILES;
      case "scores" -> OracleRanker.Aggregate.MEAN_SCORES;
      default ->
          throw new IllegalArgumentException(
              "unknown aggregate '" + name + "': expected rank-quantiles or scores");
    };
  }
}
