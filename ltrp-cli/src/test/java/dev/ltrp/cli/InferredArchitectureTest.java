package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltrp oracle} without {@code --arch} on a checkpoint shaped like MAE ViT-B/16 (random
 * weights, 112 M parameters, a 450 MB file): the architecture is inferred from the tensor shapes.
 * Takes about ten seconds.
 */
@Tag("slow")
class InferredArchitectureTest {

  @Test
  void baseShapedCheckpointIsScoredOnAFourteenByFourteenGrid(@TempDir Path dir) throws IOException {
    Path checkpoint = dir.resolve("mae-base-random.safetensors");
    Checkpoints.writeSafetensors(checkpoint, MaeWeights.random(MaeConfig.base(), 3).stateDict());

    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--image",
            RepoFiles.sample("chelsea.jpg"),
            "--mask-ratio",
            "0.9",
            "--seed",
            "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(OracleCommandTest.ints(json.get("grid"))).containsExactly(14, 14);
    assertThat(json.get("visible")).hasSize(19);
    float[] scores = OracleCommandTest.floats(json.get("scores"));
    assertThat(scores).hasSize(19);
    for (float s : scores) {
      assertThat(s).isFinite().isPositive();
    }
  }
}
