package dev.ltrp.cli;

import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.training.TrainingListener;
import dev.ltrp.nd4j.training.TrainingBuilder;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options of a training run that {@code train} and {@code pretrain} share (a picocli mixin):
 * steps, batch, learning rate, warmup, weight decay, seed, checkpoint, resume, metrics log, steps
 * per call and the stored type of the result; {@link #apply} sets them on any trainer's builder.
 * Not thread-safe: filled by picocli.
 */
final class TrainingRunOptions {

  /** What the checkpoint's file name ends in when {@code --checkpoint} is not given. */
  static final String CHECKPOINT_SUFFIX = ".ckpt.safetensors";

  /** What the metrics log's file name ends in when {@code --metrics} is not given. */
  static final String METRICS_SUFFIX = ".metrics.jsonl";

  @Option(
      names = "--steps",
      paramLabel = "N",
      required = true,
      description = "Optimization steps of the whole run.")
  long steps;

  @Option(names = "--batch", paramLabel = "B", required = true, description = "Images per step.")
  int batch;

  @ArgGroup(exclusive = true)
  LearningRate rate = new LearningRate();

  /** The peak learning rate: absolute, or a base rate scaled by batch/256. */
  static final class LearningRate {
    /** The reference's base learning rate. */
    static final double DEFAULT_BASE_LR = 1.5e-4;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate, instead of --blr.")
    Double lr;

    // No defaultValue: picocli would then show --blr as optional inside the exclusive group.
    @Option(
        names = "--blr",
        paramLabel = "X",
        description = "Base learning rate, scaled by batch/256 (default: " + DEFAULT_BASE_LR + ").")
    double baseLr = DEFAULT_BASE_LR;
  }

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Linear warmup steps (default: a tenth of --steps).")
  Long warmup;

  @Option(
      names = "--weight-decay",
      paramLabel = "X",
      defaultValue = "0.05",
      description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "Seed of the initial weights and of every random draw (default:" + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--resume",
      paramLabel = "CKPT",
      description =
          "Continue the run that wrote this checkpoint; give the same settings"
              + " (including --steps).")
  Path resume;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "Resumable checkpoint to write (default: OUT's name ending in "
              + CHECKPOINT_SUFFIX
              + ").")
  Path checkpoint;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Write the checkpoint every N steps and at the end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--metrics",
      paramLabel = "FILE",
      description =
          "Metrics log, one JSON object per step (default: OUT's name ending in "
              + METRICS_SUFFIX
              + ").")
  Path metrics;

  @Option(
      names = "--stop-after",
      paramLabel = "N",
      description =
          "Stop after N steps of this call (checkpointing first); continue later with"
              + " --resume.")
  Long stopAfter;

  @Option(
      names = "--dtype",
      paramLabel = "TYPE",
      defaultValue = "f32",
      converter = Converters.WritableDTypeConverter.class,
      description = "Storage type of OUT: f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
  DType dtype;

  /** Ranges a trainer would reject, reported as usage errors naming the option. */
  void check(LtrpSubcommand command) {
    command.requirePositive("--steps", steps);
    command.requirePositive("--batch", batch);
    command.requirePositive("--checkpoint-every", checkpointEvery);
    if (stopAfter != null) {
      command.requirePositive("--stop-after", stopAfter);
    }
    if (rate.lr != null && !(rate.lr > 0 && Double.isFinite(rate.lr))) {
      throw command.usageError("--lr must be positive, got " + rate.lr);
    }
    if (!(rate.baseLr > 0 && Double.isFinite(rate.baseLr))) {
      throw command.usageError("--blr must be positive, got " + rate.baseLr);
    }
    if (warmup != null && warmup < 0) {
      throw command.usageError("--warmup must not be negative, got " + warmup);
    }
    if (weightDecay < 0) {
      throw command.usageError("--weight-decay must not be negative, got " + weightDecay);
    }
  }

  /** {@code --checkpoint}, or {@code out}'s name with {@link #CHECKPOINT_SUFFIX}. */
  Path checkpointFile(Path out) {
    return checkpoint != null ? checkpoint : LtrpSubcommand.besideOut(out, CHECKPOINT_SUFFIX);
  }

  /** {@code --metrics}, or {@code out}'s name with {@link #METRICS_SUFFIX}. */
  Path metricsFile(Path out) {
    return metrics != null ? metrics : LtrpSubcommand.besideOut(out, METRICS_SUFFIX);
  }

  /** Sets these options on {@code trainer}, checkpointing beside {@code out} unless told. */
  <B extends TrainingBuilder<B>> B apply(B trainer, Path out, TrainingListener listener) {
    trainer
        .setSteps(steps)
        .optBatchSize(batch)
        .optBaseLr(rate.baseLr)
        .optWeightDecay(weightDecay)
        .optSeed(seed)
        .optCheckpoint(checkpointFile(out), checkpointEvery)
        .optMetricsLog(metricsFile(out))
        .optListener(listener);
    if (rate.lr != null) {
      trainer.optLr(rate.lr);
    }
    if (warmup != null) {
      trainer.optWarmupSteps(warmup);
    }
    if (resume != null) {
      trainer.optResume(resume);
    }
    if (stopAfter != null) {
      trainer.optStopAfter(stopAfter);
    }
    return trainer;
  }
}
