package dev.ltrp.nd4j.training;

import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.training.CosineSchedule;
import dev.ltrp.core.training.RunOptions;
import dev.ltrp.core.training.TrainingListener;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The options every trainer shares (steps, batch, mask ratio, augmentation, the optimizer and its
 * schedule, seed, checkpoints, resume, metrics log, listener, steps per call), for {@link
 * RankerTrainer.Builder} and {@link MaePretrainer.Builder}. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TrainingBuilder<B extends TrainingBuilder<B>> {

  long steps = -1;
  int batchSize;
  double maskRatio;
  boolean augment = true;
  double baseLr = 1.5e-4;
  double lr = -1;
  long warmupSteps = -1;
  double minLr;
  double weightDecay = 0.05;
  long seed;
  Path checkpoint;
  int checkpointEvery = RunOptions.DEFAULT_CHECKPOINT_EVERY;
  Path resume;
  Path metricsLog;
  TrainingListener listener = TrainingListener.NONE;
  long stopAfter = Long.MAX_VALUE;

  TrainingBuilder(int batchSize, double maskRatio) {
    this.batchSize = batchSize;
    this.maskRatio = maskRatio;
  }

  abstract B self();

  /** Number of optimization steps (required, positive). */
  public B setSteps(long steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be positive, got " + steps);
    }
    this.steps = steps;
    return self();
  }

  /** Images per step (default: the ranker's 8, the MAE's 16). */
  public B optBatchSize(int images) {
    if (images < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + images);
    }
    this.batchSize = images;
    return self();
  }

  /**
   * Share of masked patches of each image's random visible set, in (0, 1) (default: the ranker's
   * 0.9, i.e. 19 of 196 visible; the MAE paper's 0.75 for pretraining).
   */
  public B optMaskRatio(double ratio) {
    VisibleSet.visibleCount(1000, ratio); // validates the range
    this.maskRatio = ratio;
    return self();
  }

  /** Random resized crops and flips (default on; offline ranker targets never use them). */
  public B optAugment(boolean augment) {
    this.augment = augment;
    return self();
  }

  /** Base learning rate, scaled by batch/256 (default 1.5e-4, the reference's). */
  public B optBaseLr(double blr) {
    if (!(blr > 0) || Double.isInfinite(blr)) {
      throw new IllegalArgumentException("base lr must be positive and finite, got " + blr);
    }
    this.baseLr = blr;
    return self();
  }

  /** An absolute peak learning rate, overriding the scaled base rate. */
  public B optLr(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
    }
    this.lr = lr;
    return self();
  }

  /** Linear warmup steps (default a tenth of the steps, like 40 of 400 epochs). */
  public B optWarmupSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("warmup steps must not be negative, got " + steps);
    }
    this.warmupSteps = steps;
    return self();
  }

  /** Learning rate at the end of the cosine (default 0). */
  public B optMinLr(double minLr) {
    this.minLr = minLr;
    return self();
  }

  /** Decoupled weight decay (default 0.05). */
  public B optWeightDecay(double wd) {
    if (wd < 0) {
      throw new IllegalArgumentException("weight decay must not be negative, got " + wd);
    }
    this.weightDecay = wd;
    return self();
  }

  /** Seed of every random draw (default 0). */
  public B optSeed(long seed) {
    this.seed = seed;
    return self();
  }

  /** Write a resumable checkpoint to {@code file} every {@code every} steps and at the end. */
  public B optCheckpoint(Path file, int every) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint interval must be positive, got " + every);
    }
    this.checkpoint = Objects.requireNonNull(file, "file");
    this.checkpointEvery = every;
    return self();
  }

  /** Continue the run that wrote {@code checkpoint} (same settings required). */
  public B optResume(Path checkpoint) {
    this.resume = Objects.requireNonNull(checkpoint, "checkpoint");
    return self();
  }

  /** Append per-step metrics as JSON lines to {@code file}. */
  public B optMetricsLog(Path file) {
    this.metricsLog = Objects.requireNonNull(file, "file");
    return self();
  }

  /**
   * Hear every step, validation and the end of the run (e.g. the command line's progress bar);
   * default none. Called on the thread that calls {@code train()}.
   */
  public B optListener(TrainingListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * Stop after this many steps of this call (checkpointing first when a checkpoint file is set), to
   * train a long run in bounded sessions; resume it later with {@link #optResume}.
   */
  public B optStopAfter(long stepsThisCall) {
    if (stepsThisCall < 1) {
      throw new IllegalArgumentException("stopAfter must be positive, got " + stepsThisCall);
    }
    this.stopAfter = stepsThisCall;
    return self();
  }

  void requireSteps() {
    if (steps < 1) {
      throw new IllegalStateException("setSteps is required");
    }
  }

  /** The run's options: steps, checkpoints, resume, metrics log and steps per call. */
  RunOptions runOptions(int validateEvery) {
    RunOptions run = RunOptions.of(steps).withValidateEvery(validateEvery).withStopAfter(stopAfter);
    run = checkpoint == null ? run : run.withCheckpoint(checkpoint, checkpointEvery);
    run = resume == null ? run : run.withResume(resume);
    return metricsLog == null ? run : run.withMetricsLog(metricsLog);
  }

  /** The reference schedule: cosine from the peak rate, linear warmup. */
  CosineSchedule schedule() {
    return CosineSchedule.builder()
        .setBaseLr(lr > 0 ? lr : CosineSchedule.linearScaledLr(baseLr, batchSize))
        .setTotalSteps(steps)
        .optWarmupSteps(warmupSteps >= 0 ? warmupSteps : steps / 10)
        .optMinLr(minLr)
        .build();
  }
}
