package dev.ltrp.nd4j.internal.training;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.loss.RankingBatch;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.loss.LossGraph;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import dev.ltrp.nd4j.ranker.TinyRankerFixture;
import dev.ltrp.nd4j.testing.GradientChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ranker's training path: the gradient of every trained tensor against finite differences
 * (whole model, double precision), the decay set, and three AdamW steps against PyTorch's {@code
 * torch.optim.AdamW} trajectory on the tiny-ranker fixture.
 */
@Tag("slow")
class RankerTrainingGraphTest {

  private static TinyRankerFixture fixture;
  private static RankerWeights weights;

  @BeforeAll
  static void load() {
    fixture = new TinyRankerFixture();
    weights = fixture.weights("ranker.safetensors");
  }

  @Test
  void theDecaySetIsTheReferences() {
    RankerTrainingGraph graph =
        RankerTrainingGraph.build(weights, RankingLoss.LISTMLE, 16, DataType.FLOAT);
    JsonNode groups = fixture.expected.get("training").get("param_groups");
    assertThat(graph.decayed()).containsExactlyInAnyOrderElementsOf(names(groups.get("decay")));
    List<String> notDecayed = new ArrayList<>(graph.trainable());
    notDecayed.removeAll(graph.decayed());
    assertThat(notDecayed).containsExactlyInAnyOrderElementsOf(names(groups.get("no_decay")));
    assertThat(graph.trainable()).doesNotContain("pos_embed");
  }

  /**
   * The model's ops under one loss (each loss's own gradient is checked in full in LossGraphTest).
   */
  @Test
  void everyTrainedTensorHasTheRightGradient() {
    RankingLoss loss = RankingLoss.LISTMLE;
    RankerTrainingGraph graph = RankerTrainingGraph.build(weights, loss, 16, DataType.DOUBLE);
    Map<String, INDArray> in =
        placeholders(loss, randomScores(new SplittableRandom(5)), DataType.DOUBLE);
    // 2 random elements of each of the 31 trained tensors: 62 finite differences of the model.

    GradientChecks.Result r = GradientChecks.checkSubset(graph.sameDiff(), in, 2, 11);
    assertThat(r.failed()).as(loss + ": " + r).isZero();
    assertThat(r.checked()).isEqualTo(2 * graph.trainable().size());
  }

  @Test
  void threeAdamWStepsFollowPyTorchsTrajectory() {
    JsonNode training = fixture.expected.get("training");
    JsonNode opt = training.get("optimizer");
    RankerTrainingGraph graph =
        RankerTrainingGraph.build(weights, RankingLoss.LISTMLE, 16, DataType.FLOAT);
    List<PatchScores> lists = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      float[] y = new float[16];
      for (int j = 0; j < 16; j++) {
        y[j] = (float) training.get("y").get(b).get(j).asDouble();
      }
      lists.add(PatchScores.of(fixture.config.grid(), fixture.visible[b], y));
    }
    Map<String, INDArray> in = placeholders(RankingLoss.LISTMLE, lists, DataType.FLOAT);
    try (AdamW adam =
        new AdamW(
            opt.get("beta1").asDouble(),
            opt.get("beta2").asDouble(),
            opt.get("eps").asDouble(),
            opt.get("weight_decay").asDouble(),
            graph.decayed())) {
      double lr = opt.get("lr").asDouble();
      for (int step = 0; step < 3; step++) {
        double loss = graph.trainStep(adam, in, lr);
        double expected = training.get("losses").get(step).asDouble();
        // float32 forward of O(30) losses: ~1e-5 relative (PyTorch float32 vs float64: 1.4e-6 abs)
        assertThat(loss)
            .as("loss at step %d", step + 1)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * expected));
      }
      RankerWeights after = graph.export("after 3 steps");
      JsonNode params = training.get("params");
      for (String name :
          List.of(
              "head.bias",
              "head.weight",
              "norm.weight",
              "norm.bias",
              "blocks.1.mlp.fc2.weight",
              "blocks.0.attn.qkv.weight",
              "patch_embed.proj.weight",
              "cls_token")) {
        JsonNode finalValues = params.get(name).get("final");
        float[] expected = new float[finalValues.size()];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = (float) finalValues.get(i).asDouble();
        }
        float[] actual = java.util.Arrays.copyOf(after.tensor(name).toArray(), expected.length);
        // Adam steps are ~lr = 1e-3 per element; float32 gradients move them by ~1e-7.
        assertAllClose(name + " after 3 AdamW steps", actual, expected, 0, 2e-6);
      }
    } finally {
      GraphArrays.closeAll(in);
    }
  }

  private static Map<String, INDArray> placeholders(
      RankingLoss loss, List<PatchScores> lists, DataType dataType) {
    PatchGrid grid = fixture.config.grid();
    RankingBatch batch = RankingBatch.prepare(loss, grid, lists, 16, new SplittableRandom(1));
    Map<String, INDArray> in = new HashMap<>(LossGraph.placeholders(batch, dataType));
    float[] patches = new float[2 * 64 * 48];
    for (int b = 0; b < 2; b++) {
      for (int p = 0; p < 64; p++) {
        fixture.images.get(b).patchVector(grid, p, patches, (b * 64 + p) * 48);
      }
    }
    float[] pos = weights.tensor("pos_embed").toArray();
    float[] rows = java.util.Arrays.copyOfRange(pos, 48, pos.length);
    in.put(RankerGraph.PATCHES, GraphArrays.floats(patches, 2, 64, 48).castTo(dataType));
    in.put(RankerGraph.POSITIONS, GraphArrays.floats(rows, 1, 64, 48).castTo(dataType));
    return in;
  }

  private static List<PatchScores> randomScores(SplittableRandom random) {
    List<PatchScores> lists = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      float[] y = new float[16];
      for (int j = 0; j < 16; j++) {
        y[j] = (float) random.nextDouble();
      }
      lists.add(PatchScores.of(fixture.config.grid(), fixture.visible[b], y));
    }
    return lists;
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
