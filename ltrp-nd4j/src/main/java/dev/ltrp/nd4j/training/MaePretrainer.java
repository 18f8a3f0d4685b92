package dev.ltrp.nd4j.training;

import dev.ltrp.nd4j.internal.training.RankerTrainingGraph;
import dev.ltrp.nd4j.internal.training.MaeTrainingGraph;
import dev.ltrp.nd4j.internal.training.AdamW;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.TrainingBatches;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.MaskedBatch;
import dev.ltrp.core.training.CosineSchedule;
import dev.ltrp.core.training.MetricsLog;
import dev.ltrp.core.training.ProgressBar;
import dev.ltrp.core.training.TrainingState;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Self-supervised MAE pretraining on unlabeled images: each step masks a fresh random 75% of each
 * (randomly cropped and flipped) image's patches, reconstructs them with the encoder on the visible
 * patches and the decoder, and minimizes the squared error on the masked patches (of normalized
 * pixels, or of per-patch normalized pixels with {@link Builder#optNormPixLoss}), with AdamW and a
 * cosine schedule with warmup, as the reference MAE does.
 *
 * <p>The training infrastructure is the ranker's ({@link RankerTrainer}): random draws derived
 * from the seed and the step, atomic resumable checkpoints, a metrics log, a progress bar, and a
 * clean stop on a non-finite loss. Note: LTRP scores patches with a MAE that predicts normalized
 * pixels (the reference's "visualize" checkpoints); a {@code norm_pix_loss} MAE gives scores on
 * another scale.
 *
 * <p>Not thread-safe: one pretrainer runs one training.
 */
public final class MaePretrainer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Builder b;
  private final MaeConfig config;
  private final PatchGrid grid;

  private MaePretrainer(Builder b) {
    this.b = b;
    this.config = b.initial.config().withNormPixLoss(b.normPixLoss);
    this.grid = config.grid();
  }

  /**
   * A builder.
   *
   * @param images the training images, delivered at the MAE's grid
   * @param initial the starting weights (e.g. {@link MaeWeights#random})
   */
  public static Builder builder(ImageSource images, MaeWeights initial) {
    return new Builder(images, initial);
  }

  /**
   * Runs the pretraining from the start, or from {@link Builder#optResume}'s checkpoint.
   *
   * @throws IOException if an image, the checkpoint or the log cannot be read or written
   * @throws TrainingDivergedException if the loss becomes NaN or infinite
   */
  public PretrainingResult train() throws IOException {
    TrainingBatches batches = TrainingBatches.create(b.images.size(), b.batchSize, b.seed);
    CosineSchedule schedule = CosineSchedule.builder()
        .setBaseLr(b.lr > 0 ? b.lr : CosineSchedule.linearScaledLr(b.baseLr, b.batchSize))
        .setTotalSteps(b.steps)
        .optWarmupSteps(b.warmupSteps >= 0 ? b.warmupSteps : b.steps / 10)
        .optMinLr(b.minLr)
        .build();
    String settings = settingsJson();
    MaeWeights start = MaeWeights.of(config, b.initial.stateDict(), b.initial.source());
    TrainingCheckpoint resumed = null;
    if (b.resume != null) {
      resumed = TrainingCheckpoint.load(b.resume);
      TrainingRuns.checkSettings(resumed.settings(), settings);
      start = resumed.maeWeights(b.resume);
    }
    long firstStep = resumed == null ? 0 : resumed.state().step();
    MaeTrainingGraph graph = MaeTrainingGraph.build(start, DataType.FLOAT);
    float[] positionTable = start.tensor("pos_embed").toArray();
    List<Double> losses = new ArrayList<>();
    try (GraphRunner runner = GraphRunner.start(graph.sameDiff(), "ltrp-mae-pretraining",
            RankerTrainingGraph.CACHE_BYTES);
        AdamW adam = AdamW.reference(b.weightDecay, graph.decayed());
        MetricsLog log = TrainingRuns.openLog(b.metricsLog, firstStep)) {
      if (resumed != null) {
        TrainingCheckpoint from = resumed;
        runner.call(sd -> {
          adam.restore(from.optimizerState(), from.state().step());
          return null;
        });
      }
      ProgressBar progress = b.progress == null ? null : ProgressBar.builder()
          .setTotal(b.steps).setLabel("pretrain").setOut(b.progress)
          .optItemsPerStep(b.batchSize, "img").build();
      long endStep = Math.min(b.steps, firstStep + Math.min(b.stopAfter, b.steps));
      for (long step = firstStep; step < endStep; step++) {
        int[] indices = batches.batch(step);
        List<ImageTensor> images = new ArrayList<>(indices.length);
        List<VisibleSet> visible = new ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
          images.add(b.augment
              ? b.images.augmented(indices[i], batches.randomFor(step, i, "crop"))
              : b.images.image(indices[i]));
          visible.add(VisibleSet.random(grid, b.maskRatio, batches.randomFor(step, i, "mask")));
        }
        double lr = schedule.lr(step);
        long started = System.nanoTime();
        double loss;
        try {
          loss = runner.call(sd -> {
            Map<String, INDArray> in = MaeTrainingGraph.inputs(config, images, visible,
                positionTable);
            try {
              return graph.trainStep(adam, in, lr);
            } finally {
              GraphArrays.closeAll(in);
            }
          });
        } catch (TrainingDivergedException e) {
          throw TrainingRuns.diverged(e, step + 1, b.checkpoint);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        TrainingRuns.collectNativeGarbage();
        losses.add(loss);
        if (log != null) {
          Map<String, Object> record = new LinkedHashMap<>();
          record.put("step", step + 1);
          record.put("loss", loss);
          record.put("lr", lr);
          record.put("images_per_s", b.batchSize / Math.max(seconds, 1e-9));
          log.append(record);
        }
        if (progress != null) {
          progress.update(step + 1, Map.of("loss", loss));
        }
        boolean last = step + 1 == endStep;
        if (b.checkpoint != null && ((step + 1) % b.checkpointEvery == 0 || last)) {
          long done = step + 1;
          TrainingCheckpoint checkpoint = runner.call(sd -> TrainingCheckpoint.mae(
              graph.export("step " + done), adam.state(),
              new TrainingState(done, batches.epochsBefore(done), b.seed, b.steps, lr),
              settings));
          checkpoint.save(b.checkpoint);
        }
      }
      if (progress != null) {
        progress.finish();
      }
      long done = endStep;
      MaeWeights result = runner.call(sd -> graph.export("pretrained (" + done + " steps)"));
      return new PretrainingResult(result, List.copyOf(losses), firstStep, b.steps);
    }
  }

  private String settingsJson() {
    ObjectNode s = JSON.createObjectNode();
    s.put("config", config.toJson());
    s.put("images", b.images.size());
    s.put("image_names_hash", RankerTrainer.imageNamesHash(b.images));
    s.put("steps", b.steps);
    s.put("batch", b.batchSize);
    s.put("mask_ratio", b.maskRatio);
    s.put("norm_pix_loss", b.normPixLoss);
    s.put("augment", b.augment);
    s.put("base_lr", b.baseLr);
    s.put("lr", b.lr);
    s.put("warmup_steps", b.warmupSteps);
    s.put("min_lr", b.minLr);
    s.put("weight_decay", b.weightDecay);
    s.put("seed", b.seed);
    return s.toString();
  }

  /**
   * The outcome of {@link #train()}.
   *
   * @param weights the pretrained MAE
   * @param losses the loss of each step this call ran
   * @param firstStep the step this call started from
   * @param steps the run's total steps
   */
  public record PretrainingResult(MaeWeights weights, List<Double> losses, long firstStep,
      long steps) {}

  /** Builds a {@link MaePretrainer}. Not thread-safe. */
  public static final class Builder {
    private final ImageSource images;
    private final MaeWeights initial;
    private long steps = -1;
    private int batchSize = 16;
    private double maskRatio = 0.75;
    private boolean normPixLoss;
    private boolean augment = true;
    private double baseLr = 1.5e-4;
    private double lr = -1;
    private long warmupSteps = -1;
    private double minLr;
    private double weightDecay = 0.05;
    private long seed;
    private Path checkpoint;
    private int checkpointEvery = 100;
    private Path resume;
    private Path metricsLog;
    private PrintStream progress;
    private long stopAfter = Long.MAX_VALUE;

    private Builder(ImageSource images, MaeWeights initial) {
      this.images = Objects.requireNonNull(images, "images");
      this.initial = Objects.requireNonNull(initial, "initial");
      if (!images.grid().equals(initial.config().grid())
          || images.channels() != initial.config().inChans()) {
        throw new IllegalArgumentException("the images are delivered as " + images.channels()
            + " channels on " + images.grid() + " but the MAE takes " + initial.config().inChans()
            + " on " + initial.config().grid());
      }
    }

    /** Number of optimization steps (required, positive). */
    public Builder setSteps(long steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be positive, got " + steps);
      }
      this.steps = steps;
      return this;
    }

    /** Images per step (default 16). */
    public Builder optBatchSize(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("batch size must be positive, got " + images);
      }
      this.batchSize = images;
      return this;
    }

    /** Share of masked patches, in (0, 1) (default 0.75, the MAE paper's). */
    public Builder optMaskRatio(double ratio) {
      VisibleSet.visibleCount(1000, ratio);
      this.maskRatio = ratio;
      return this;
    }

    /** Reconstruct per-patch normalized pixels (the reference's {@code --norm_pix_loss}). */
    public Builder optNormPixLoss(boolean normPixLoss) {
      this.normPixLoss = normPixLoss;
      return this;
    }

    /** Random resized crops and flips (default on). */
    public Builder optAugment(boolean augment) {
      this.augment = augment;
      return this;
    }

    /** Base learning rate, scaled by batch/256 (default 1.5e-4). */
    public Builder optBaseLr(double blr) {
      if (!(blr > 0) || Double.isInfinite(blr)) {
        throw new IllegalArgumentException("base lr must be positive and finite, got " + blr);
      }
      this.baseLr = blr;
      return this;
    }

    /** An absolute peak learning rate, overriding the scaled base rate. */
    public Builder optLr(double lr) {
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
      }
      this.lr = lr;
      return this;
    }

    /** Linear warmup steps (default a tenth of the steps). */
    public Builder optWarmupSteps(long steps) {
      if (steps < 0) {
        throw new IllegalArgumentException("warmup steps must not be negative, got " + steps);
      }
      this.warmupSteps = steps;
      return this;
    }

    /** Learning rate at the end of the cosine (default 0). */
    public Builder optMinLr(double minLr) {
      this.minLr = minLr;
      return this;
    }

    /** Decoupled weight decay (default 0.05). */
    public Builder optWeightDecay(double wd) {
      if (wd < 0) {
        throw new IllegalArgumentException("weight decay must not be negative, got " + wd);
      }
      this.weightDecay = wd;
      return this;
    }

    /** Seed of every random draw (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Write a resumable checkpoint every {@code every} steps and at the end. */
    public Builder optCheckpoint(Path file, int every) {
      if (every < 1) {
        throw new IllegalArgumentException("checkpoint interval must be positive, got " + every);
      }
      this.checkpoint = Objects.requireNonNull(file, "file");
      this.checkpointEvery = every;
      return this;
    }

    /** Continue the run that wrote {@code checkpoint} (same settings required). */
    public Builder optResume(Path checkpoint) {
      this.resume = Objects.requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /** Append per-step metrics as JSON lines to {@code file}. */
    public Builder optMetricsLog(Path file) {
      this.metricsLog = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Draw a progress bar on {@code out}; default none. */
    public Builder optProgress(PrintStream out) {
      this.progress = out;
      return this;
    }

    /** Stop after this many steps of this call (checkpointing first). */
    public Builder optStopAfter(long stepsThisCall) {
      if (stepsThisCall < 1) {
        throw new IllegalArgumentException("stopAfter must be positive, got " + stepsThisCall);
      }
      this.stopAfter = stepsThisCall;
      return this;
    }

    public MaePretrainer build() {
      if (steps < 1) {
        throw new IllegalStateException("setSteps is required");
      }
      return new MaePretrainer(this);
    }
  }
}
