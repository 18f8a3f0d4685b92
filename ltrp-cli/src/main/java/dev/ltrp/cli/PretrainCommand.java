package dev.ltrp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import picocli.CommandLine.Mixin;
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
          + " prints one JSON summary line."
    },
    sortOptions = false)
public final class PretrainCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  /** The training images: a folder of photos or an IDX file. */
  static final class Source {
    @Option(
        names = "--images",
        paramLabel = "DIR",
        required = true,
        description = "Folder of training photos (searched recursively).")
    private Path images;

    @Option(
        names = "--idx",
        paramLabel = "FILE",
        required = true,
        description =
            "IDX image file (e.g. Fashion-MNIST's train-images-idx3-ubyte.gz),"
                + " resized to the MAE's image size, with Fashion-MNIST's normalization.")
    private Path idx;
  }

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      required = true,
      description = "MAE architecture: base, large, huge or a JSON config file.")
  private String arch;

  @Mixin private TrainingRunOptions training;

  @Option(
      names = "--init",
      paramLabel = "MAE",
      description = "Start from this MAE instead of random weights.")
  private Path init;

  @Option(
      names = "--out",
      paramLabel = "MAE.safetensors",
      required = true,
      description = "MAE file to write (a .json sidecar is written beside it).")
  private Path out;

  @Option(
      names = "--mask-ratio",
      paramLabel = "RATIO",
      defaultValue = "0.75",
      description = "Fraction of patches masked per image, in (0, 1) (default: ${DEFAULT-VALUE}).")
  private double maskRatio;

  @Option(
      names = "--norm-pix-loss",
      description =
          "Reconstruct per-patch normalized pixels (the reference's _full checkpoints);"
              + " LTRP's oracle expects the default, normalized pixels.")
  private boolean normPixLoss;

  @Option(
      names = "--crop-scale",
      paramLabel = "MIN",
      defaultValue = "0.2",
      description =
          "Smallest share of the image a random crop keeps (default: ${DEFAULT-VALUE};"
              + " 1 disables cropping but keeps flips).")
  private double cropScale;

  @Override
  protected int run() throws IOException {
    training.check(this);
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw usageError("--mask-ratio must be in (0, 1), got " + maskRatio);
    }
    if (!(cropScale > 0 && cropScale <= 1)) {
      throw usageError("--crop-scale must be in (0, 1], got " + cropScale);
    }
    MaeConfig config = maeArchitecture("--arch", arch);
    if (source.images != null) {
      requireDirectory("--images", source.images);
    } else {
      requireFile("--idx", source.idx);
    }
    if (training.resume != null) {
      requireFile("--resume", training.resume);
    }
    Path checkpointFile = training.checkpointFile(out);
    Path metricsFile = training.metricsFile(out);
    createParentDirectories(out);
    createParentDirectories(checkpointFile);
    createParentDirectories(metricsFile);

    RandomResizedCrop crop =
        RandomResizedCrop.builder().setSize(config.imgSize()).optScale(cropScale, 1.0).build();
    ImageSource images =
        source.images != null
            ? TrainingImages.builder(ImageFolder.scan(source.images), config.grid())
                .optCrop(crop)
                .build()
            : IdxImages.read(
                source.idx,
                null,
                config.grid(),
                config.inChans(),
                IdxImages.fashionMnistNormalization(config.inChans()),
                crop);
    MaeWeights initial =
        init != null ? MaeWeights.load(init, config) : MaeWeights.random(config, training.seed);
    MaePretrainer.Builder trainer =
        MaePretrainer.builder(images, initial).optMaskRatio(maskRatio).optNormPixLoss(normPixLoss);
    training.apply(trainer, out, new ProgressListener("pretrain", errStream()));
    MaePretrainer.PretrainingResult result = trainer.build().train();
    result.weights().save(out, training.dtype);

    long done = result.firstStep() + result.losses().size();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("out", out.toString());
    summary.put("steps", done);
    summary.put("total_steps", result.steps());
    summary.put("first_loss", result.losses().isEmpty() ? null : result.losses().get(0));
    summary.put(
        "last_loss",
        result.losses().isEmpty() ? null : result.losses().get(result.losses().size() - 1));
    summary.put("checkpoint", checkpointFile.toString());
    summary.put("metrics", metricsFile.toString());
    out().println(JSON.writeValueAsString(summary));
    out().flush();
    return 0;
  }
}
