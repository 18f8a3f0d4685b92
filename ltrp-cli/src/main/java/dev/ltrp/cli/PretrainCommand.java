package dev.ltrp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.RandomResizedCrop;
import dev.ltrp.core.data.TrainingImages;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.training.MaePretrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltrp pretrain}: self-supervised MAE pretraining ({@link MaePretrainer}) on a folder of
 * photos or an IDX file (Fashion-MNIST), writing the MAE with {@link MaeWeights#save} (safetensors
 * with its architecture in the metadata, plus a {@code .json} sidecar), a resumable checkpoint and
 * a metrics log beside it; a progress bar on standard error and one JSON summary line on standard
 * output: {@code {"out":...,"steps":...,"total_steps":...,"first_loss":...,"last_loss":...}}.
 *
 * <p>Not thread-safe: picocli creates one instance per command line.
 */
@Command(
    name = "pretrain",
    description = {
        "Pretrain a masked autoencoder (the oracle's model) on unlabeled images.",
        "Writes OUT (safetensors) and its .json sidecar, a resumable checkpoint and a metrics log;"
            + " prints one JSON summary line."},
    sortOptions = false)
public final class PretrainCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  /** The training images: a folder of photos or an IDX file. */
  static final class Source {
    @Option(names = "--images", paramLabel = "DIR", required = true,
        description = "Folder of training photos (searched recursively).")
    private Path images;

    @Option(names = "--idx", paramLabel = "FILE", required = true,
        description = "IDX image file (e.g. Fashion-MNIST's train-images-idx3-ubyte.gz),"
            + " resized to the MAE's image size, with Fashion-MNIST's normalization.")
    private Path idx;
  }

  @Option(names = "--arch", paramLabel = "ARCH", required = true,
      description = "MAE architecture: base, large, huge or a JSON config file.")
  private String arch;

  @Option(names = "--init", paramLabel = "MAE",
      description = "Start from this MAE instead of random weights.")
  private Path init;

  @Option(names = "--steps", paramLabel = "N", required = true,
      description = "Optimization steps of the whole run.")
  private long steps;

  @Option(names = "--batch", paramLabel = "B", required = true, description = "Images per step.")
  private int batch;

  @Option(names = "--out", paramLabel = "MAE.safetensors", required = true,
      description = "MAE file to write (a .json sidecar is written beside it).")
  private Path out;

  @Option(names = "--mask-ratio", paramLabel = "RATIO", defaultValue = "0.75",
      description = "Fraction of patches masked per image, in (0, 1) (default: ${DEFAULT-VALUE}).")
  private double maskRatio;

  @Option(names = "--norm-pix-loss",
      description = "Reconstruct per-patch normalized pixels (the reference's _full checkpoints);"
          + " LTRP's oracle expects the default, normalized pixels.")
  private boolean normPixLoss;

  @Option(names = "--crop-scale", paramLabel = "MIN", defaultValue = "0.2",
      description = "Smallest share of the image a random crop keeps (default: ${DEFAULT-VALUE};"
          + " 1 disables cropping but keeps flips).")
  private double cropScale;

  @Option(names = "--lr", paramLabel = "X",
      description = "Peak learning rate (default: 1.5e-4 x batch / 256).")
  private Double lr;

  @Option(names = "--warmup", paramLabel = "N",
      description = "Linear warmup steps (default: a tenth of --steps).")
  private Long warmup;

  @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "0.05",
      description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  private double weightDecay;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of the initial weights and every random draw (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--resume", paramLabel = "CKPT",
      description = "Continue the run that wrote this checkpoint; give the same settings.")
  private Path resume;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Resumable checkpoint to write (default: OUT's name ending in "
          + TrainCommand.CHECKPOINT_SUFFIX + ").")
  private Path checkpoint;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "100",
      description = "Write the checkpoint every N steps and at the end (default: ${DEFAULT-VALUE}).")
  private int checkpointEvery;

  @Option(names = "--metrics", paramLabel = "FILE",
      description = "Metrics log, one JSON object per step (default: OUT's name ending in "
          + TrainCommand.METRICS_SUFFIX + ").")
  private Path metrics;

  @Option(names = "--stop-after", paramLabel = "N",
      description = "Stop after N steps of this call (checkpointing first).")
  private Long stopAfter;

  @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "f32",
      converter = Converters.WritableDTypeConverter.class,
      description = "Storage type of OUT: f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
  private DType dtype;

  @Override
  protected int run() throws IOException {
    requirePositive("--steps", steps);
    requirePositive("--batch", batch);
    requirePositive("--checkpoint-every", checkpointEvery);
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw usageError("--mask-ratio must be in (0, 1), got " + maskRatio);
    }
    if (!(cropScale > 0 && cropScale <= 1)) {
      throw usageError("--crop-scale must be in (0, 1], got " + cropScale);
    }
    if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
      throw usageError("--lr must be positive, got " + lr);
    }
    if (stopAfter != null) {
      requirePositive("--stop-after", stopAfter);
    }
    MaeConfig config = maeArchitecture("--arch", arch);
    if (source.images != null) {
      requireDirectory("--images", source.images);
    } else {
      requireFile("--idx", source.idx);
    }
    Path checkpointFile = checkpoint != null ? checkpoint
        : besideOut(out, TrainCommand.CHECKPOINT_SUFFIX);
    Path metricsFile = metrics != null ? metrics : besideOut(out, TrainCommand.METRICS_SUFFIX);
    createParentDirectories(out);
    createParentDirectories(checkpointFile);
    createParentDirectories(metricsFile);

    RandomResizedCrop crop = RandomResizedCrop.builder().setSize(config.imgSize())
        .optScale(cropScale, 1.0).build();
    ImageSource images = source.images != null
        ? TrainingImages.builder(ImageFolder.scan(source.images), config.grid()).optCrop(crop).build()
        : IdxImages.read(source.idx, null, config.grid(), config.inChans(),
            IdxImages.fashionMnistNormalization(config.inChans()), crop);
    MaeWeights initial = init != null ? MaeWeights.load(init, config)
        : MaeWeights.random(config, seed);
    MaePretrainer.Builder trainer = MaePretrainer.builder(images, initial)
        .setSteps(steps).optBatchSize(batch).optMaskRatio(maskRatio).optNormPixLoss(normPixLoss)
        .optWeightDecay(weightDecay).optSeed(seed).optCheckpoint(checkpointFile, checkpointEvery)
        .optMetricsLog(metricsFile).optListener(new ProgressListener("pretrain", errStream()));
    if (lr != null) {
      trainer.optLr(lr);
    }
    if (warmup != null) {
      trainer.optWarmupSteps(warmup);
    }
    if (resume != null) {
      requireFile("--resume", resume);
      trainer.optResume(resume);
    }
    if (stopAfter != null) {
      trainer.optStopAfter(stopAfter);
    }
    MaePretrainer.PretrainingResult result = trainer.build().train();
    result.weights().save(out, dtype);

    long done = result.firstStep() + result.losses().size();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("out", out.toString());
    summary.put("steps", done);
    summary.put("total_steps", result.steps());
    summary.put("first_loss", result.losses().isEmpty() ? null : result.losses().get(0));
    summary.put("last_loss", result.losses().isEmpty() ? null
        : result.losses().get(result.losses().size() - 1));
    summary.put("checkpoint", checkpointFile.toString());
    summary.put("metrics", metricsFile.toString());
    out().println(JSON.writeValueAsString(summary));
    out().flush();
    return 0;
  }
}
