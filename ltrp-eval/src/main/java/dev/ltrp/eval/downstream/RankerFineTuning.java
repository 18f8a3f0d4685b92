package dev.ltrp.eval.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.core.baseline.DpcKnnRanker;
import dev.ltrp.core.baseline.OracleRanker;
import dev.ltrp.core.baseline.PixelVarianceRanker;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.data.Seeds;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.PatchSelection;
import dev.ltrp.core.selection.PatchSubsets;
import dev.ltrp.eval.EvalBatches;
import dev.ltrp.eval.classifier.VitClassifier;
import dev.ltrp.eval.data.LabeledDataset;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper's downstream protocol, one ranker at a time: for each ranker and keep ratio, a
 * classifier initialized from the teacher MAE's encoder is fine-tuned on the patches <em>this
 * ranker</em> keeps of each training image and evaluated on the patches it keeps of each evaluation
 * image. Every ranker gets the same initialization, steps, batch, optimizer and data.
 *
 * <p>Rankers: {@code ltrp} (the trained ranker), {@code hybrid} (LTRP + DPC-KNN diversity, ρ =
 * 0.7), {@code oracle} (the teacher's full score map), {@code random} (a fresh uniform subset at
 * every training step, a fixed one per evaluation image), {@code variance} (pixel variance), {@code
 * dpc-knn}, {@code supervised} (class-token attention of the {@code all} classifier, which was
 * fine-tuned on whole images), {@code center} (one patch order for every image: mean patch variance
 * over the training images) and {@code all} (every patch: the ceiling).
 *
 * <p>Results are appended to a JSON-lines file, one line per (seed, split, ranker, ratio); runs
 * already in the file are skipped, so an interrupted run continues where it stopped. Not
 * thread-safe.
 */
public final class RankerFineTuning {

  /** The ranker ids, in report order. */
  public static final List<String> RANKERS =
      List.of(
          "ltrp",
          "hybrid",
          "oracle",
          "random",
          "variance",
          "dpc-knn",
          "supervised",
          "center",
          "all");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double HYBRID_RHO = 0.7;

  private final Settings s;
  private final MaeWeights teacher;
  private final RankerWeights rankerWeights;
  private final IdxImages train;
  private final IdxImages eval;

  /** Both sets decoded once: every run ranks or classifies them whole. */
  private final List<ImageTensor> trainImages;

  private final List<ImageTensor> evalImages;
  private final int[] evalLabels;
  private final int classes;
  private final PrintStream log;
  private final Path scoreCache;
  private PatchScores center;

  /** Where the supervised ranker's classifier learns, when not from {@code train}. */
  private IdxImages supervisedSource;

  private final Map<String, List<PatchScores>> trainScores = new HashMap<>();
  private final Map<String, List<PatchScores>> evalScores = new HashMap<>();

  /**
   * @param trainImages training images (from the first 50,000 of Fashion-MNIST's training set)
   * @param evalImages evaluation images (validation: the last 10,000 of the training set; test: the
   *     test set)
   * @param split {@code val} or {@code test}
   * @param steps fine-tuning steps per classifier
   * @param batch images per step
   * @param lr peak learning rate (AdamW, cosine, tenth-of-steps warmup)
   * @param oracleMaskRatio the oracle ranker's mask ratio
   */
  public record Settings(
      int trainImages,
      int evalImages,
      String split,
      int steps,
      int batch,
      double lr,
      double oracleMaskRatio) {}

  private RankerFineTuning(
      Settings s,
      MaeWeights teacher,
      RankerWeights ranker,
      IdxImages train,
      IdxImages eval,
      int classes,
      PrintStream log,
      Path scoreCache) {
    this.s = s;
    this.classes = classes;
    this.teacher = teacher;
    this.rankerWeights = ranker;
    this.train = train;
    this.eval = eval;
    this.trainImages = EvalBatches.images(train);
    this.evalImages = EvalBatches.images(eval);
    this.evalLabels = EvalBatches.labels(eval);
    this.log = log;
    this.scoreCache = scoreCache;
  }

  /**
   * A run over {@code train} (the first {@code s.trainImages()} are used) evaluated on the first
   * {@code s.evalImages()} of {@code eval}; results go to {@code out} (JSON lines), and the score
   * maps it computes are kept beside it ({@code out.oracle-train20000.bin}, …) for the next run.
   *
   * @param classes number of classes of the labels
   */
  public static RankerFineTuning create(
      Settings s,
      MaeWeights teacher,
      RankerWeights ranker,
      IdxImages train,
      IdxImages eval,
      int classes,
      PrintStream log,
      Path out) {
    if (train.size() < s.trainImages() || eval.size() < s.evalImages()) {
      throw new IllegalArgumentException(
          "asked for "
              + s.trainImages()
              + " training and "
              + s.evalImages()
              + " evaluation images, the data has "
              + train.size()
              + " and "
              + eval.size());
    }
    return new RankerFineTuning(
        s,
        teacher,
        ranker,
        train.limit(s.trainImages()),
        eval.limit(s.evalImages()),
        classes,
        log,
        out.toAbsolutePath());
  }

  /**
   * {@code RankerFineTuning DATA_DIR TEACHER RANKER OUT.jsonl SPLIT TRAIN_IMAGES EVAL_IMAGES STEPS
   * BATCH LR SEEDS RATIOS RANKERS}, e.g. {@code ... val 20000 2000 1500 128 1e-3 0 0.1,0.25
   * ltrp,random,all}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 13) {
      System.err.println(
          "usage: RankerFineTuning DATA_DIR TEACHER RANKER OUT SPLIT TRAIN_IMAGES"
              + " EVAL_IMAGES STEPS BATCH LR SEEDS RATIOS RANKERS");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    MaeWeights teacher = MaeWeights.load(Path.of(args[1]), null);
    RankerWeights ranker = RankerWeights.load(Path.of(args[2]), null);
    Path out = Path.of(args[3]);
    Settings s =
        new Settings(
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]),
            args[4],
            Integer.parseInt(args[7]),
            Integer.parseInt(args[8]),
            Double.parseDouble(args[9]),
            0.75);
    LabeledDataset dataset = LabeledDataset.open("fashion-mnist", data);
    IdxImages eval =
        switch (s.split()) {
          case "val" -> dataset.val();
          case "test" -> dataset.test();
          default ->
              throw new IllegalArgumentException("split must be val or test, got " + s.split());
        };
    RankerFineTuning run =
        create(s, teacher, ranker, dataset.train(), eval, dataset.classes(), System.err, out);
    for (String seed : args[10].split(",")) {
      for (String ratio : args[11].split(",")) {
        for (String id : args[12].split(",")) {
          run.run(out, id, Double.parseDouble(ratio), Long.parseLong(seed));
        }
      }
    }
  }

  /**
   * Trains the supervised ranker's classifier on {@code images} (every patch, their labels) instead
   * of on the training images: the unseen-classes protocol, where it learns classes the evaluated
   * images do not show. Returns this run.
   */
  public RankerFineTuning withSupervisedSource(IdxImages images) {
    this.supervisedSource = images.limit(Math.min(images.size(), s.trainImages()));
    return this;
  }

  /**
   * Fine-tunes and evaluates one classifier for {@code ranker} at {@code ratio} (ignored for {@code
   * all}) with {@code seed}, appending one JSON line to {@code out}; does nothing if {@code out}
   * already holds that run.
   *
   * @throws IllegalArgumentException if {@code ranker} is not one of {@link #RANKERS}
   */
  public void run(Path out, String ranker, double ratio, long seed) throws IOException {
    if (!RANKERS.contains(ranker)) {
      throw new IllegalArgumentException("unknown ranker " + ranker + "; one of " + RANKERS);
    }
    int n = teacher.config().numPatches();
    int k = ranker.equals("all") ? n : RedundancyReducer.keepCount(n, ratio);
    double recordedRatio = ranker.equals("all") ? 1.0 : ratio;
    if (done(out, s.split(), seed, ranker, recordedRatio)) {
      return;
    }
    long started = System.nanoTime();
    log.printf("seed %d %s: %s at k=%d%n", seed, s.split(), ranker, k);
    VitClassifier.TrainingSelection selection = trainingSelection(ranker, k, seed);
    List<int[]> evalKept = evalSelection(ranker, k, seed);
    double accuracy;
    List<Double> losses;
    try (VitClassifier classifier = VitClassifier.fromEncoder(teacher, classes, seed)) {
      losses =
          classifier.fineTune(train, train::label, selection, s.steps(), s.batch(), s.lr(), seed);
      accuracy = EvalBatches.accuracy(classifier, evalImages, evalLabels, evalKept);
      if (ranker.equals("all") && supervisedSource == null) {
        keepSupervised(classifier, seed);
      }
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("seed", seed)
        .put("split", s.split())
        .put("ranker", ranker)
        .put("ratio", recordedRatio)
        .put("k", k)
        .put("accuracy", accuracy)
        .put("train_images", s.trainImages())
        .put("eval_images", s.evalImages())
        .put("steps", s.steps())
        .put("batch", s.batch())
        .put("lr", s.lr())
        .put("final_loss", tailMean(losses, 100))
        .put("seconds", (System.nanoTime() - started) / 1e9);
    Files.writeString(
        out,
        JSON.writeValueAsString(line) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    log.println(line);
  }

  /**
   * Whether {@code out} holds this run. A line for the same run with other settings (images, steps,
   * batch, learning rate) is an error: continuing would mix two protocols in one table.
   */
  private boolean done(Path out, String split, long seed, String ranker, double ratio)
      throws IOException {
    if (!Files.exists(out)) {
      return false;
    }
    for (String l : Files.readAllLines(out)) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode j = JSON.readTree(l);
      if (j.get("split").asText().equals(split)
          && j.get("seed").asLong() == seed
          && j.get("ranker").asText().equals(ranker)
          && Math.abs(j.get("ratio").asDouble() - ratio) < 1e-9) {
        if (j.get("train_images").asInt() != s.trainImages()
            || j.get("eval_images").asInt() != s.evalImages()
            || j.get("steps").asInt() != s.steps()
            || j.get("batch").asInt() != s.batch()
            || Math.abs(j.get("lr").asDouble() - s.lr()) > 1e-12) {
          throw new IllegalStateException(
              out
                  + " already holds "
                  + ranker
                  + " at "
                  + ratio
                  + " (seed "
                  + seed
                  + ", "
                  + split
                  + ") run with other settings: "
                  + l
                  + "; use another output or the same settings ("
                  + s
                  + ")");
        }
        return true;
      }
    }
    return false;
  }

  private VitClassifier.TrainingSelection trainingSelection(String ranker, int k, long seed)
      throws IOException {
    int n = teacher.config().numPatches();
    return switch (ranker) {
      case "all" -> (index, image, random) -> PatchSubsets.all(n);
      case "random" -> (index, image, random) -> PatchSubsets.random(n, k, random);
      case "hybrid" -> {
        List<PatchScores> ltrp = scores("ltrp", true, seed);
        yield (index, image, random) ->
            PatchSelection.hybrid(image, ltrp.get(index), k, HYBRID_RHO, random);
      }
      default -> {
        List<PatchScores> scores = scores(ranker, true, seed);
        yield (index, image, random) -> scores.get(index).topK(k);
      }
    };
  }

  private List<int[]> evalSelection(String ranker, int k, long seed) throws IOException {
    int n = teacher.config().numPatches();
    List<int[]> kept = new ArrayList<>(eval.size());
    List<PatchScores> scores =
        switch (ranker) {
          case "all", "random" -> null;
          case "hybrid" -> scores("ltrp", false, seed);
          default -> scores(ranker, false, seed);
        };
    for (int i = 0; i < eval.size(); i++) {
      SplittableRandom random = Seeds.random(seed, "eval-selection", i);
      kept.add(
          switch (ranker) {
            case "all" -> PatchSubsets.all(n);
            case "random" -> PatchSubsets.random(n, k, random);
            case "hybrid" ->
                PatchSelection.hybrid(evalImages.get(i), scores.get(i), k, HYBRID_RHO, random);
            default -> scores.get(i).topK(k);
          });
    }
    return kept;
  }

  private List<PatchScores> scores(String ranker, boolean ofTrain, long seed) throws IOException {
    Map<String, List<PatchScores>> cache = ofTrain ? trainScores : evalScores;
    if (ranker.equals("supervised")) {
      // The supervised ranker is the attention of the all-patches classifier of this seed: from
      // this run's memory, the files its run left, or by training it again (the same seeded run).
      String key = supervisedKey(seed);
      if (!cache.containsKey(key)) {
        Path trainFile = cacheFile(key, true);
        Path evalFile = cacheFile(key, false);
        if (Files.exists(trainFile) && Files.exists(evalFile)) {
          trainScores.put(key, ScoreFile.read(trainFile, teacher.config().grid()));
          evalScores.put(key, ScoreFile.read(evalFile, teacher.config().grid()));
        } else {
          int n = teacher.config().numPatches();
          IdxImages source = supervisedSource != null ? supervisedSource : train;
          try (VitClassifier classifier = VitClassifier.fromEncoder(teacher, classes, seed)) {
            classifier.fineTune(
                source,
                source::label,
                (index, image, random) -> PatchSubsets.all(n),
                s.steps(),
                s.batch(),
                s.lr(),
                seed);
            keepSupervised(classifier, seed);
          }
        }
      }
      return cache.get(key);
    }
    if (!cache.containsKey(ranker)) {
      List<ImageTensor> set = ofTrain ? trainImages : evalImages;
      long started = System.nanoTime();
      if (ranker.equals("oracle")) {
        // The oracle's maps take minutes: kept on disk beside the results, shared by every seed
        // (its visible sets come from a fixed seed: it is a function of the image alone).
        Path file = cacheFile("oracle", ofTrain);
        cache.put(
            ranker,
            ScoreFile.readOrCompute(
                file,
                teacher.config().grid(),
                set.size(),
                () -> {
                  try (PatchRanker r = ranker(ranker, seed)) {
                    return EvalBatches.rankAll(r, set);
                  }
                }));
      } else {
        cache.put(
            ranker,
            switch (ranker) {
              case "center" -> java.util.Collections.nCopies(set.size(), centerOrder());
              default -> {
                try (PatchRanker r = ranker(ranker, seed)) {
                  yield EvalBatches.rankAll(r, set);
                }
              }
            });
      }
      log.printf(
          "  scored %d %s images with %s in %.1f s%n",
          set.size(),
          ofTrain ? "training" : "evaluation",
          ranker,
          (System.nanoTime() - started) / 1e9);
    }
    return cache.get(ranker);
  }

  /**
   * Where a run writing to {@code out} keeps the oracle's maps of its first {@code trainImages}
   * training images (computed once, shared by every seed and by ranker training).
   */
  public static Path oracleMapsFile(Path out, int trainImages) {
    return out.resolveSibling(out.getFileName() + ".oracle-train" + trainImages + ".bin");
  }

  /** Where the maps of one scorer on the training or the evaluation images are kept. */
  private Path cacheFile(String scorer, boolean ofTrain) {
    return scoreCache.resolveSibling(
        scoreCache.getFileName()
            + "."
            + scorer
            + "-"
            + (ofTrain ? "train" + s.trainImages() : s.split() + s.evalImages())
            + ".bin");
  }

  /** Stores the all-patches classifier's attention maps: the supervised ranker of this seed. */
  private void keepSupervised(VitClassifier classifier, long seed) throws IOException {
    String key = supervisedKey(seed);
    trainScores.put(key, EvalBatches.rankAll(classifier.attentionRanker(), trainImages));
    evalScores.put(key, EvalBatches.rankAll(classifier.attentionRanker(), evalImages));
    ScoreFile.write(cacheFile(key, true), trainScores.get(key));
    ScoreFile.write(cacheFile(key, false), evalScores.get(key));
  }

  /** The supervised ranker's maps are per seed (each seed's all-patches classifier). */
  private static String supervisedKey(long seed) {
    return "supervised-seed" + seed;
  }

  private PatchRanker ranker(String id, long seed) {
    PatchGrid grid = teacher.config().grid();
    return switch (id) {
      case "ltrp" -> VitRanker.create(rankerWeights);
      case "oracle" ->
          OracleRanker.builder(MaeScoreOracle.create(teacher))
              .optMaskRatio(s.oracleMaskRatio())
              .optSeed(0)
              .optCloseOracle(true)
              .build();
      case "variance" -> PixelVarianceRanker.of(grid, 1);
      case "dpc-knn" -> DpcKnnRanker.of(grid, 1);
      default -> throw new IllegalArgumentException("no scorer for " + id);
    };
  }

  /**
   * The same order for every image: mean patch pixel variance over the training images (computed on
   * first use, for training and evaluation alike).
   */
  private PatchScores centerOrder() {
    if (center == null) {
      PatchGrid grid = teacher.config().grid();
      float[] mean = new float[grid.numPatches()];
      try (PixelVarianceRanker variance = PixelVarianceRanker.of(grid, 1)) {
        for (PatchScores v : EvalBatches.rankAll(variance, trainImages)) {
          for (int p = 0; p < mean.length; p++) {
            mean[p] += v.scoreOf(p) / trainImages.size();
          }
        }
      }
      center = PatchScores.dense(grid, mean);
    }
    return center;
  }

  private static double tailMean(List<Double> values, int tail) {
    return values.subList(Math.max(0, values.size() - tail), values.size()).stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElse(Double.NaN);
  }
}
