package dev.ltrp.eval.classifier;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.Seeds;
import dev.ltrp.core.data.TrainingBatches;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.SinCosPositionEmbedding;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.core.model.WeightInit;
import dev.ltrp.core.selection.PatchSubsets;
import dev.ltrp.core.training.CosineSchedule;
import dev.ltrp.core.training.RunOptions;
import dev.ltrp.core.training.TrainingListener;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.training.AdamW;
import dev.ltrp.nd4j.internal.training.GradientStep;
import dev.ltrp.nd4j.internal.training.TrainableGraph;
import dev.ltrp.nd4j.internal.training.TrainingLoop;
import dev.ltrp.nd4j.internal.training.TrainingSession;
import dev.ltrp.nd4j.internal.training.TrainingTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small ViT image classifier that accepts any subset of an image's patches: trained with random
 * patch dropping, it classifies the patches a ranker kept (token dropping), and its class-token
 * attention is the "supervised" patch ranking LTRP is compared with ({@link #attentionRanker()}).
 *
 * <p>Used by the evaluation; not a general classification API. Not thread-safe for training;
 * prediction calls are serialized on the model's engine thread. Holds native memory: close it.
 */
public final class VitClassifier implements AutoCloseable {

  private final RankerConfig body;
  private final int classes;
  private final float[] positionTable;
  private final TrainingSession graph;

  private VitClassifier(RankerConfig body, int classes, long seed, StateDict encoder) {
    this.body = body;
    this.classes = classes;
    this.positionTable =
        SinCosPositionEmbedding.create(
            body.embedDim(), body.grid().rows(), body.grid().cols(), true);
    StateDict weights = initialWeights(body, classes, seed, positionTable, encoder);
    SameDiff sd = ClassifierGraph.build(body, classes, weights, DataType.FLOAT);
    List<String> trainable = ClassifierGraph.trainable(body, classes);
    TrainableGraph trainableGraph =
        new TrainableGraph() {
          @Override
          public SameDiff sameDiff() {
            return sd;
          }

          @Override
          public double trainStep(AdamW optimizer, Map<String, INDArray> placeholders, double lr) {
            return GradientStep.run(
                sd, ClassifierGraph.LOSS, trainable, optimizer, placeholders, lr);
          }
        };
    this.graph =
        TrainingSession.start(
            trainableGraph, ClassifierGraph.decayed(body, classes), 0.05, "ltrp-classifier");
  }

  /** A freshly initialized classifier of {@code body}'s shape with {@code classes} outputs. */
  public static VitClassifier create(RankerConfig body, int classes, long seed) {
    return new VitClassifier(body, classes, seed, StateDict.empty());
  }

  /**
   * A classifier whose body starts from a pretrained MAE's encoder (class token, patch embedding,
   * blocks, final norm: the paper's fine-tuning initialization); only the head is drawn from {@code
   * seed}. The body is {@code mae}'s encoder shape.
   *
   * @throws IllegalArgumentException if {@code mae} has no encoder of that shape
   */
  public static VitClassifier fromEncoder(MaeWeights mae, int classes, long seed) {
    RankerConfig body = mae.config().encoderConfig();
    StateDict encoder =
        mae.stateDict()
            .filter(
                name ->
                    name.equals("cls_token")
                        || name.startsWith("patch_embed.")
                        || name.startsWith("blocks.")
                        || name.startsWith("norm."));
    return new VitClassifier(body, classes, seed, encoder);
  }

  /** The ViT body (grid, width, depth). */
  public RankerConfig body() {
    return body;
  }

  /**
   * Which patches a training image shows the classifier at one step.
   *
   * <p>Implementations must return the same number of distinct patch indices for every image of one
   * call of {@link #fineTune}.
   */
  @FunctionalInterface
  public interface TrainingSelection {
    /**
     * @param index the image's index in the training source
     * @param image the (possibly augmented) image
     * @param random a source private to this image and step
     * @return the kept patches, in any order
     */
    int[] kept(int index, ImageTensor image, SplittableRandom random);
  }

  /**
   * Fine-tunes on {@code images} showing each the patches {@code selection} keeps (the paper's
   * downstream protocol: the ranker's own selection in training and in evaluation). AdamW, cosine
   * schedule with a tenth of the steps as warmup, no augmentation beyond {@code images}' own.
   *
   * @return the loss of every step
   */
  public List<Double> fineTune(
      ImageSource images,
      IntUnaryOperator label,
      TrainingSelection selection,
      int steps,
      int batch,
      double lr,
      long seed)
      throws IOException {
    return loop(images, label, (step, random) -> selection, steps, batch, lr, seed);
  }

  /**
   * Trains on {@code images} with labels {@code label.applyAsInt(index)}: AdamW, cosine schedule
   * with warmup, and random patch dropping (each step keeps a random number of patches between
   * {@code minKeep} of them and all; each image its own subset, uniform or chosen by a random
   * content-dependent score, see {@link #trainingSubset}).
   *
   * @return the loss of every step
   */
  public List<Double> train(
      ImageSource images,
      IntUnaryOperator label,
      int steps,
      int batch,
      double lr,
      double minKeep,
      long seed)
      throws IOException {
    int n = body.numPatches();
    return loop(
        images,
        label,
        (step, keepRandom) -> {
          int keep =
              Math.max(1, (int) Math.ceil(n * (minKeep + (1 - minKeep) * keepRandom.nextDouble())));
          return (index, image, random) -> trainingSubset(image, keep, random);
        },
        steps,
        batch,
        lr,
        seed);
  }

  /** The selection of one step, given the step and a random source private to it. */
  private interface StepSelection {
    TrainingSelection forStep(int step, SplittableRandom random);
  }

  private List<Double> loop(
      ImageSource images,
      IntUnaryOperator label,
      StepSelection selections,
      int steps,
      int batch,
      double lr,
      long seed)
      throws IOException {
    TrainingBatches batches = TrainingBatches.create(images.size(), batch, seed);
    CosineSchedule schedule =
        CosineSchedule.builder()
            .setBaseLr(lr)
            .setTotalSteps(steps)
            .optWarmupSteps(Math.max(1, steps / 10))
            .build();
    TrainingTask<Batch> task =
        new TrainingTask<>() {
          @Override
          public int itemsPerStep() {
            return batch;
          }

          @Override
          public Batch batch(long step) throws IOException {
            TrainingSelection selection =
                selections.forStep((int) step, Seeds.random(seed, "keep", step));
            int[] indices = batches.batch(step);
            List<ImageTensor> batchImages = new ArrayList<>();
            List<int[]> kept = new ArrayList<>();
            int[] labels = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
              batchImages.add(images.augmented(indices[i], batches.randomFor(step, i, "crop")));
              kept.add(
                  selection.kept(
                      indices[i], batchImages.get(i), batches.randomFor(step, i, "drop")));
              labels[i] = label.applyAsInt(indices[i]);
            }
            return new Batch(batchImages, kept, oneHot(labels));
          }

          @Override
          public Map<String, INDArray> placeholders(Batch b) {
            return placeholdersOf(b);
          }
        };
    return TrainingLoop.run(
            graph, task, schedule, RunOptions.of(steps), null, TrainingListener.NONE)
        .losses();
  }

  /** One step's images, their kept patches and one-hot labels {@code [B·classes]}. */
  private record Batch(List<ImageTensor> images, List<int[]> kept, float[] oneHot) {}

  private float[] oneHot(int[] labels) {
    float[] oneHot = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of image " + i + " is outside [0, " + classes + ")");
      }
      oneHot[i * classes + labels[i]] = 1f;
    }
    return oneHot;
  }

  private Map<String, INDArray> placeholdersOf(Batch b) {
    Map<String, INDArray> in = new HashMap<>(inputs(b.images(), b.kept()));
    in.put(ClassifierGraph.LABELS, GraphArrays.floats(b.oneHot(), b.images().size(), classes));
    return in;
  }

  /**
   * One optimization step (forward, backward, AdamW at learning rate {@code lr}) on {@code images},
   * each showing only its {@code kept} patches (the same number for every image).
   *
   * @param labels each image's class, in {@code [0, classes)}
   * @return the mean cross-entropy before the update
   */
  public double trainStep(List<ImageTensor> images, List<int[]> kept, int[] labels, double lr) {
    Batch b = new Batch(images, kept, oneHot(labels));
    double loss = graph.step(() -> placeholdersOf(b), lr);
    TrainingLoop.collectNativeGarbage();
    return loss;
  }

  /**
   * The predicted class of each image seeing only its {@code kept} patches (token dropping). All
   * images of one call keep the same number of patches.
   */
  public int[] predict(List<ImageTensor> images, List<int[]> kept) {
    float[] logits =
        graph.call(
            sd -> {
              Map<String, INDArray> in = inputs(images, kept);
              Map<String, INDArray> out = null;
              try {
                out = sd.output(in, ClassifierGraph.LOGITS);
                return GraphArrays.toFloats(out.get(ClassifierGraph.LOGITS));
              } finally {
                GraphArrays.closeAll(in);
                GraphArrays.closeAll(out);
              }
            });
    int[] predicted = new int[images.size()];
    for (int i = 0; i < predicted.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[i * classes + c] > logits[i * classes + best]) {
          best = c;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }

  /** The supervised ranking: the last block's class-token attention over every patch. */
  public PatchRanker attentionRanker() {
    return new PatchRanker() {
      @Override
      public PatchGrid grid() {
        return body.grid();
      }

      @Override
      public int channels() {
        return body.inChans();
      }

      @Override
      public PatchScores rank(ImageTensor image) {
        return rankBatch(List.of(image)).get(0);
      }

      @Override
      public List<PatchScores> rankBatch(List<ImageTensor> images) {
        int n = body.numPatches();
        List<int[]> all = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
          all.add(PatchSubsets.all(n));
        }
        float[] attention =
            graph.call(
                sd -> {
                  Map<String, INDArray> in = inputs(images, all);
                  Map<String, INDArray> out = null;
                  try {
                    out = sd.output(in, ClassifierGraph.ATTENTION);
                    return GraphArrays.toFloats(out.get(ClassifierGraph.ATTENTION));
                  } finally {
                    GraphArrays.closeAll(in);
                    GraphArrays.closeAll(out);
                  }
                });
        List<PatchScores> scores = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
          scores.add(
              PatchScores.dense(body.grid(), Arrays.copyOfRange(attention, i * n, (i + 1) * n)));
        }
        return scores;
      }

      @Override
      public String toString() {
        return "supervised ranker (classifier attention)";
      }
    };
  }

  private Map<String, INDArray> inputs(List<ImageTensor> images, List<int[]> kept) {
    int k = kept.get(0).length;
    int dim = body.patchDim();
    int width = body.embedDim();
    PatchGrid grid = body.grid();
    float[] patches = new float[images.size() * k * dim];
    float[] positions = new float[images.size() * k * width];
    for (int i = 0; i < images.size(); i++) {
      int[] chosen = kept.get(i);
      if (chosen.length != k) {
        throw new IllegalArgumentException(
            "all images of a call must keep the same number of"
                + " patches: "
                + k
                + " and "
                + chosen.length);
      }
      for (int j = 0; j < k; j++) {
        images.get(i).patchVector(grid, chosen[j], patches, (i * k + j) * dim);
        System.arraycopy(
            positionTable, (1 + chosen[j]) * width, positions, (i * k + j) * width, width);
      }
    }
    Map<String, INDArray> in = new LinkedHashMap<>();
    in.put(ClassifierGraph.PATCHES, GraphArrays.floats(patches, images.size(), k, dim));
    in.put(ClassifierGraph.POSITIONS, GraphArrays.floats(positions, images.size(), k, width));
    return in;
  }

  /**
   * The patches one training image keeps. Half the time a uniform random subset; otherwise the top
   * {@code k} of a random content-dependent score (a random direction in patch-pixel space plus
   * noise of random strength). Uniform subsets alone teach a shortcut: the share of empty
   * background among random patches tells the object's size, so a classifier trained only on them
   * misreads any subset chosen by content (on Fashion-MNIST, accuracy from 25% of the patches fell
   * from 51% with random picks to 9–20% with variance, DPC-KNN or its own attention picks). Random
   * directions favour no ranker: they pick bright, dark, textured or flat patches with equal
   * chance.
   */
  private int[] trainingSubset(ImageTensor image, int k, SplittableRandom random) {
    int n = body.numPatches();
    if (random.nextBoolean()) {
      return PatchSubsets.random(n, k, random);
    }
    int dim = body.patchDim();
    float[] patches = new float[n * dim];
    for (int p = 0; p < n; p++) {
      image.patchVector(body.grid(), p, patches, p * dim);
    }
    double[] direction = new double[dim];
    for (int d = 0; d < dim; d++) {
      direction[d] = random.nextGaussian() / Math.sqrt(dim);
    }
    double noise = random.nextDouble() * 2;
    float[] scores = new float[n];
    for (int p = 0; p < n; p++) {
      double score = 0;
      for (int d = 0; d < dim; d++) {
        score += direction[d] * patches[p * dim + d];
      }
      scores[p] = (float) (score + noise * random.nextGaussian());
    }
    int[] chosen = PatchScores.dense(body.grid(), scores).topK(k);
    Arrays.sort(chosen);
    return chosen;
  }

  private static StateDict initialWeights(
      RankerConfig body, int classes, long seed, float[] positionTable, StateDict pretrained) {
    WeightInit init = new WeightInit(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (TensorSpec spec : ClassifierGraph.tensors(body, classes)) {
      String name = spec.name();
      int[] shape = spec.shape();
      float[] data;
      if (pretrained.contains(name)) {
        try {
          out.put(name, pretrained.require(name, shape));
        } catch (CheckpointMismatchException e) {
          throw new IllegalArgumentException(
              "the MAE's encoder does not fit a classifier of " + body + ": " + e.getMessage(), e);
        }
        continue;
      } else if (name.equals("pos_embed")) {
        data = positionTable;
      } else if (name.endsWith(".bias")) {
        data = new float[spec.size()];
      } else if (name.contains("norm")) {
        data = WeightInit.filled(spec.size(), 1f);
      } else if (shape.length >= 2 && !name.equals("cls_token")) {
        // Xavier-uniform for every matrix (the MAE's rule), not timm's N(0, 0.02): at width 64,
        // N(0, 0.02) starts the blocks near identity and the loss plateaus for the first ~50
        // steps (measured with the same model in PyTorch: 57% vs 73% test accuracy after 120
        // steps of batch 96).
        data = init.xavierUniform(shape[0], spec.size() / shape[0]);
      } else {
        data = init.normal(spec.size(), 0.02);
      }
      out.put(name, Tensor.of(shape, data));
    }
    return StateDict.of(out);
  }

  /** Frees the native weights and optimizer state. Idempotent. */
  @Override
  public void close() {
    graph.close();
  }
}
