package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.testing.RequiresFashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltrp eval --preset quick} end to end on Fashion-MNIST with the committed models (what CI
 * runs): the pipeline works and its numbers are sane. The quick preset's classifiers are far from
 * converged, so nothing here compares rankers: the only accuracy claim is that a classifier seeing
 * every patch is well above chance (10 classes: 10%).
 */
@Tag("slow")
class EvalCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  @Test
  @RequiresFashionMnist
  void quickPresetWritesTheResultsWithSaneNumbers() throws IOException {
    CliRun run = CliRun.ltrp("eval", "--preset", "quick", "--split", "val", "--out", out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode line = JSON.readTree(run.out());
    assertThat(line.get("results").asText()).isEqualTo(out.resolve("results.json").toString());
    JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
    assertThat(results.get("dataset").asText()).isEqualTo("fashion-mnist");
    assertThat(results.get("preset").asText()).isEqualTo("quick");
    assertThat(results.get("models").asText()).isEqualTo("committed");
    JsonNode accuracy = results.get("accuracy");
    assertThat(accuracy.size()).isEqualTo(9);
    // All 49 patches, 60 steps from the committed teacher's encoder: measured 0.78 on this
    // machine; three times chance is the bar for "the pipeline learned something".
    assertThat(accuracy.get("all").get("1.00").get("mean").asDouble()).isGreaterThan(0.3);
    // The committed teacher is trained: it beats copying the nearest visible patch.
    JsonNode teacher = results.get("teacher");
    assertThat(teacher.get("recon_error").asDouble())
        .isLessThan(teacher.get("nearest_visible_error").asDouble());
    assertThat(Files.readString(out.resolve("RESULTS.md")))
        .contains("Quick preset")
        .contains("| ltrp |")
        .contains("| all |");
    assertThat(out.resolve("accuracy.png")).exists();
  }

  @Test
  void unknownPresetsAndDatasetsAreUsageErrors() {
    CliRun preset = CliRun.ltrp("eval", "--preset", "huge", "--out", out);
    assertThat(preset.exitCode()).isEqualTo(2);
    assertThat(preset.err()).contains("--preset").contains("quick or full");
    CliRun dataset = CliRun.ltrp("eval", "--dataset", "mnist", "--out", out);
    assertThat(dataset.exitCode()).isEqualTo(2);
    assertThat(dataset.err()).contains("'mnist'").contains("idx:DIR");
  }
}
