package dev.ltrp.cli;

import static dev.ltrp.cli.CliFixtures.MAE_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.core.training.MetricsLog;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltrp pretrain} with the tiny MAE's architecture on eight synthetic photos: the options it
 * shares with {@code train} (a picocli mixin) reach the trainer, a stopped run continues with
 * {@code --resume} to the weights of an uninterrupted one, and the file says how it was made.
 */
class PretrainCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CliRun pretrain(Path images, Path out, Object... more) {
    Object[] base = {
      "pretrain",
      "--images",
      images,
      "--arch",
      MAE_CONFIG,
      "--steps",
      3,
      "--batch",
      2,
      "--lr",
      1e-3,
      "--warmup",
      1,
      "--seed",
      7,
      "--out",
      out
    };
    Object[] line = new Object[base.length + more.length];
    System.arraycopy(base, 0, line, 0, base.length);
    System.arraycopy(more, 0, line, base.length, more.length);
    return CliRun.ltrp(line);
  }

  @Test
  void aStoppedRunResumesToTheUninterruptedWeightsAndRecordsItsProvenance(@TempDir Path dir)
      throws IOException {
    Path images = SyntheticImages.write(dir.resolve("images"), 8, 48, 40, 1);
    Path whole = dir.resolve("whole/mae.safetensors");
    CliRun uninterrupted = pretrain(images, whole);
    assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();
    JsonNode summary = JSON.readTree(uninterrupted.out());
    assertThat(summary.get("steps").asLong()).isEqualTo(3);
    assertThat(MetricsLog.read(dir.resolve("whole/mae.metrics.jsonl"))).hasSize(3);

    Path split = dir.resolve("split/mae.safetensors");
    CliRun first = pretrain(images, split, "--stop-after", 1);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(JSON.readTree(first.out()).get("steps").asLong()).isEqualTo(1);
    CliRun rest = pretrain(images, split, "--resume", dir.resolve("split/mae.ckpt.safetensors"));
    assertThat(rest.exitCode()).as(rest.err()).isZero();

    MaeWeights a = MaeWeights.load(whole, null);
    MaeWeights b = MaeWeights.load(split, null);
    assertThat(b.stateDict()).isEqualTo(a.stateDict());
    assertThat(b.provenance().trainingSteps()).hasValue(3);
    assertThat(b.provenance().trainingSettings().orElseThrow()).contains("\"seed\":7");
    assertThat(b.provenance().writtenAt()).isPresent();
  }

  @Test
  void sharedOptionsAreCheckedByName(@TempDir Path dir) throws IOException {
    Path images = SyntheticImages.write(dir.resolve("images"), 2, 48, 40, 1);
    CliRun run = pretrain(images, dir.resolve("m.safetensors"), "--weight-decay", -1);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--weight-decay must not be negative, got -1.0");
    CliRun both = pretrain(images, dir.resolve("m.safetensors"), "--blr", 1e-4);
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }
}
