package dev.ltrp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.eval.data.LabeledDataset;
import dev.ltrp.eval.downstream.DownstreamEvaluation;
import dev.ltrp.eval.downstream.RankerFineTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltrp eval}: the paper's downstream protocol on a labeled dataset ({@link
 * DownstreamEvaluation}): every ranker gets its own classifier, fine-tuned from the teacher's
 * encoder on the patches it keeps. Writes {@code OUT/results.json}, {@code OUT/RESULTS.md}, {@code
 * OUT/accuracy.png} and the raw {@code OUT/downstream.jsonl}; prints one JSON line.
 *
 * <p>Not thread-safe: picocli creates one instance per command line.
 */
@Command(
    name = "eval",
    description = {
      "Downstream accuracy with only the kept patches, the paper's protocol: one classifier per"
          + " ranker and keep ratio, fine-tuned from the teacher MAE's encoder on that ranker's"
          + " selections and evaluated on its selections.",
      "Rankers: ltrp, hybrid, oracle, random, variance, dpc-knn, supervised, center, all."
          + " On fashion-mnist the committed teacher and ranker are reused (--retrain trains"
          + " them anew); on other datasets they are trained without labels first.",
      "Writes OUT/results.json, OUT/RESULTS.md, OUT/accuracy.png and OUT/downstream.jsonl;"
          + " rerunning with the same OUT continues where a run stopped."
    },
    sortOptions = false)
public final class EvalCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--dataset",
      paramLabel = "SPEC",
      defaultValue = "fashion-mnist",
      description =
          "fashion-mnist, fashion-mnist-clutter (items at random places and scales"
              + " over crops of photos, 56x56), idx:DIR (train-/t10k- IDX files), idx:PREFIX"
              + " (PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz]),"
              + " idx:IMAGES,LABELS or folder:DIR (one subfolder of images per class, read as 28x28"
              + " grayscale; default: ${DEFAULT-VALUE}).")
  private String dataset;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "/usr/share/datasets/fashion-mnist",
      description =
          "Folder of Fashion-MNIST's IDX files (default: ${DEFAULT-VALUE}, Debian's"
              + " dataset-fashion-mnist).")
  private Path data;

  @Option(
      names = "--backgrounds",
      paramLabel = "DIR",
      defaultValue = "/usr/share/backgrounds/mate/nature",
      description =
          "Photos behind fashion-mnist-clutter's items (default: ${DEFAULT-VALUE},"
              + " Debian's mate-backgrounds).")
  private Path backgrounds;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "full",
      description =
          "quick (minutes: checks the pipeline, ranks nothing) or full (the protocol"
              + " of docs/DOWNSTREAM.md, about an hour per seed on 2 cores; default: ${DEFAULT-VALUE}).")
  private String preset;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "test",
      description = "val (choose settings here) or test (report once; default: ${DEFAULT-VALUE}).")
  private String split;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Independent repetitions (default: the preset's, 3 for full, 1 for quick).")
  private Integer seeds;

  @Option(
      names = "--rankers",
      paramLabel = "IDS",
      split = ",",
      description = "Rankers to run (default: all nine).")
  private List<String> rankers;

  @Option(
      names = "--ratios",
      paramLabel = "R",
      split = ",",
      description = "Keep ratios in (0, 1) (default: the preset's, 0.10,0.25,0.50 for full).")
  private List<Double> ratios;

  @Option(
      names = "--retrain",
      description =
          "Train the teacher MAE and the LTRP ranker in OUT even where committed ones"
              + " exist (a full-preset teacher takes about 1.5 hours on 2 cores).")
  private boolean retrain;

  @Option(
      names = "--teacher",
      paramLabel = "MAE.safetensors",
      description =
          "Evaluate with this teacher checkpoint instead (the LTRP ranker is trained"
              + " for it in OUT): one point of the teacher-quality curve.")
  private Path teacher;

  @Option(
      names = "--unseen",
      description =
          "Also run the unseen-classes experiment (OUT/unseen): teacher, ranker and the"
              + " supervised ranker learn classes 0-4, every ranker is evaluated on classes 5-9"
              + " (trains a teacher: about 1.5 hours with the full preset).")
  private boolean unseen;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "eval-results",
      description = "Output folder (default: ${DEFAULT-VALUE}); never the committed docs/.")
  private Path out;

  @Override
  protected int run() throws IOException {
    System.setProperty("java.awt.headless", "true");
    DownstreamEvaluation.Preset p;
    try {
      p = DownstreamEvaluation.Preset.named(preset);
    } catch (IllegalArgumentException e) {
      throw usageError("--preset: " + e.getMessage());
    }
    if (seeds != null) {
      requirePositive("--seeds", seeds);
    }
    DownstreamEvaluation.Options options;
    LabeledDataset labeled;
    try {
      labeled = LabeledDataset.open(dataset, data, backgrounds);
      options =
          new DownstreamEvaluation.Options(
              labeled,
              p,
              seeds != null ? seeds : p.seeds(),
              split,
              out,
              retrain,
              rankers != null ? rankers : RankerFineTuning.RANKERS,
              ratios != null ? ratios : p.ratios(),
              teacher != null ? requireFile("--teacher", teacher) : null,
              unseen);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    Path results = DownstreamEvaluation.run(options, errStream());
    JsonNode json = JSON.readTree(results.toFile());
    out()
        .println(
            JSON.createObjectNode()
                .put("results", results.toString())
                .put("report", out.resolve("RESULTS.md").toString())
                .put("seconds", Math.round(json.get("seconds").asDouble()))
                .set("accuracy", json.get("accuracy")));
    out().flush();
    return 0;
  }
}
