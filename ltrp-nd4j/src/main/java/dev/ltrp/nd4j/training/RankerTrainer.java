package dev.ltrp.nd4j.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.Seeds;
import dev.ltrp.core.data.TrainingBatches;
import dev.ltrp.core.data.TrainingImages;
import dev.ltrp.core.loss.RankingBatch;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.metrics.RankingReport;
import dev.ltrp.core.model.ModelProvenance;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.training.PseudoLabels;
import dev.ltrp.core.training.RunOptions;
import dev.ltrp.core.training.TrainingState;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.loss.LossGraph;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import dev.ltrp.nd4j.internal.training.RankerTrainingGraph;
import dev.ltrp.nd4j.internal.training.TrainingLoop;
import dev.ltrp.nd4j.internal.training.TrainingSession;
import dev.ltrp.nd4j.internal.training.TrainingTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains an LTRP ranker on a folder of unlabeled images (LTRP-METHOD §4).
 *
 * <p>Each step takes a batch of images (random resized crop, scale 0.2–1, and horizontal flip), a
 * fresh random visible set per image at the mask ratio (0.9: 19 of 196), the oracle's scores of the
 * visible patches ({@link PseudoLabels}), the ranker's logits at those patches (from the whole
 * image, or from the visible patches only in asymmetric mode), a ranking loss, and one AdamW step
 * (β 0.9/0.95, weight decay 0.05 except biases, norms and the class token) with the learning rate
 * of a cosine schedule with linear warmup.
 *
 * <p>Every random draw derives from the seed and the step ({@link Seeds}), so a run resumed from a
 * checkpoint repeats exactly the steps the interrupted run would have taken. Checkpoints are
 * written atomically every {@code N} steps; a metrics log (JSON lines) records loss, learning rate
 * and throughput per step and ranking metrics against the oracle on held-out images.
 *
 * <pre>{@code
 * try (MaeScoreOracle oracle = MaeScoreOracle.create(MaeWeights.load(maeFile, null))) {
 *   TrainingResult result = RankerTrainer.builder(ImageFolder.scan(dir),
 *           PseudoLabels.online(oracle), RankerWeights.random(RankerConfig.small(), 0))
 *       .setSteps(1000).optBatchSize(8).optCheckpoint(Path.of("run/checkpoint.safetensors"), 100)
 *       .build().train();
 *   result.weights().save(Path.of("ranker.safetensors"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one trainer runs one training.
 */
public final class RankerTrainer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Builder b;
  private final RankerConfig config;
  private final PatchGrid grid;
  private final int listLength;

  private RankerTrainer(Builder b) {
    this.b = b;
    this.config = b.initial.config();
    this.grid = config.grid();
    if (!b.labels.grid().equals(grid)) {
      throw new IllegalArgumentException(
          "the targets are on "
              + b.labels.grid()
              + " but the ranker is on "
              + grid
              + ": use an oracle and a ranker of the same grid");
    }
    int visible = VisibleSet.visibleCount(grid.numPatches(), b.maskRatio);
    this.listLength = b.loss == RankingLoss.LISTMLE ? Math.min(visible, b.topK) : visible;
  }

  /**
   * A builder.
   *
   * @param images the training images (a share is held out for validation)
   * @param labels where the targets come from
   * @param initial the starting weights (e.g. {@link RankerWeights#random})
   */
  public static Builder builder(ImageSource images, PseudoLabels labels, RankerWeights initial) {
    return new Builder(images, labels, initial);
  }

  /**
   * A builder over a folder of photos, delivered at the ranker's grid with the reference
   * augmentation ({@link TrainingImages} with its defaults).
   */
  public static Builder builder(ImageFolder images, PseudoLabels labels, RankerWeights initial) {
    return new Builder(
        TrainingImages.builder(images, initial.config().grid()).build(), labels, initial);
  }

  /**
   * Runs the training from the start, or from {@link Builder#optResume}'s checkpoint.
   *
   * @throws IOException if an image, the checkpoint or the log cannot be read or written
   * @throws TrainingDivergedException if the loss becomes NaN or infinite (the last checkpoint is
   *     kept)
   */
  public TrainingResult train() throws IOException {
    // Hold out a share for validation unless disabled or there is only one image to train on.
    boolean validate = b.heldOutFraction > 0 && b.images.size() >= 2;
    ImageSource.Split split = validate ? b.images.split(b.heldOutFraction, b.seed) : null;
    ImageSource train = validate ? split.train() : b.images;
    TrainingBatches batches = TrainingBatches.create(train.size(), b.batchSize, b.seed);
    String settings = settingsJson(train);
    RunOptions run = b.runOptions(b.validateEvery);
    TrainingCheckpoint resumed = TrainingLoop.resumed(run, settings);
    RankerWeights start = resumed == null ? b.initial : resumed.rankerWeights(run.resume());

    RankerTrainingGraph graph =
        RankerTrainingGraph.build(start, b.loss, listLength, DataType.FLOAT);
    float[] positionTable = start.tensor("pos_embed").toArray();
    Validation validation =
        validate
            ? new Validation(split.heldOut(), config, b.labels, b.maskRatio, b.seed, positionTable)
            : null;
    TrainingTask<Batch> task =
        new TrainingTask<>() {
          @Override
          public int itemsPerStep() {
            return b.batchSize;
          }

          @Override
          public Batch batch(long step) throws IOException {
            int[] indices = batches.batch(step);
            List<String> names = new ArrayList<>(indices.length);
            List<ImageTensor> images = new ArrayList<>(indices.length);
            List<VisibleSet> visible = new ArrayList<>(indices.length);
            for (int i = 0; i < indices.length; i++) {
              names.add(train.name(indices[i]));
              images.add(
                  b.labels.followsAugmentation() && b.augment
                      ? train.augmented(indices[i], batches.randomFor(step, i, "crop"))
                      : train.image(indices[i]));
              visible.add(
                  VisibleSet.random(grid, b.maskRatio, batches.randomFor(step, i, "visible")));
            }
            List<PatchScores> targets = b.labels.label(names, images, visible);
            RankingBatch lists =
                RankingBatch.prepare(
                    b.loss, grid, targets, b.topK, Seeds.random(b.seed, "topk", step));
            return new Batch(images, visible, lists);
          }

          @Override
          public Map<String, INDArray> placeholders(Batch batch) {
            Map<String, INDArray> in =
                new HashMap<>(LossGraph.placeholders(batch.lists(), DataType.FLOAT));
            in.putAll(rankerInputs(batch.images(), batch.visible(), positionTable));
            return in;
          }

          @Override
          public boolean validates() {
            return validation != null;
          }

          @Override
          public Map<String, Object> validate(SameDiff sd) {
            Validation.Result result = validation.evaluate(sd);
            RankingReport report = result.report();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("val_kendall_tau", report.kendallTau());
            metrics.put("val_spearman", report.spearman());
            metrics.put("val_ndcg_at_k", report.ndcgAtK());
            metrics.put("val_top_k_overlap", report.topKOverlap());
            metrics.put("val_k", report.k());
            // Position dependence: near the variance reference is content; near 1 is a fixed order.
            metrics.put("val_position_spearman", result.positionSpearman());
            metrics.put("val_position_spearman_variance", validation.variancePositionSpearman());
            return metrics;
          }

          @Override
          public TrainingCheckpoint checkpoint(long done, double lr, StateDict optimizer) {
            return TrainingCheckpoint.ranker(
                graph.export("step " + done),
                optimizer,
                new TrainingState(done, batches.epochsBefore(done), b.seed, b.steps, lr),
                settings);
          }
        };
    try (TrainingSession session =
        TrainingSession.start(graph, graph.decayed(), b.weightDecay, "ltrp-ranker-training")) {
      TrainingLoop.Outcome outcome =
          TrainingLoop.run(session, task, b.schedule(), run, resumed, b.listener);
      long done = outcome.endStep();
      RankerWeights result =
          session
              .call(sd -> graph.export("trained (" + done + " steps)"))
              .withProvenance(ModelProvenance.training(done, settings));
      return new TrainingResult(
          result, outcome.losses(), outcome.validations(), outcome.firstStep(), b.steps);
    }
  }

  /** One step's images, visible sets and target lists. */
  private record Batch(List<ImageTensor> images, List<VisibleSet> visible, RankingBatch lists) {}

  /** Patches and positions for the ranker: the visible ones (asymmetric) or all of them. */
  private Map<String, INDArray> rankerInputs(
      List<ImageTensor> images, List<VisibleSet> visible, float[] positionTable) {
    int dim = config.patchDim();
    int width = config.embedDim();
    int count = images.size();
    if (!b.asymmetric) {
      return RankerGraph.fullImageInputs(images, positionTable, config);
    }
    int n = visible.get(0).size();
    float[] patches = new float[count * n * dim];
    float[] positions = new float[count * n * width];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < n; j++) {
        int patch = visible.get(i).get(j);
        images.get(i).patchVector(grid, patch, patches, (i * n + j) * dim);
        System.arraycopy(positionTable, (1 + patch) * width, positions, (i * n + j) * width, width);
      }
    }
    return Map.of(
        RankerGraph.PATCHES,
        GraphArrays.floats(patches, count, n, dim),
        RankerGraph.POSITIONS,
        GraphArrays.floats(positions, count, n, width));
  }

  private String settingsJson(ImageSource train) {
    ObjectNode s = JSON.createObjectNode();
    s.put("config", config.toJson());
    s.put("images", train.size());
    s.put("image_names_hash", imageNamesHash(train));
    s.put("steps", b.steps);
    s.put("batch", b.batchSize);
    s.put("loss", b.loss.cliName());
    s.put("asymmetric", b.asymmetric);
    s.put("augment", b.augment);
    s.put("mask_ratio", b.maskRatio);
    s.put("top_k", b.topK);
    s.put("base_lr", b.baseLr);
    s.put("lr", b.lr);
    s.put("warmup_steps", b.warmupSteps);
    s.put("min_lr", b.minLr);
    s.put("weight_decay", b.weightDecay);
    s.put("seed", b.seed);
    s.put("held_out_fraction", b.heldOutFraction);
    return s.toString();
  }

  static int imageNamesHash(ImageSource images) {
    int h = 1;
    for (int i = 0; i < images.size(); i++) {
      h = 31 * h + images.name(i).hashCode();
    }
    return h;
  }

  /** Builds a {@link RankerTrainer}. Not thread-safe. */
  public static final class Builder extends TrainingBuilder<Builder> {
    private final ImageSource images;
    private final PseudoLabels labels;
    private final RankerWeights initial;
    private RankingLoss loss = RankingLoss.LISTMLE;
    private boolean asymmetric;
    private int topK = 20;
    private double heldOutFraction = 0.1;
    private int validateEvery = 50;

    private Builder(ImageSource images, PseudoLabels labels, RankerWeights initial) {
      super(8, 0.9);
      this.images = Objects.requireNonNull(images, "images");
      this.labels = Objects.requireNonNull(labels, "labels");
      this.initial = Objects.requireNonNull(initial, "initial");
    }

    /** The loss (default ListMLE). */
    public Builder optLoss(RankingLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** Asymmetric mode: the ranker sees only the visible patches while training (default off). */
    public Builder optAsymmetric(boolean asymmetric) {
      this.asymmetric = asymmetric;
      return this;
    }

    /**
     * ListMLE's list length: a random subset of this many visible patches (default 20 = all 19).
     */
    public Builder optTopK(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("topK must be positive, got " + k);
      }
      this.topK = k;
      return this;
    }

    /** Share of the images held out for validation (default 0.1; 0 disables validation). */
    public Builder optHeldOutFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + fraction);
      }
      this.heldOutFraction = fraction;
      return this;
    }

    /** Validate every this many steps, and after the last (default 50). */
    public Builder optValidateEvery(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("validateEvery must be positive, got " + steps);
      }
      this.validateEvery = steps;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public RankerTrainer build() {
      requireSteps();
      if (!images.grid().equals(initial.config().grid())
          || images.channels() != initial.config().inChans()) {
        throw new IllegalArgumentException(
            "the images are delivered as "
                + images.channels()
                + " channels on "
                + images.grid()
                + " but the ranker takes "
                + initial.config().inChans()
                + " on "
                + initial.config().grid());
      }
      return new RankerTrainer(this);
    }
  }
}
