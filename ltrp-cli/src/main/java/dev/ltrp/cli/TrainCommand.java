package dev.ltrp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.core.oracle.ScoreMapStore;
import dev.ltrp.core.training.PseudoLabels;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.training.RankerTrainer;
import dev.ltrp.nd4j.training.TrainingDivergedException;
import dev.ltrp.nd4j.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ltrp train}: trains a ranker on a folder of images with {@link RankerTrainer}, the MAE
 * oracle's scores as targets (online, or offline from {@code ltrp scoremaps}), and writes it with
 * {@link RankerWeights#save} (a safetensors file and its {@code .json} sidecar). A resumable
 * checkpoint and a metrics log (JSON lines) are written beside it unless placed elsewhere; a
 * progress bar goes to standard error. At the end one JSON object is printed on one line:
 *
 * <pre>{@code
 * {"out":"ranker.safetensors","steps":400,"total_steps":400,"first_loss":41.2,"last_loss":37.9,
 *  "validation":{"val_kendall_tau":0.21,...},"checkpoint":"ranker.ckpt.safetensors",
 *  "metrics":"ranker.metrics.jsonl"}
 * }</pre>
 *
 * <p>{@code steps} is how many steps are done (fewer than {@code total_steps} after {@code
 * --stop-after}); the losses are those of the first and last step of this call (null when it ran
 * none); {@code validation} holds the last validation's {@code val_*} metrics, or is null when
 * nothing was held out.
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "train",
    description = {
      "Train a ranker to order patches as the MAE oracle does, on a folder of images.",
      "Writes OUT (safetensors) and its .json sidecar, a resumable checkpoint and a metrics log;"
          + " prints one JSON summary line: {\"out\":...,\"steps\":...,\"first_loss\":...,"
          + "\"last_loss\":...,\"validation\":{...}}."
    },
    sortOptions = false)
public final class TrainCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin private TrainingRunOptions training;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      required = true,
      description = "Folder of training images (searched recursively: jpg, jpeg, png, bmp, gif).")
  private Path images;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Targets targets;

  /** Where the targets come from: the oracle itself or its precomputed score maps. */
  static final class Targets {
    @Option(
        names = "--mae",
        paramLabel = "FILE",
        required = true,
        description =
            "MAE checkpoint of the oracle that scores the patches at every step"
                + " (online targets, on the augmented images); 'default' for the bundled MAE.")
    private String mae;

    @Option(
        names = "--score-maps",
        paramLabel = "FILE",
        required = true,
        description =
            "Score maps written by 'ltrp scoremaps' over the same folder (offline"
                + " targets: faster, but no augmentation).")
    private Path scoreMaps;
  }

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "MAE architecture: base, large, huge or a JSON config file (default: inferred"
              + " from the checkpoint). Only with --mae.")
  private String arch;

  @Option(
      names = "--removal",
      paramLabel = "MODE",
      converter = Converters.RemovalModeConverter.class,
      completionCandidates = Converters.RemovalModeNames.class,
      description =
          "How the oracle removes a visible patch: ${COMPLETION-CANDIDATES}"
              + " (default: decoder). Only with --mae.")
  private RemovalMode removal;

  @Option(
      names = "--ranker",
      paramLabel = "ARCH",
      required = true,
      description =
          "Ranker architecture: tiny, small (the paper's), base, or a JSON config file;"
              + " its image and patch size must be the MAE's.")
  private String ranker;

  @Option(
      names = "--init",
      paramLabel = "RANKER",
      description =
          "Start from this ranker checkpoint instead of random weights (its"
              + " architecture must be --ranker's).")
  private Path init;

  @Option(
      names = "--out",
      paramLabel = "RANKER.safetensors",
      required = true,
      description = "Ranker file to write (a .json sidecar is written beside it).")
  private Path out;

  @Option(
      names = "--loss",
      paramLabel = "LOSS",
      defaultValue = "listmle",
      converter = Converters.RankingLossConverter.class,
      completionCandidates = Converters.RankingLossNames.class,
      description = "Ranking loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private RankingLoss loss;

  @Option(
      names = "--asymmetric",
      description = "The ranker sees only the visible patches while training.")
  private boolean asymmetric;

  @Option(
      names = "--mask-ratio",
      paramLabel = "RATIO",
      defaultValue = "0.9",
      description = "Fraction of patches masked per image, in (0, 1) (default: ${DEFAULT-VALUE}).")
  private double maskRatio;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "20",
      description =
          "ListMLE's list length: a random subset of this many visible patches"
              + " (default: ${DEFAULT-VALUE}).")
  private int topK;

  @Option(
      names = "--held-out",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description =
          "Share of the images held out for validation, in [0, 1)"
              + " (default: ${DEFAULT-VALUE}).")
  private double heldOut;

  @Option(
      names = "--validate-every",
      paramLabel = "N",
      defaultValue = "50",
      description = "Validate every N steps and after the last (default: ${DEFAULT-VALUE}).")
  private int validateEvery;

  @Override
  protected int run() throws IOException {
    // Everything checkable without the images and models first.
    checkOptions();
    requireDirectory("--images", images);
    if (targets.scoreMaps != null) {
      requireFile("--score-maps", targets.scoreMaps);
    } else {
      requireMae(targets.mae, arch);
    }
    if (init != null) {
      requireFile("--init", init);
    }
    if (training.resume != null) {
      requireFile("--resume", training.resume);
    }
    RankerConfig config = rankerArchitecture("--ranker", ranker);
    MaeConfig maeConfig = maeArchitecture("--arch", arch);
    Path checkpointFile = training.checkpointFile(out);
    Path metricsFile = training.metricsFile(out);
    if (checkpointFile.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw usageError("--checkpoint must differ from --out, both are " + out);
    }
    ImageFolder folder = ImageFolder.scan(images);
    createParentDirectories(out);
    createParentDirectories(checkpointFile);
    createParentDirectories(metricsFile);

    // The targets first: their grid must be the ranker's before any weights are made.
    TrainingResult result;
    if (targets.scoreMaps != null) {
      ScoreMapStore store = ScoreMapStore.read(targets.scoreMaps);
      checkSameGrid(config, store.grid(), "the score maps' (--score-maps)");
      checkCoverage(store, folder);
      result = train(folder, PseudoLabels.offline(store), initialWeights(config));
    } else {
      MaeWeights mae = loadMae(targets.mae, maeConfig);
      checkSameGrid(config, mae.config().grid(), "the MAE's (--mae)");
      RankerWeights initial = initialWeights(config);
      try (MaeScoreOracle oracle =
          MaeScoreOracle.builder(mae)
              .optRemovalMode(removal != null ? removal : RemovalMode.DECODER_ATTENTION)
              .build()) {
        result = train(folder, PseudoLabels.online(oracle), initial);
      }
    }
    result.weights().save(out, training.dtype);

    long done = result.firstStep() + result.losses().size();
    if (done < result.steps()) {
      err()
          .println(
              spec.qualifiedName()
                  + ": stopped after step "
                  + done
                  + " of "
                  + result.steps()
                  + "; continue with --resume "
                  + checkpointFile);
      err().flush();
    }
    out().println(JSON.writeValueAsString(summary(result, done, checkpointFile, metricsFile)));
    out().flush();
    return 0;
  }

  /** The weights training starts from: {@code --init}'s, or random ones drawn with the seed. */
  private RankerWeights initialWeights(RankerConfig config) throws IOException {
    return init != null
        ? RankerWeights.load(init, config)
        : RankerWeights.random(config, training.seed);
  }

  /**
   * Runs the trainer.
   *
   * @throws TrainingDivergedException if the loss became NaN or infinite (its message says which
   *     step and that the last checkpoint is intact)
   */
  private TrainingResult train(ImageFolder folder, PseudoLabels labels, RankerWeights initial)
      throws IOException {
    RankerTrainer.Builder trainer =
        RankerTrainer.builder(folder, labels, initial)
            .optLoss(loss)
            .optAsymmetric(asymmetric)
            .optMaskRatio(maskRatio)
            .optTopK(topK)
            .optHeldOutFraction(heldOut)
            .optValidateEvery(validateEvery);
    return training.apply(trainer, out, new ProgressListener("train", errStream())).build().train();
  }

  /** Ranges the trainer would reject, reported as usage errors naming the option. */
  private void checkOptions() {
    training.check(this);
    requirePositive("--top-k", topK);
    requirePositive("--validate-every", validateEvery);
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw usageError("--mask-ratio must be in (0, 1), got " + maskRatio);
    }
    if (!(heldOut >= 0 && heldOut < 1)) {
      throw usageError("--held-out must be in [0, 1), got " + heldOut);
    }
    if (init != null && training.resume != null) {
      throw usageError(
          "--init and --resume are mutually exclusive: a resumed run continues from"
              + " its checkpoint's weights");
    }
    if (targets.scoreMaps != null && (arch != null || removal != null)) {
      throw usageError(
          (arch != null ? "--arch" : "--removal")
              + " applies to the oracle (--mae), not to --score-maps");
    }
  }

  /**
   * The ranker learns one logit per patch of the targets' grid: the two must be the same. Also
   * checks that the mask ratio leaves a visible patch on it.
   */
  private void checkSameGrid(RankerConfig config, PatchGrid targets, String whose) {
    PatchGrid grid = config.grid();
    try {
      VisibleSet.visibleCount(grid.numPatches(), maskRatio);
    } catch (IllegalArgumentException e) {
      throw usageError("--mask-ratio: " + e.getMessage());
    }
    if (!grid.equals(targets)) {
      throw new IllegalArgumentException(
          "the ranker (--ranker "
              + ranker
              + ") is on "
              + describe(grid)
              + " but "
              + whose
              + " grid is "
              + describe(targets)
              + ": choose a ranker with the same image and patch size (a JSON config with img_size "
              + targets.imageHeight()
              + " and patch_size "
              + targets.patchSize()
              + ")");
    }
  }

  private static String describe(PatchGrid grid) {
    return grid.imageHeight()
        + "x"
        + grid.imageWidth()
        + " px in patches of "
        + grid.patchSize()
        + " ("
        + grid.rows()
        + "x"
        + grid.cols()
        + ")";
  }

  /** Fails before training if an image has no score map, rather than at the step that needs it. */
  private void checkCoverage(ScoreMapStore store, ImageFolder folder) {
    List<String> missing = folder.relativePaths().stream().filter(n -> !store.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "--score-maps "
              + targets.scoreMaps
              + " has no score map"
              + " for "
              + missing.size()
              + " of the "
              + folder.size()
              + " images (first: "
              + missing.get(0)
              + "); run 'ltrp scoremaps' on the same folder");
    }
  }

  private Map<String, Object> summary(
      TrainingResult result, long done, Path checkpointFile, Path metricsFile) {
    List<Double> losses = result.losses();
    Map<String, Object> validation = null;
    if (!result.validations().isEmpty()) {
      validation = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e :
          result.validations().get(result.validations().size() - 1).entrySet()) {
        if (e.getKey().startsWith("val_")) {
          validation.put(e.getKey(), e.getValue());
        }
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("out", out.toString());
    s.put("steps", done);
    s.put("total_steps", result.steps());
    s.put("first_loss", losses.isEmpty() ? null : losses.get(0));
    s.put("last_loss", losses.isEmpty() ? null : losses.get(losses.size() - 1));
    s.put("validation", validation);
    s.put("checkpoint", checkpointFile.toString());
    s.put("metrics", metricsFile.toString());
    return s;
  }
}
