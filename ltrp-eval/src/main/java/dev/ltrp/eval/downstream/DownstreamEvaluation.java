package dev.ltrp.eval.downstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.baseline.OracleRanker;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.data.RandomResizedCrop;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.eval.EvalBatches;
import dev.ltrp.eval.EvalModels;
import dev.ltrp.eval.ResultPlots;
import dev.ltrp.eval.TeacherQuality;
import dev.ltrp.eval.data.LabeledDataset;
import dev.ltrp.eval.train.EvalRankerTraining;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.training.MaePretrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ltrp eval}: the paper's downstream protocol on one labeled dataset, end to end. Gets a
 * teacher MAE and an LTRP ranker (the committed Fashion-MNIST models, or trained here without
 * labels on the training split), runs {@link RankerFineTuning} for every ranker, keep ratio and
 * seed on the validation or test split, measures the teacher against the nearest-visible copy, and
 * writes into the output folder:
 *
 * <ul>
 *   <li>{@code results.json}: {@code {"dataset", "preset", "split", "seeds", "models", "accuracy":
 *       {RANKER: {"0.10": {"mean", "std", "n"}}}, "teacher": {"recon_error",
 *       "nearest_visible_error"}, "unseen": null, "ablation": [], "seconds"}} (accuracy as a
 *       fraction; docs/DOWNSTREAM.md documents the schema);
 *   <li>{@code RESULTS.md}: the same as tables, with the settings and computed margins, and {@code
 *       accuracy.png}: accuracy against the share of patches kept;
 *   <li>{@code downstream.jsonl}: one line per classifier (the raw results; a rerun skips the runs
 *       already there), and the score maps and models it computed, for the next run.
 * </ul>
 *
 * <p>Not thread-safe; one run per output folder at a time.
 */
public final class DownstreamEvaluation {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The scoring mask ratio of the teacher's oracle and the ranker's visible sets. */
  static final double MASK_RATIO = 0.75;

  /**
   * Steps between the teacher snapshots ({@code mae-stepN.safetensors}) kept while retraining (the
   * points of a teacher-quality curve; short runs have none).
   */
  private static final int TEACHER_SNAPSHOT_EVERY = 1_000;

  /** Steps between resumable checkpoints of a teacher being retrained. */
  private static final int TEACHER_CHECKPOINT_EVERY = 100;

  private DownstreamEvaluation() {}

  /**
   * The budgets of one run.
   *
   * @param trainImages training images each classifier is fine-tuned on (and the ranker learns from
   *     when retrained)
   * @param evalImages images of the evaluated split
   * @param steps fine-tuning steps per classifier, of {@code batch} images, AdamW at peak {@code
   *     lr}
   * @param ratios keep ratios
   * @param seeds default number of seeds
   * @param maeSteps teacher pretraining steps when retraining
   * @param rankerSteps ranker training steps when retraining
   */
  public record Preset(
      String name,
      int trainImages,
      int evalImages,
      int steps,
      int batch,
      double lr,
      List<Double> ratios,
      int seeds,
      int maeSteps,
      int rankerSteps) {

    /** The protocol of docs/DOWNSTREAM.md: about an hour per seed on a 2-core machine. */
    public static Preset full() {
      return new Preset(
          "full", 20_000, 2_000, 800, 128, 2e-3, List.of(0.10, 0.25, 0.50), 3, 8_000, 2_000);
    }

    /**
     * The same pipeline at a few minutes' budget: it shows the pipeline works, not which ranker is
     * better (its classifiers are far from converged).
     */
    public static Preset quick() {
      return new Preset("quick", 1_000, 300, 60, 64, 2e-3, List.of(0.25), 1, 300, 150);
    }

    /**
     * {@code quick} or {@code full}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Preset named(String name) {
      return switch (name) {
        case "quick" -> quick();
        case "full" -> full();
        default ->
            throw new IllegalArgumentException(
                "unknown preset '" + name + "': expected quick or full");
      };
    }
  }

  /**
   * What to run.
   *
   * @param split {@code val} (choose settings) or {@code test} (report once)
   * @param retrain train the teacher and the ranker here even where committed ones exist
   * @param rankers ranker ids among {@link RankerFineTuning#RANKERS}
   * @param teacher a teacher checkpoint to use instead (the LTRP ranker is then trained for it in
   *     {@code out}: one point of the teacher-quality curve), or null
   * @param unseen also run the unseen-classes experiment (into {@code out/unseen}): a teacher and a
   *     ranker trained without labels on the first half of the classes, the supervised ranker's
   *     classifier trained on them, and every ranker's classifier fine-tuned and evaluated on the
   *     other half with its selections
   */
  public record Options(
      LabeledDataset data,
      Preset preset,
      int seeds,
      String split,
      Path out,
      boolean retrain,
      List<String> rankers,
      List<Double> ratios,
      Path teacher,
      boolean unseen) {
    /** Options with the committed or a newly trained teacher, without the unseen classes. */
    public Options(
        LabeledDataset data,
        Preset preset,
        int seeds,
        String split,
        Path out,
        boolean retrain,
        List<String> rankers,
        List<Double> ratios) {
      this(data, preset, seeds, split, out, retrain, rankers, ratios, null, false);
    }

    /** Options with a named teacher checkpoint (or null), without the unseen classes. */
    public Options(
        LabeledDataset data,
        Preset preset,
        int seeds,
        String split,
        Path out,
        boolean retrain,
        List<String> rankers,
        List<Double> ratios,
        Path teacher) {
      this(data, preset, seeds, split, out, retrain, rankers, ratios, teacher, false);
    }

    public Options {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(preset, "preset");
      if (seeds < 1) {
        throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
      }
      if (!split.equals("val") && !split.equals("test")) {
        throw new IllegalArgumentException("split must be val or test, got '" + split + "'");
      }
      for (String r : rankers) {
        if (!RankerFineTuning.RANKERS.contains(r)) {
          throw new IllegalArgumentException(
              "unknown ranker '" + r + "': expected some of " + RankerFineTuning.RANKERS);
        }
      }
      for (double r : ratios) {
        if (!(r > 0 && r < 1)) {
          throw new IllegalArgumentException("keep ratios must be in (0, 1), got " + r);
        }
      }
      rankers = List.copyOf(rankers);
      ratios = List.copyOf(ratios);
    }
  }

  /** The teacher and ranker of a run, and where they came from. */
  private record Models(MaeWeights teacher, RankerWeights ranker, String origin) {}

  /**
   * Runs {@code o}, logging progress to {@code log}.
   *
   * @return the {@code results.json} written
   */
  public static Path run(Options o, PrintStream log) throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(o.out());
    Path raw = o.out().resolve("downstream.jsonl");
    Models models = models(o, raw, log);
    IdxImages eval = o.split().equals("val") ? o.data().val() : o.data().test();
    RankerFineTuning.Settings settings = settings(o, o.data(), eval);
    allCells(
        o,
        RankerFineTuning.create(
            settings,
            models.teacher(),
            models.ranker(),
            o.data().train(),
            eval,
            o.data().classes(),
            log,
            raw),
        raw);
    TeacherQuality.Result teacher;
    try (MaeScoreOracle oracle = MaeScoreOracle.create(models.teacher())) {
      List<ImageTensor> images =
          EvalBatches.images(eval.limit(Math.min(1_000, settings.evalImages())));
      teacher = TeacherQuality.measure(oracle, images, MASK_RATIO, 0);
    }
    Map<String, Map<String, List<Double>>> accuracy =
        DownstreamReport.collect(Files.readAllLines(raw), o.split());
    Map<String, Map<String, List<Double>>> unseen = o.unseen() ? unseen(o, log) : null;
    double seconds = (System.nanoTime() - started) / 1e9;
    ObjectNode root = JSON.createObjectNode();
    root.put("dataset", o.data().name())
        .put("preset", o.preset().name())
        .put("split", o.split())
        .put("seeds", o.seeds())
        .put("models", models.origin());
    root.set("settings", JSON.valueToTree(settings));
    root.set("accuracy", DownstreamReport.json(accuracy));
    root.putObject("teacher")
        .put("recon_error", teacher.reconstructionError())
        .put("nearest_visible_error", teacher.nearestVisibleError())
        .put("images", teacher.images());
    if (unseen != null) {
      root.set("unseen", DownstreamReport.json(unseen));
    } else {
      root.putNull("unseen");
    }
    root.putArray("ablation");
    root.put("seconds", seconds);
    Path results = o.out().resolve("results.json");
    Files.writeString(
        results, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    ResultPlots.accuracy(
        "Downstream accuracy with only the kept patches ("
            + o.data().name()
            + ", "
            + o.split()
            + ")",
        accuracy,
        o.out().resolve("accuracy.png"));
    Files.writeString(
        o.out().resolve("RESULTS.md"),
        DownstreamMarkdown.report(
            o,
            models.origin(),
            settings,
            accuracy,
            unseen,
            teacher,
            seconds,
            classifierSeconds(raw, o.split())));
    return results;
  }

  private static RankerFineTuning.Settings settings(
      Options o, LabeledDataset data, IdxImages eval) {
    Preset p = o.preset();
    return new RankerFineTuning.Settings(
        Math.min(p.trainImages(), data.train().size()),
        Math.min(p.evalImages(), eval.size()),
        o.split(),
        p.steps(),
        p.batch(),
        p.lr(),
        MASK_RATIO);
  }

  /** The fine-tuning time of every classifier of {@code split} in {@code raw}, summed. */
  private static double classifierSeconds(Path raw, String split) throws IOException {
    double total = 0;
    for (String l : Files.readAllLines(raw)) {
      if (!l.isBlank()) {
        com.fasterxml.jackson.databind.JsonNode j = JSON.readTree(l);
        if (j.get("split").asText().equals(split)) {
          total += j.get("seconds").asDouble();
        }
      }
    }
    return total;
  }

  /** Every (seed, ratio, ranker) of {@code o}; {@code all} once per seed. */
  private static void allCells(Options o, RankerFineTuning fineTuning, Path raw)
      throws IOException {
    for (long seed = 0; seed < o.seeds(); seed++) {
      for (double ratio : o.ratios()) {
        for (String ranker : o.rankers()) {
          if (!ranker.equals("all") || ratio == o.ratios().get(0)) {
            fineTuning.run(raw, ranker, ratio, seed);
          }
        }
      }
    }
  }

  /**
   * The unseen-classes experiment in {@code out/unseen}: teacher, ranker and the supervised
   * ranker's classifier learn the first half of the classes; every ranker's classifier is
   * fine-tuned and evaluated on the second half with its own selections.
   */
  private static Map<String, Map<String, List<Double>>> unseen(Options o, PrintStream log)
      throws IOException {
    int half = o.data().classes() / 2;
    LabeledDataset seen = o.data().withClasses(0, half);
    LabeledDataset novel = o.data().withClasses(half, o.data().classes());
    Path out = o.out().resolve("unseen");
    Files.createDirectories(out);
    Options learn =
        new Options(seen, o.preset(), o.seeds(), o.split(), out, true, o.rankers(), o.ratios());
    Path raw = out.resolve("downstream.jsonl");
    log.printf(
        "unseen classes: teacher and ranker from classes 0-%d, evaluated on %d-%d%n",
        half - 1, half, o.data().classes() - 1);
    MaeWeights teacher = pretrainedTeacher(learn, log);
    int n = Math.min(o.preset().trainImages(), seen.train().size());
    // Not the downstream run's oracle-map file: these are maps of the other classes' images.
    RankerWeights ranker =
        trainedRanker(learn, teacher, out.resolve("seen-oracle-train" + n + ".bin"), log);
    IdxImages eval = o.split().equals("val") ? novel.val() : novel.test();
    RankerFineTuning fineTuning =
        RankerFineTuning.create(
                settings(o, novel, eval),
                teacher,
                ranker,
                novel.train(),
                eval,
                o.data().classes(),
                log,
                raw)
            .withSupervisedSource(seen.train());
    allCells(o, fineTuning, raw);
    return DownstreamReport.collect(Files.readAllLines(raw), o.split());
  }

  /**
   * The committed models, a teacher named in the options, or a teacher trained here; the ranker is
   * the committed one with the committed teacher and is trained here (kept in the output folder)
   * otherwise.
   */
  private static Models models(Options o, Path raw, PrintStream log) throws IOException {
    boolean fashion = o.data().name().equals("fashion-mnist");
    if (!o.retrain() && fashion && o.teacher() == null) {
      return new Models(
          EvalModels.fashionMnistTeacher(), EvalModels.fashionMnistRanker(), "committed");
    }
    MaeWeights teacher;
    String origin;
    if (o.teacher() != null) {
      teacher = MaeWeights.load(o.teacher(), null);
      if (!teacher.config().grid().equals(o.data().grid())) {
        throw new IllegalArgumentException(
            "the teacher "
                + o.teacher()
                + " has grid "
                + teacher.config().grid()
                + ", the data set "
                + o.data().grid());
      }
      origin = "teacher " + o.teacher() + ", ranker trained";
    } else {
      teacher = pretrainedTeacher(o, log);
      origin = "trained";
    }
    int n = Math.min(o.preset().trainImages(), o.data().train().size());
    // The downstream run's oracle ranker reads the same maps of the same images.
    return new Models(
        teacher, trainedRanker(o, teacher, RankerFineTuning.oracleMapsFile(raw, n), log), origin);
  }

  /** The teacher in the output folder, pretrained there first if missing. */
  private static MaeWeights pretrainedTeacher(Options o, PrintStream log) throws IOException {
    return pretrainedTeacher(o, log, o.preset().maeSteps());
  }

  /**
   * The teacher in the output folder; if missing, pretrains it there, continuing from the folder's
   * checkpoint, running at most {@code maxSteps} steps in this call.
   *
   * @return the teacher, or null if this call stopped before the preset's last step
   */
  static MaeWeights pretrainedTeacher(Options o, PrintStream log, long maxSteps)
      throws IOException {
    Path maeFile = o.out().resolve("mae.safetensors");
    if (Files.exists(maeFile)) {
      log.println("reusing the teacher " + maeFile);
      return MaeWeights.load(maeFile, null);
    }
    Preset p = o.preset();
    LabeledDataset data = o.data();
    MaeConfig config =
        MaeConfig.of(
            data.grid().imageHeight(), data.grid().patchSize(), 1, 64, 4, 4, 64, 2, 4, 2.0);
    log.printf(
        "pretraining the teacher (%s) for %d steps of %d images%n",
        config, p.maeSteps(), p.batch());
    RandomResizedCrop crop =
        RandomResizedCrop.builder().setSize(config.imgSize()).optScale(0.6, 1.0).build();
    // Pretraining takes hours at the full preset: checkpoint often and continue an interrupted
    // run, with snapshots for the teacher-quality curve.
    Path checkpoint = o.out().resolve("mae.ckpt.safetensors");
    long chunk = TEACHER_SNAPSHOT_EVERY;
    MaeWeights teacher = null;
    long ran = 0;
    while (teacher == null && ran < maxSteps) {
      MaePretrainer.Builder pretrainer =
          MaePretrainer.builder(data.train().withAugmentation(crop), MaeWeights.random(config, 0))
              .setSteps(p.maeSteps())
              .optBatchSize(p.batch())
              .optMaskRatio(MASK_RATIO)
              .optLr(1.5e-3)
              .optSeed(0)
              .optMetricsLog(o.out().resolve("mae.metrics.jsonl"))
              .optCheckpoint(checkpoint, TEACHER_CHECKPOINT_EVERY)
              .optStopAfter(Math.min(chunk, maxSteps - ran));
      if (Files.exists(checkpoint)) {
        pretrainer.optResume(checkpoint);
      }
      MaePretrainer.PretrainingResult result = pretrainer.build().train();
      ran += result.losses().size();
      long done = result.firstStep() + result.losses().size();
      log.printf("teacher: step %d of %d%n", done, p.maeSteps());
      if (done >= p.maeSteps()) {
        teacher = result.weights();
      } else {
        result.weights().save(o.out().resolve("mae-step" + done + ".safetensors"), DType.F32);
      }
    }
    if (teacher != null) {
      teacher.save(maeFile, DType.F32);
    }
    return teacher;
  }

  /**
   * The ranker in the output folder, trained there first if missing: ListMLE on the teacher's full
   * score maps of the fine-tuning images (computed into {@code mapsFile} if missing).
   */
  private static RankerWeights trainedRanker(
      Options o, MaeWeights teacher, Path mapsFile, PrintStream log) throws IOException {
    Path rankerFile = o.out().resolve("ranker.safetensors");
    if (Files.exists(rankerFile)) {
      log.println("reusing the ranker " + rankerFile);
      return RankerWeights.load(rankerFile, null);
    }
    Preset p = o.preset();
    LabeledDataset data = o.data();
    int n = Math.min(p.trainImages(), data.train().size());
    IdxImages images = data.train().limit(n);
    log.printf("scoring %d training images with the teacher's oracle%n", n);
    List<PatchScores> maps =
        ScoreFile.readOrCompute(
            mapsFile,
            data.grid(),
            n,
            () -> {
              try (OracleRanker oracle =
                  OracleRanker.builder(MaeScoreOracle.create(teacher))
                      .optMaskRatio(MASK_RATIO)
                      .optSeed(0)
                      .optCloseOracle(true)
                      .build()) {
                return EvalBatches.rankAll(oracle, EvalBatches.images(images));
              }
            });
    log.printf("training the LTRP ranker for %d steps of %d images%n", p.rankerSteps(), p.batch());
    RankerWeights ranker =
        EvalRankerTraining.train(
            teacher,
            images,
            maps,
            MASK_RATIO,
            p.rankerSteps(),
            p.batch(),
            p.rankerSteps(),
            0,
            rankerFile);
    ranker.save(rankerFile);
    return ranker;
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f", 100 * fraction);
  }
}
