package dev.ltrp.nd4j.oracle;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.PatchScores;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny MAE saved by the reference script in every format the loader accepts: each must give
 * exactly the weights of {@code mae.pth}, and bad checkpoints must fail naming the tensor.
 */
class MaeCheckpointFormatsTest {

  private static TinyMaeFixture fixture;
  private static MaeWeights reference;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    fixture = new TinyMaeFixture();
    reference = fixture.weights("mae.pth");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"mae.safetensors", "mae_legacy.pth", "mae_strided.pth", "mae_hf.safetensors"})
  void everyFormatLoadsTheSameWeights(String file) {
    MaeWeights loaded = fixture.weights(file);
    assertThat(loaded.stateDict().names())
        .containsExactlyInAnyOrderElementsOf(reference.stateDict().names());
    for (String name : reference.stateDict().names()) {
      assertThat(loaded.tensor(name)).as(name).isEqualTo(reference.tensor(name));
    }
  }

  @Test
  void bfloat16CheckpointMatchesAReferenceRunOnTheRoundedWeights() {
    MaeWeights bf16 = fixture.weights("mae_bf16.safetensors");
    try (MaeScoreOracle oracle = MaeScoreOracle.create(bf16)) {
      List<PatchScores> scores = oracle.scoreBatch(fixture.images, fixture.visibleSets);
      for (int i = 0; i < scores.size(); i++) {
        float[] expected = new float[scores.get(i).size()];
        for (int j = 0; j < expected.length; j++) {
          expected[j] = (float) fixture.expected.get("bf16_decoder").get(i).get(j).asDouble();
        }
        assertAllClose("bf16 image " + i, scores.get(i).scores(), expected, 1e-4, 0);
      }
    }
  }

  @Test
  void theArchitectureIsCheckedAgainstTheTensors() {
    MaeConfig wrongDepth = MaeConfig.of(32, 4, 3, 48, 3, 3, 32, 2, 4, 4.0);
    assertThatThrownBy(() -> MaeWeights.load(TinyMaeFixture.path("mae.pth"), wrongDepth))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("depth 3")
        .hasMessageContaining("give 2");
    MaeConfig wrongMlp = MaeConfig.of(32, 4, 3, 48, 2, 3, 32, 2, 4, 2.0);
    assertThatThrownBy(() -> MaeWeights.load(TinyMaeFixture.path("mae.pth"), wrongMlp))
        .hasMessageContaining("mlp_ratio");
  }

  @Test
  void headCountsOfACustomModelCannotBeGuessed() {
    assertThatThrownBy(() -> MaeWeights.load(TinyMaeFixture.path("mae.pth"), null))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("num_heads");
  }

  @Test
  void missingMisshapedAndExtraTensorsAreNamed() throws IOException {
    StateDict sd = reference.stateDict();
    Path missing = dir.resolve("missing.safetensors");
    Checkpoints.writeSafetensors(missing, sd.filter(n -> !n.equals("blocks.1.mlp.fc2.bias")));
    assertThatThrownBy(() -> MaeWeights.load(missing, fixture.config))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("blocks.1.mlp.fc2.bias")
        .hasMessageContaining("missing");

    Map<String, Tensor> reshaped = new LinkedHashMap<>(sd.asMap());
    reshaped.put("decoder_pred.bias", Tensor.of(new int[] {47}, new float[47]));
    Path misshaped = dir.resolve("misshaped.safetensors");
    Checkpoints.writeSafetensors(misshaped, StateDict.of(reshaped));
    assertThatThrownBy(() -> MaeWeights.load(misshaped, fixture.config))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("decoder_pred.bias")
        .hasMessageContaining("[47]")
        .hasMessageContaining("[48]");

    Map<String, Tensor> extra = new LinkedHashMap<>(sd.asMap());
    extra.put("head.weight", Tensor.of(new int[] {2}, new float[2]));
    Path extraFile = dir.resolve("extra.safetensors");
    Checkpoints.writeSafetensors(extraFile, StateDict.of(extra));
    assertThatThrownBy(() -> MaeWeights.load(extraFile, fixture.config))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("head.weight");
  }

  @Test
  void anEncoderOnlyCheckpointIsRejectedWithAnExplanation() throws IOException {
    Path encoderOnly = dir.resolve("mae_pretrain.safetensors");
    Checkpoints.writeSafetensors(
        encoderOnly,
        reference.stateDict().filter(n -> !n.startsWith("decoder") && !n.equals("mask_token")));
    assertThatThrownBy(() -> MaeWeights.load(encoderOnly, fixture.config))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessageContaining("no MAE decoder")
        .hasMessageContaining("mae_visualize");
  }
}
