package dev.ltrp.nd4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.data.TrainingImages;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.MaskedBatch;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.core.training.TrainingListener;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.training.MaeTrainingGraph;
import dev.ltrp.nd4j.testing.GradientChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MAE pretraining on the tiny test MAE (32×32, 8×8 grid): objective, gradients, training, resume.
 */
@Tag("slow")
class MaePretrainerTest {

  @TempDir static Path dir;
  private static MaeConfig config;
  private static MaeWeights reference;
  private static TrainingImages images;

  @BeforeAll
  static void setUp() throws IOException {
    config = MaeConfig.readJson(Fixtures.path("fixtures/tiny-mae/config.json"));
    reference = MaeWeights.load(Fixtures.path("fixtures/tiny-mae/mae.pth"), config);
    ImageFolder folder =
        ImageFolder.scan(SyntheticImages.write(dir.resolve("images"), 16, 40, 36, 2));
    images = TrainingImages.builder(folder, config.grid()).build();
  }

  @Test
  void theObjectiveMatchesThePyTorchReference() throws IOException {
    ImageTensor image = ImageTensor.of(3, 32, 32, Fixtures.readF32("fixtures/tiny-mae/image0.f32"));
    int[] visible =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Fixtures.readString("fixtures/tiny-mae/expected.json"))
            .get("visible")
            .get(0)
            .traverse(new com.fasterxml.jackson.databind.ObjectMapper())
            .readValueAs(int[].class);
    double expected =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Fixtures.readString("fixtures/tiny-mae/expected.json"))
            .get("pretrain_loss_image0")
            .asDouble();
    MaeTrainingGraph graph = MaeTrainingGraph.build(reference, DataType.FLOAT);
    Map<String, INDArray> in =
        inputs(List.of(image), List.of(VisibleSet.of(config.grid(), visible)), DataType.FLOAT);
    double loss =
        graph.sameDiff().output(in, MaeTrainingGraph.LOSS).get(MaeTrainingGraph.LOSS).getDouble(0);
    // float32 forward, O(1) squared errors averaged over 48·48 values: ~1e-6 relative
    assertThat(loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * expected));
  }

  @Test
  void everyTrainedTensorHasTheRightGradient() throws IOException {
    MaeTrainingGraph graph = MaeTrainingGraph.build(reference, DataType.DOUBLE);
    List<ImageTensor> batch = List.of(images.image(0), images.image(1));
    List<VisibleSet> visible =
        List.of(
            VisibleSet.random(config.grid(), 0.75, 1), VisibleSet.random(config.grid(), 0.75, 2));
    GradientChecks.Result r =
        GradientChecks.checkSubset(graph.sameDiff(), inputs(batch, visible, DataType.DOUBLE), 2, 3);
    assertThat(r.failed()).as(r.toString()).isZero();
    assertThat(r.checked()).isEqualTo(2 * graph.trainable().size());
  }

  @Test
  void theReconstructionLossFalls() throws IOException {
    MaePretrainer.PretrainingResult result =
        MaePretrainer.builder(images, MaeWeights.random(config, 5))
            .setSteps(60)
            .optBatchSize(4)
            .optLr(2e-3)
            .optWarmupSteps(5)
            .optSeed(1)
            .build()
            .train();
    List<Double> losses = result.losses();
    double first = mean(losses.subList(0, 10));
    double last = mean(losses.subList(50, 60));
    System.out.printf(
        "MAE pretraining: mean loss of steps 1-10 %.4f, of steps 51-60 %.4f%n", first, last);
    assertThat(last).isLessThan(0.8 * first);
  }

  @Test
  void aResumedRunRepeatsTheUninterruptedRunBitForBit() throws IOException {
    MaePretrainer.Builder run =
        MaePretrainer.builder(images, MaeWeights.random(config, 5))
            .setSteps(6)
            .optBatchSize(3)
            .optLr(1e-3)
            .optSeed(4);
    StateDict uninterrupted = run.build().train().weights().stateDict();
    Path checkpoint = dir.resolve("mae-resume/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    run.optCheckpoint(checkpoint, 100).optStopAfter(2).build().train();
    MaePretrainer.PretrainingResult rest =
        MaePretrainer.builder(images, MaeWeights.random(config, 5))
            .setSteps(6)
            .optBatchSize(3)
            .optLr(1e-3)
            .optSeed(4)
            .optResume(checkpoint)
            .build()
            .train();
    assertThat(rest.firstStep()).isEqualTo(2);
    assertThat(rest.weights().stateDict()).isEqualTo(uninterrupted);
  }

  @Test
  void theListenerHearsEveryStepOfThisCallInOrder() throws IOException {
    List<String> heard = new ArrayList<>();
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onStart(long firstStep, long totalSteps, int itemsPerStep) {
            heard.add("start " + firstStep + "/" + totalSteps + " x" + itemsPerStep);
          }

          @Override
          public void onStep(long step, double loss, double lr, double seconds) {
            assertThat(loss).isFinite().isPositive();
            assertThat(seconds).isPositive();
            heard.add("step " + step);
          }

          @Override
          public void onFinish(long lastStep) {
            heard.add("finish " + lastStep);
          }
        };
    MaePretrainer.PretrainingResult result =
        MaePretrainer.builder(images, MaeWeights.random(config, 5))
            .setSteps(5)
            .optBatchSize(2)
            .optSeed(4)
            .optStopAfter(3)
            .optListener(listener)
            .build()
            .train();
    assertThat(heard).containsExactly("start 0/5 x2", "step 1", "step 2", "step 3", "finish 3");
    assertThat(result.losses()).hasSize(3);
    // The weights say how they were made: steps done and the run's settings.
    assertThat(result.weights().provenance().trainingSteps()).hasValue(3);
    assertThat(result.weights().provenance().trainingSettings().orElseThrow())
        .contains("\"steps\":5")
        .contains("\"batch\":2")
        .contains("image_names_hash");
  }

  private Map<String, INDArray> inputs(
      List<ImageTensor> batch, List<VisibleSet> visible, DataType dataType) {
    int b = batch.size();
    int n = visible.get(0).size();
    int l = config.numPatches();
    int dim = config.patchDim();
    int width = config.embedDim();
    float[] pos = reference.tensor("pos_embed").toArray();
    float[] patches = new float[b * n * dim];
    float[] positions = new float[b * n * width];
    float[] targets = new float[b * l * dim];
    for (int i = 0; i < b; i++) {
      float[] all = Patchify.patchify(batch.get(i), config.grid());
      System.arraycopy(all, 0, targets, i * l * dim, l * dim);
      for (int j = 0; j < n; j++) {
        int p = visible.get(i).get(j);
        System.arraycopy(all, p * dim, patches, (i * n + j) * dim, dim);
        System.arraycopy(pos, (1 + p) * width, positions, (i * n + j) * width, width);
      }
    }
    MaskedBatch masks = MaskedBatch.of(config.grid(), visible);
    Map<String, INDArray> in = new HashMap<>();
    in.put(MaeTrainingGraph.PATCHES, GraphArrays.floats(patches, b, n, dim).castTo(dataType));
    in.put(MaeTrainingGraph.POSITIONS, GraphArrays.floats(positions, b, n, width).castTo(dataType));
    in.put(
        MaeTrainingGraph.SCATTER,
        GraphArrays.floats(masks.scatter(), b, l + 1, n + 1).castTo(dataType));
    in.put(
        MaeTrainingGraph.MASK_SELECT,
        GraphArrays.floats(masks.maskSelect(), b, l + 1, 1).castTo(dataType));
    in.put(MaeTrainingGraph.TARGETS, GraphArrays.floats(targets, b, l, dim).castTo(dataType));
    in.put(
        MaeTrainingGraph.LOSS_WEIGHTS,
        GraphArrays.floats(masks.lossWeights(), b, l).castTo(dataType));
    return in;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
