package dev.ltrp.eval.downstream;

import dev.ltrp.eval.TeacherQuality;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code RESULTS.md} of a {@link DownstreamEvaluation}: settings, the accuracy table, the
 * teacher's quality and the margins that the goal of the evaluation names, every number computed
 * from the run's own results.
 */
final class DownstreamMarkdown {

  private DownstreamMarkdown() {}

  static String report(
      DownstreamEvaluation.Options o,
      String origin,
      RankerFineTuning.Settings s,
      Map<String, Map<String, List<Double>>> accuracy,
      Map<String, Map<String, List<Double>>> unseen,
      TeacherQuality.Result teacher,
      double seconds,
      double classifierSeconds) {
    StringBuilder md = new StringBuilder();
    String command =
        "bin/ltrp eval --dataset "
            + o.data().name()
            + " --preset "
            + o.preset().name()
            + " --split "
            + o.split()
            + " --seeds "
            + o.seeds()
            + (o.ratios().equals(o.preset().ratios()) ? "" : " --ratios " + join(o.ratios()))
            + (o.rankers().equals(RankerFineTuning.RANKERS)
                ? ""
                : " --rankers " + String.join(",", o.rankers()))
            + (o.teacher() != null ? " --teacher " + o.teacher() : "")
            + (o.unseen() ? " --unseen" : "")
            + (o.retrain() ? " --retrain" : "");
    md.append("# Downstream evaluation: ")
        .append(o.data().name())
        .append(", ")
        .append(o.split().equals("test") ? "test" : "validation")
        .append(" split\n\n")
        .append("Written by `")
        .append(command)
        .append("` on ")
        .append(LocalDate.now())
        .append(" in ")
        .append(String.format(Locale.ROOT, "%.1f minutes", seconds / 60))
        .append(" (")
        .append(machine())
        .append("; the classifiers of its `downstream.jsonl`, ")
        .append("including any a previous run of the same command left there, took ")
        .append(String.format(Locale.ROOT, "%.0f minutes", classifierSeconds / 60))
        .append(" of fine-tuning and evaluation in all). Every number below comes from that ")
        .append("`downstream.jsonl`; rerun the command to reproduce it.\n\n");
    if (o.preset().name().equals("quick")) {
      md.append("> **Quick preset.** It checks that the pipeline works end to end. Its ")
          .append("classifiers see ")
          .append(s.trainImages())
          .append(" images for ")
          .append(s.steps())
          .append(" steps and are far from converged: its numbers do not ")
          .append("tell which ranker is better. Use `--preset full` for that.\n\n");
    }
    int n = o.data().grid().numPatches();
    md.append("## Setting\n\n")
        .append("- Data: ")
        .append(o.data().name())
        .append(", ")
        .append(o.data().grid().imageHeight())
        .append("×")
        .append(o.data().grid().imageWidth())
        .append(" pixels in a ")
        .append(o.data().grid().rows())
        .append("×")
        .append(o.data().grid().cols())
        .append(" grid of ")
        .append(n)
        .append(" patches, ")
        .append(o.data().classes())
        .append(" classes. Classifiers are fine-tuned on the first ")
        .append(s.trainImages())
        .append(" training images and evaluated on ")
        .append(s.evalImages())
        .append(" ")
        .append(o.split().equals("test") ? "test" : "validation")
        .append(" images.\n")
        .append("- Teacher and LTRP ranker: ")
        .append(
            origin.equals("committed")
                ? "the committed models (`ltrp-eval/models/fashion-mnist`, docs/DOWNSTREAM.md)"
                : origin.equals("trained")
                    ? "trained by this run without labels on the training split (kept in the output"
                        + " folder)"
                    : origin + " (without labels, kept in the output folder)")
        .append(".\n")
        .append("- Protocol (the paper's): every ranker and keep ratio gets its own classifier,")
        .append(" initialised from the teacher's encoder and fine-tuned for ")
        .append(s.steps())
        .append(" steps × ")
        .append(s.batch())
        .append(" images (AdamW, peak lr ")
        .append(s.lr())
        .append(", cosine) on the patches this ranker keeps, then evaluated on ")
        .append("the patches it keeps of each evaluation image. K = round(ratio · ")
        .append(n)
        .append(").\n")
        .append("- ")
        .append(o.seeds())
        .append(" seed(s): mean ± sample standard deviation.\n\n");
    md.append("## Accuracy (%)\n\n")
        .append(DownstreamReport.markdown(accuracy))
        .append("\n![accuracy](accuracy.png)\n\n");
    if (unseen != null) {
      int half = o.data().classes() / 2;
      md.append("## Unseen classes (%)\n\n")
          .append("Teacher and LTRP ranker trained without labels on classes 0–")
          .append(half - 1)
          .append(", the supervised ranker's classifier on the same classes with labels; every")
          .append(" ranker then selects patches of classes ")
          .append(half)
          .append("–")
          .append(o.data().classes() - 1)
          .append(", and its own classifier is fine-tuned and")
          .append(" evaluated on those (`unseen/downstream.jsonl`).\n\n")
          .append(DownstreamReport.markdown(unseen))
          .append('\n');
      for (double ratio : o.ratios()) {
        String key = DownstreamReport.ratioKey(ratio);
        md.append("- Keep ").append(Math.round(100 * ratio)).append("%:");
        appendMargin(md, unseen, "ltrp", "supervised", key);
        appendMargin(md, unseen, "ltrp", "random", key);
        md.setLength(md.length() - 1);
        md.append(".\n");
      }
      md.append('\n');
    }
    md.append(
        String.format(
            Locale.ROOT,
            "## Teacher%n%nMasked-patch reconstruction error on %d"
                + " evaluation images (mask ratio %.2f): %.3f; copying the nearest visible patch:"
                + " %.3f (ratio %.2f; below 1 means the teacher learned more than a copy).%n%n",
            teacher.images(),
            DownstreamEvaluation.MASK_RATIO,
            teacher.reconstructionError(),
            teacher.nearestVisibleError(),
            teacher.ratio()));
    md.append("## Margins (computed)\n\n");
    for (double ratio : o.ratios()) {
      String key = DownstreamReport.ratioKey(ratio);
      md.append("- Keep ").append(Math.round(100 * ratio)).append("%:");
      for (String other : List.of("random", "variance", "center", "supervised", "oracle")) {
        appendMargin(md, accuracy, "ltrp", other, key);
      }
      appendMargin(md, accuracy, "hybrid", "ltrp", key);
      md.setLength(md.length() - 1);
      md.append(".\n");
    }
    if (o.data().name().equals("fashion-mnist") && !o.preset().name().equals("quick")) {
      md.append("\n## Against the goal of issue 12 (computed)\n\n");
      goal(md, accuracy, "ltrp", "random", "0.10", 5.0);
      goal(md, accuracy, "ltrp", "random", "0.25", 3.0);
      goal(md, accuracy, "hybrid", "ltrp", "0.10", 0.0);
      goal(md, accuracy, "hybrid", "ltrp", "0.25", 0.0);
      if (unseen != null) {
        goal(md, unseen, "ltrp", "supervised", "0.25", 0.0, "unseen classes, ");
      }
    }
    md.append("\n## Reproduce\n\n```bash\n").append(command).append("\n```\n");
    return md.toString();
  }

  /** One goal line: {@code a − b ≥ points} at {@code key}, met or not, with the margin. */
  private static void goal(
      StringBuilder md,
      Map<String, Map<String, List<Double>>> acc,
      String a,
      String b,
      String key,
      double points) {
    goal(md, acc, a, b, key, points, "");
  }

  private static void goal(
      StringBuilder md,
      Map<String, Map<String, List<Double>>> acc,
      String a,
      String b,
      String key,
      double points,
      String label) {
    List<Double> x = acc.getOrDefault(a, Map.of()).get(key);
    List<Double> y = acc.getOrDefault(b, Map.of()).get(key);
    md.append(
        String.format(
            Locale.ROOT,
            "- %s%s − %s ≥ %.0f points at keep %.0f%%: ",
            label,
            a,
            b,
            points,
            100 * Double.parseDouble(key)));
    if (x == null || y == null) {
      md.append("not run.\n");
      return;
    }
    double d = 100 * (DownstreamReport.mean(x) - DownstreamReport.mean(y));
    md.append(
        String.format(
            Locale.ROOT,
            "%s (%+.1f points, n = %d and %d seeds).%n",
            d >= points ? "**met**" : "**not met**",
            d,
            x.size(),
            y.size()));
  }

  private static String join(List<Double> ratios) {
    StringBuilder b = new StringBuilder();
    for (double r : ratios) {
      b.append(b.length() == 0 ? "" : ",").append(DownstreamReport.ratioKey(r));
    }
    return b.toString();
  }

  private static void appendMargin(
      StringBuilder md,
      Map<String, Map<String, List<Double>>> acc,
      String a,
      String b,
      String key) {
    List<Double> x = acc.getOrDefault(a, Map.of()).get(key);
    List<Double> y = acc.getOrDefault(b, Map.of()).get(key);
    if (x == null || y == null) {
      return;
    }
    double d = 100 * (DownstreamReport.mean(x) - DownstreamReport.mean(y));
    md.append(String.format(Locale.ROOT, " %s − %s %+.1f points;", a, b, d));
  }

  /** CPU model, cores, heap and versions: every number of the report is tied to a machine. */
  static String machine() {
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
    return String.format(
        Locale.ROOT,
        "%s, %d cores, %.0f GiB max heap, Java %s, ND4J %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"),
        "1.0.0-M2.1");
  }
}
