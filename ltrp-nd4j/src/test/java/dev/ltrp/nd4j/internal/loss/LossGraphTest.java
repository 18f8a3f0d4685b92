package dev.ltrp.nd4j.internal.loss;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.loss.RankingBatch;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.testing.GradientChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each ranking loss, value and gradient, against the PyTorch reference ({@code
 * scripts/reference/ranker_reference.py}, float64 autograd) and against central finite differences
 * in double precision (ND4J 1.0.0-M2.1 has ops with silently wrong gradients, so every op on a
 * training path is checked).
 *
 * <p>Tolerances: the graph runs in float64 on float64 logits, but the targets arrive as float32
 * (that is what training feeds), which moves the loss by up to ~1e-7 relative; we allow 1e-6.
 */
class LossGraphTest {

  private static final PatchGrid SIX = PatchGrid.of(2, 3, 1); // 6 items, one per "patch"
  private static JsonNode losses;
  private static double[][] s;
  private static float[][] y;

  @BeforeAll
  static void load() throws IOException {
    JsonNode root =
        new ObjectMapper().readTree(Fixtures.readString("fixtures/tiny-ranker/expected.json"));
    losses = root.get("losses");
    s = doubles(losses.get("s"));
    y = matrix(losses.get("y"));
  }

  @ParameterizedTest
  @EnumSource(RankingLoss.class)
  void valueAndGradientMatchThePyTorchReference(RankingLoss loss) {
    List<PatchScores> lists = new ArrayList<>();
    for (float[] row : y) {
      lists.add(PatchScores.dense(SIX, row));
    }
    RankingBatch batch = RankingBatch.prepare(loss, SIX, lists, 6, new SplittableRandom(0));
    JsonNode expected = losses.get(loss.cliName());
    checkAgainstReference(batch, expected);
  }

  @Test
  void topKListMleMatchesTheReference() {
    JsonNode expected = losses.get("listmle_topk");
    List<PatchScores> lists = new ArrayList<>();
    for (int b = 0; b < y.length; b++) {
      JsonNode subset = expected.get("subsets").get(b);
      int[] items = new int[subset.size()];
      float[] scores = new float[items.length];
      for (int j = 0; j < items.length; j++) {
        items[j] = subset.get(j).asInt();
        scores[j] = y[b][items[j]];
      }
      lists.add(PatchScores.of(SIX, items, scores));
    }
    RankingBatch batch =
        RankingBatch.prepare(RankingLoss.LISTMLE, SIX, lists, 4, new SplittableRandom(0));
    assertThat(batch.listLength()).isEqualTo(4);
    checkAgainstReference(batch, expected);
  }

  @ParameterizedTest
  @EnumSource(RankingLoss.class)
  void gradientsAgreeWithFiniteDifferences(RankingLoss loss) {
    SplittableRandom random = new SplittableRandom(3);
    List<PatchScores> lists = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      float[] row = new float[6];
      for (int i = 0; i < 6; i++) {
        row[i] = (float) random.nextDouble(-1, 1);
      }
      lists.add(PatchScores.dense(SIX, row));
    }
    RankingBatch batch = RankingBatch.prepare(loss, SIX, lists, 5, random);
    SameDiff sd = graph(loss, batch.listLength(), randomLogits(4, random));
    GradientChecks.Result result =
        GradientChecks.check(sd, LossGraph.placeholders(batch, DataType.DOUBLE));
    assertThat(result.failed()).as(loss + " gradient check: " + result).isZero();
    assertThat(result.checked()).isEqualTo(24);
  }

  private static void checkAgainstReference(RankingBatch batch, JsonNode expected) {
    double[] logits = new double[s.length * 6];
    for (int b = 0; b < s.length; b++) {
      for (int i = 0; i < 6; i++) {
        logits[b * 6 + i] = s[b][i];
      }
    }
    SameDiff sd =
        graph(batch.loss(), batch.listLength(), Nd4j.createFromArray(logits).reshape(3, 6));
    Map<String, INDArray> in = LossGraph.placeholders(batch, DataType.DOUBLE);
    double value = sd.output(in, LossGraph.LOSS).get(LossGraph.LOSS).getDouble(0);
    double reference = expected.get("loss").asDouble();
    assertThat(value)
        .isCloseTo(reference, org.assertj.core.data.Offset.offset(1e-6 * Math.abs(reference)));
    INDArray grad = sd.calculateGradients(in, "logits").get("logits");
    float[] expectedGrad = flatten(matrix(expected.get("grad_s")));
    assertAllClose(
        batch.loss() + " gradient",
        GraphArrays.toFloats(grad.castTo(DataType.FLOAT)),
        expectedGrad,
        1e-5,
        1e-7);
  }

  private static SameDiff graph(RankingLoss loss, int k, INDArray logitValues) {
    SameDiff sd = SameDiff.create();
    SDVariable logits = sd.var("logits", logitValues.castTo(DataType.DOUBLE));
    LossGraph.build(sd, logits, loss, 6, k, DataType.DOUBLE);
    dev.ltrp.nd4j.internal.graph.Gradients.prepare(
        sd); // keeps ND4J's per-op prints out of the build log
    return sd;
  }

  private static INDArray randomLogits(int rows, SplittableRandom random) {
    double[] v = new double[rows * 6];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextDouble(-2, 2);
    }
    return Nd4j.createFromArray(v).reshape(rows, 6);
  }

  private static float[][] matrix(JsonNode node) {
    float[][] m = new float[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new float[node.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = (float) node.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  private static double[][] doubles(JsonNode node) {
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new double[node.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = node.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  private static float[] flatten(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }
}
