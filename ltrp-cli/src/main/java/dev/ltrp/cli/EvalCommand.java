package dev.ltrp.cli;

import dev.ltrp.eval.ResultPlots;
import dev.ltrp.eval.EvaluationReport;
import dev.ltrp.eval.EvaluationSettings;
import dev.ltrp.eval.LtrpEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltrp eval}: reproduces the LTRP paper's central claims at CPU scale on Fashion-MNIST
 * ({@link LtrpEvaluation}) and writes {@code OUT/RESULTS.md} with the tables, the settings, the
 * machine and the time taken, plus PNG plots in {@code OUT/results/}. Prints one JSON summary line.
 *
 * <p>Not thread-safe: picocli creates one instance per command line.
 */
@Command(
    name = "eval",
    description = {
        "Reproduce the paper's claims at CPU scale on Fashion-MNIST: downstream accuracy with the"
            + " kept patches for LTRP and the baselines, ranking quality against the oracle, and"
            + " the unbiased (unseen classes) comparison.",
        "Writes OUT/RESULTS.md and OUT/results/*.png (default OUT: docs). Needs the"
            + " dataset-fashion-mnist package."},
    sortOptions = false)
public final class EvalCommand extends LtrpSubcommand {

  @Option(names = "--data", paramLabel = "DIR",
      defaultValue = "/usr/share/datasets/fashion-mnist",
      description = "Folder of Fashion-MNIST's IDX files (default: ${DEFAULT-VALUE}).")
  private Path data;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs",
      description = "Where RESULTS.md and results/*.png go (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(names = "--seeds", paramLabel = "N",
      description = "Independent repetitions (default: 3, or 1 with --quick).")
  private Integer seeds;

  @Option(names = "--quick",
      description = "A reduced run (a few minutes) of the same pipeline.")
  private boolean quick;

  @Override
  protected int run() throws IOException {
    System.setProperty("java.awt.headless", "true");
    requireDirectory("--data", data);
    EvaluationSettings base = quick ? EvaluationSettings.quick() : EvaluationSettings.full();
    if (seeds != null) {
      requirePositive("--seeds", seeds);
      base = new EvaluationSettings(base.trainImages(), base.testImages(), base.qualityImages(),
          seeds, base.batch(), base.maeSteps(), base.rankerSteps(), base.classifierSteps(),
          base.maskRatio(), base.mae(), base.vit());
    }
    EvaluationReport report = LtrpEvaluation.run(data, base, errStream());
    Files.createDirectories(out);
    List<Path> plots = ResultPlots.write(report, out.resolve("results"));
    Files.writeString(out.resolve("RESULTS.md"), markdown(report, plots));
    out().printf(Locale.ROOT, "{\"results\":\"%s\",\"seconds\":%.0f,\"ltrp_minus_random_at_25\":%.4f}%n",
        out.resolve("RESULTS.md"), report.seconds(), margin(report, EvaluationReport.RANDOM, 0.25));
    out().flush();
    return 0;
  }

  private String markdown(EvaluationReport report, List<Path> plots) {
    EvaluationSettings s = report.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Results: the paper's claims at CPU scale\n\n")
        .append("Written by `bin/ltrp eval").append(quick ? " --quick" : "")
        .append("` on ").append(LocalDate.now()).append(" in ")
        .append(String.format(Locale.ROOT, "%.1f minutes", report.seconds() / 60))
        .append(" (").append(machine()).append("). Rerun the command to reproduce;")
        .append(" every number below comes from that run.\n\n");
    md.append("## Setting\n\n")
        .append("- Data: Fashion-MNIST (Debian `dataset-fashion-mnist`), 28×28 grayscale,")
        .append(" 4-pixel patches: a 7×7 grid of 49 patches. ").append(s.trainImages())
        .append(" training images (labels used only by the classifiers), ")
        .append(s.testImages()).append(" test images.\n")
        .append("- Oracle: a MAE (").append(s.mae().embedDim()).append(" wide, ")
        .append(s.mae().depth()).append(" blocks; decoder ").append(s.mae().decoderEmbedDim())
        .append(" × ").append(s.mae().decoderDepth()).append(") pretrained without labels for ")
        .append(s.maeSteps()).append(" steps of ").append(s.batch())
        .append(" images at mask ratio 0.75; scores with decoder-attention removal at mask ratio ")
        .append(s.maskRatio()).append(" (12 of 49 patches visible).\n")
        .append("- LTRP: a ViT ranker (").append(s.vit().embedDim()).append(" wide, ")
        .append(s.vit().depth()).append(" blocks) trained for ").append(s.rankerSteps())
        .append(" steps on the oracle's online pseudo-labels, ListMLE. The hybrid keeps")
        .append(" 70% of K by score and the rest for DPC-KNN diversity.\n")
        .append("- Downstream: a ViT classifier of the same size trained for ")
        .append(s.classifierSteps()).append(" steps on whole images with random patch dropping")
        .append(" (10–100% kept; half the subsets uniform, half the top of a random")
        .append(" content-dependent score, so that no selection rule's statistics are a shortcut);")
        .append(" at test time it sees only the kept patches (token dropping).\n")
        .append("- Supervised ranker: that classifier's class-token attention in its last block.\n")
        .append("- Oracle ranker: the MAE's full score map (covering visible sets, mean rank")
        .append(" quantile per patch).\n")
        .append("- Unbiased: a second MAE and LTRP ranker trained without labels on images of")
        .append(" classes 0–4 only, and a supervised ranker whose classifier learned classes 0–4;")
        .append(" both rank test images of the unseen classes 5–9, which the ten-class")
        .append(" classifier then recognizes from the kept patches.\n")
        .append("- ").append(s.seeds()).append(" seed(s); each seed trains every model anew.\n\n");
    md.append("## Results\n\n").append(report.tables()).append('\n');
    md.append("## Findings (computed from the tables above)\n\n");
    for (double ratio : new double[] {0.10, 0.25, 0.50}) {
      md.append(String.format(Locale.ROOT, "- Keep %.0f%%: LTRP %s random by %.1f points, %s pixel"
              + " variance by %.1f, %s the supervised ranker by %.1f, and is %.1f points from its"
              + " oracle.%n", 100 * ratio,
          verb(margin(report, EvaluationReport.RANDOM, ratio)),
          Math.abs(100 * margin(report, EvaluationReport.RANDOM, ratio)),
          verb(margin(report, EvaluationReport.VARIANCE, ratio)),
          Math.abs(100 * margin(report, EvaluationReport.VARIANCE, ratio)),
          verb(margin(report, EvaluationReport.SUPERVISED, ratio)),
          Math.abs(100 * margin(report, EvaluationReport.SUPERVISED, ratio)),
          Math.abs(100 * margin(report, EvaluationReport.ORACLE, ratio))));
    }
    double unbiased = meanAt(report.unbiased(), EvaluationReport.LTRP, 0.25)
        - meanAt(report.unbiased(), EvaluationReport.SUPERVISED, 0.25);
    md.append(String.format(Locale.ROOT, "- Unseen classes at 25%% keep: LTRP %s the supervised"
        + " ranker by %.1f points.%n", verb(unbiased), Math.abs(100 * unbiased)));
    md.append(String.format(Locale.ROOT, "- At 25%% keep, %.0f%% of LTRP's patches and %.0f%% of"
            + " its oracle's are empty background (random: %.0f%%); LTRP's kept patches lie %.2f"
            + " patch widths apart on average, random ones %.2f.%n%n",
        100 * keptMean(report, EvaluationReport.LTRP, 0),
        100 * keptMean(report, EvaluationReport.ORACLE, 0),
        100 * keptMean(report, EvaluationReport.RANDOM, 0),
        keptMean(report, EvaluationReport.LTRP, 1), keptMean(report, EvaluationReport.RANDOM, 1)));
    md.append("## Reading the results\n\n")
        .append("Fashion-MNIST is not ImageNet: each object is centred on an empty black ")
        .append("background and ")
        .append("the classifier sees at most 49 patches. The table of what each ranker keeps ")
        .append("explains ")
        .append("much of the accuracy table. A patch of empty background tells the classifier ")
        .append("little ")
        .append("beyond where the object is not, so a ranker that spends more of its budget on ")
        .append("background ")
        .append("than random picks do (the Random row shows the images' own share) pays for it ")
        .append("at low ")
        .append("keep ratios; a ranker that clusters its picks (a spread below random's) loses ")
        .append("the ")
        .append("object's overall shape, and the diversity hybrid buys coverage back. The oracle ")
        .append("scores a ")
        .append("patch by how much the MAE's reconstruction of the masked patches changes ")
        .append("without it: for ")
        .append("a small MAE a visible patch of background next to the silhouette pins the ")
        .append("outline over ")
        .append("many masked patches, so the oracle, and LTRP, which learns to reproduce it (the ")
        .append("ranking-quality table), can value background that a classifier does not need. ")
        .append("Where LTRP ")
        .append("tracks its oracle and the oracle trails random too, the ranker learned what it ")
        .append("was ")
        .append("taught: the limit is the teacher at this scale, not the learning to rank. The ")
        .append("paper's ")
        .append("models (ViT-B MAE, ImageNet, 400 epochs) are far beyond a 2-core CPU budget.")
        .append("\n\n");
    md.append("## Plots\n\n");
    for (Path p : plots) {
      md.append("![").append(p.getFileName()).append("](results/").append(p.getFileName())
          .append(")\n\n");
    }
    md.append("## Reproduce\n\n```bash\napt-get install -y dataset-fashion-mnist\nbin/ltrp eval")
        .append(quick ? " --quick" : "").append("\n```\n");
    return md.toString();
  }

  private static double keptMean(EvaluationReport report, String ranker, int column) {
    return java.util.Arrays.stream(report.keptAtQuarter().get(ranker))
        .mapToDouble(v -> v[column]).average().orElse(Double.NaN);
  }

  private static String verb(double margin) {
    return margin >= 0 ? "beats" : "trails";
  }

  private static double margin(EvaluationReport report, String other, double ratio) {
    return meanAt(report.accuracy(), EvaluationReport.LTRP, ratio)
        - meanAt(report.accuracy(), other, ratio);
  }

  private static double meanAt(Map<String, Map<Double, double[]>> data, String ranker,
      double ratio) {
    return EvaluationReport.mean(data.get(ranker).get(ratio));
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: the processor count and Java version still describe the machine
    }
    return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB max heap, Java %s, ND4J %s",
        cpu, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"), "1.0.0-M2.1");
  }
}
