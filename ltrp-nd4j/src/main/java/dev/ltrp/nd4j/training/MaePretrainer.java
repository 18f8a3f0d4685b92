package dev.ltrp.nd4j.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.TrainingBatches;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.ModelProvenance;
import dev.ltrp.core.training.RunOptions;
import dev.ltrp.core.training.TrainingState;
import dev.ltrp.nd4j.internal.training.MaeTrainingGraph;
import dev.ltrp.nd4j.internal.training.TrainingLoop;
import dev.ltrp.nd4j.internal.training.TrainingSession;
import dev.ltrp.nd4j.internal.training.TrainingTask;
import java.io.IOException;
import java.util.ArrayList;
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
 * <p>The training infrastructure is the ranker's ({@link RankerTrainer}): random draws derived from
 * the seed and the step, atomic resumable checkpoints, a metrics log, a listener, and a clean stop
 * on a non-finite loss. Note: LTRP scores patches with a MAE that predicts normalized pixels (the
 * reference's "visualize" checkpoints); a {@code norm_pix_loss} MAE gives scores on another scale.
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
    String settings = settingsJson();
    RunOptions run = b.runOptions(RunOptions.DEFAULT_VALIDATE_EVERY);
    TrainingCheckpoint resumed = TrainingLoop.resumed(run, settings);
    MaeWeights start =
        resumed == null
            ? MaeWeights.of(config, b.initial.stateDict(), b.initial.source())
            : resumed.maeWeights(run.resume());
    MaeTrainingGraph graph = MaeTrainingGraph.build(start, DataType.FLOAT);
    float[] positionTable = start.tensor("pos_embed").toArray();
    TrainingTask<Batch> task =
        new TrainingTask<>() {
          @Override
          public int itemsPerStep() {
            return b.batchSize;
          }

          @Override
          public Batch batch(long step) throws IOException {
            int[] indices = batches.batch(step);
            List<ImageTensor> images = new ArrayList<>(indices.length);
            List<VisibleSet> visible = new ArrayList<>(indices.length);
            for (int i = 0; i < indices.length; i++) {
              images.add(
                  b.augment
                      ? b.images.augmented(indices[i], batches.randomFor(step, i, "crop"))
                      : b.images.image(indices[i]));
              visible.add(VisibleSet.random(grid, b.maskRatio, batches.randomFor(step, i, "mask")));
            }
            return new Batch(images, visible);
          }

          @Override
          public Map<String, INDArray> placeholders(Batch batch) {
            return MaeTrainingGraph.inputs(config, batch.images(), batch.visible(), positionTable);
          }

          @Override
          public TrainingCheckpoint checkpoint(long done, double lr, StateDict optimizer) {
            return TrainingCheckpoint.mae(
                graph.export("step " + done),
                optimizer,
                new TrainingState(done, batches.epochsBefore(done), b.seed, b.steps, lr),
                settings);
          }
        };
    try (TrainingSession session =
        TrainingSession.start(graph, graph.decayed(), b.weightDecay, "ltrp-mae-pretraining")) {
      TrainingLoop.Outcome outcome =
          TrainingLoop.run(session, task, b.schedule(), run, resumed, b.listener);
      long done = outcome.endStep();
      MaeWeights result =
          session
              .call(sd -> graph.export("pretrained (" + done + " steps)"))
              .withProvenance(ModelProvenance.training(done, settings));
      return new PretrainingResult(result, outcome.losses(), outcome.firstStep(), b.steps);
    }
  }

  /** One step's images and visible sets. */
  private record Batch(List<ImageTensor> images, List<VisibleSet> visible) {}

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
  public record PretrainingResult(
      MaeWeights weights, List<Double> losses, long firstStep, long steps) {}

  /** Builds a {@link MaePretrainer}. Not thread-safe. */
  public static final class Builder extends TrainingBuilder<Builder> {
    private final ImageSource images;
    private final MaeWeights initial;
    private boolean normPixLoss;

    private Builder(ImageSource images, MaeWeights initial) {
      super(16, 0.75);
      this.images = Objects.requireNonNull(images, "images");
      this.initial = Objects.requireNonNull(initial, "initial");
      if (!images.grid().equals(initial.config().grid())
          || images.channels() != initial.config().inChans()) {
        throw new IllegalArgumentException(
            "the images are delivered as "
                + images.channels()
                + " channels on "
                + images.grid()
                + " but the MAE takes "
                + initial.config().inChans()
                + " on "
                + initial.config().grid());
      }
    }

    /** Reconstruct per-patch normalized pixels (the reference's {@code --norm_pix_loss}). */
    public Builder optNormPixLoss(boolean normPixLoss) {
      this.normPixLoss = normPixLoss;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public MaePretrainer build() {
      requireSteps();
      return new MaePretrainer(this);
    }
  }
}
