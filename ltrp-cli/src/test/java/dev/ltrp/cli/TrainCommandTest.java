package dev.ltrp.cli;

import static dev.ltrp.cli.CliFixtures.MAE;
import static dev.ltrp.cli.CliFixtures.MAE_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.core.training.MetricsLog;
import dev.ltrp.nd4j.training.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltrp train} with the tiny MAE as the online oracle and a tiny ranker on twelve synthetic
 * photos: a few steps of batch 2 at mask ratio 0.75 (16 of 64 patches visible) take about a second.
 */
class TrainCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Path images;
  private static Path rankerConfig;

  @BeforeAll
  static void writeInputs() throws IOException {
    images = SyntheticImages.write(shared.resolve("images"), 12, 48, 40, 1);
    rankerConfig = CliFixtures.tinyRankerConfig(shared);
  }

  /**
   * {@code ltrp train} with the test's settings, {@code options} (name, value, name, value, …)
   * replacing or adding to them.
   */
  private static CliRun train(Path out, long steps, Object... options) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("--images", images);
    args.put("--mae", MAE);
    args.put("--arch", MAE_CONFIG);
    args.put("--ranker", rankerConfig);
    args.put("--steps", steps);
    args.put("--batch", 2);
    args.put("--mask-ratio", 0.75);
    args.put("--lr", 2e-3);
    args.put("--validate-every", 2);
    args.put("--out", out);
    for (int i = 0; i < options.length; i += 2) {
      args.put((String) options[i], options[i + 1]);
    }
    List<Object> line = new ArrayList<>(List.of("train"));
    args.forEach(
        (name, value) -> {
          line.add(name);
          line.add(value);
        });
    return CliRun.ltrp(line.toArray());
  }

  @Test
  void writesTheRankerItsSidecarACheckpointAndMetricsAndPrintsASummary(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("run/ranker.safetensors");
    // Three held-out photos: position dependence compares different images.
    CliRun run = train(out, 4, "--held-out", 0.25);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(1);
    JsonNode summary = JSON.readTree(run.out());
    assertThat(OracleCommandTest.fieldNames(summary))
        .startsWith("out", "steps", "total_steps", "first_loss", "last_loss", "validation");
    assertThat(summary.get("out").asText()).isEqualTo(out.toString());
    assertThat(summary.get("steps").asLong()).isEqualTo(4);
    assertThat(summary.get("total_steps").asLong()).isEqualTo(4);
    assertThat(summary.get("first_loss").isNumber()).isTrue();
    assertThat(summary.get("last_loss").isNumber()).isTrue();
    assertThat(OracleCommandTest.fieldNames(summary.get("validation")))
        .containsExactly(
            "val_kendall_tau",
            "val_spearman",
            "val_ndcg_at_k",
            "val_top_k_overlap",
            "val_k",
            "val_position_spearman",
            "val_position_spearman_variance");
    assertThat(summary.get("validation").get("val_position_spearman").asDouble())
        .isBetween(-1.0, 1.0);
    assertThat(summary.get("validation").get("val_position_spearman_variance").asDouble())
        .isBetween(-1.0, 1.0);

    RankerWeights ranker = RankerWeights.load(out, null);
    assertThat(ranker.config()).isEqualTo(CliFixtures.TINY_RANKER);
    assertThat(dir.resolve("run/ranker.json")).isRegularFile();
    Path checkpoint = dir.resolve("run/ranker.ckpt.safetensors");
    assertThat(summary.get("checkpoint").asText()).isEqualTo(checkpoint.toString());
    assertThat(TrainingCheckpoint.load(checkpoint).state().step()).isEqualTo(4);
    Path metrics = dir.resolve("run/ranker.metrics.jsonl");
    assertThat(summary.get("metrics").asText()).isEqualTo(metrics.toString());
    assertThat(MetricsLog.read(metrics)).hasSize(4);
    assertThat(run.err()).contains("train").doesNotContain("ltrp train:");

    // The trained ranker keeps patches.
    CliRun keep =
        CliRun.ltrp(
            "keep",
            images.resolve("img000.png"),
            "--ranker",
            out,
            "--ratio",
            0.5,
            "--out",
            dir.resolve("kept"));
    assertThat(keep.exitCode()).as(keep.err()).isZero();
    assertThat(JSON.readTree(keep.out()).get("kept")).hasSize(32);
  }

  @Test
  void stopAfterThenResumeFinishesTheRunAsIfUninterrupted(@TempDir Path dir) throws IOException {
    Path uninterrupted = dir.resolve("whole/ranker.safetensors");
    assertThat(train(uninterrupted, 6).exitCode()).isZero();

    Path out = dir.resolve("parts/ranker.safetensors");
    CliRun first = train(out, 6, "--stop-after", 3);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(JSON.readTree(first.out()).get("steps").asLong()).isEqualTo(3);
    Path checkpoint = dir.resolve("parts/ranker.ckpt.safetensors");
    assertThat(first.err())
        .contains("stopped after step 3 of 6", "continue with --resume " + checkpoint);

    CliRun second = train(out, 6, "--resume", checkpoint);
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode summary = JSON.readTree(second.out());
    assertThat(summary.get("steps").asLong()).isEqualTo(6);
    assertThat(summary.get("first_loss").isNumber()).isTrue();
    assertThat(MetricsLog.read(dir.resolve("parts/ranker.metrics.jsonl"))).hasSize(6);
    assertThat(RankerWeights.load(out, null).stateDict())
        .isEqualTo(RankerWeights.load(uninterrupted, null).stateDict());
  }

  @Test
  void resumingWithOtherSettingsIsAFailureNamingThem(@TempDir Path dir) {
    Path out = dir.resolve("ranker.safetensors");
    assertThat(train(out, 4, "--stop-after", 2).exitCode()).isZero();

    CliRun run = train(out, 8, "--resume", dir.resolve("ranker.ckpt.safetensors"));

    run.assertOneLineError(1, "steps: checkpoint 4, now 8");
  }

  @Test
  void initStartsFromTheGivenRanker(@TempDir Path dir) throws IOException {
    Path init = dir.resolve("init.safetensors");
    RankerWeights start = RankerWeights.random(CliFixtures.TINY_RANKER, 99);
    start.save(init);
    Path out = dir.resolve("ranker.safetensors");

    // One step at a negligible learning rate: the result is the starting point.
    CliRun run = train(out, 1, "--init", init, "--lr", 1e-12);

    assertThat(run.exitCode()).as(run.err()).isZero();
    RankerWeights trained = RankerWeights.load(out, null);
    for (String name : start.stateDict().names()) {
      Tensor expected = start.tensor(name);
      float[] actual = trained.tensor(name).toArray();
      float[] values = expected.toArray();
      for (int i = 0; i < values.length; i++) {
        assertThat(actual[i]).as(name).isCloseTo(values[i], within(1e-6f));
      }
    }
  }

  @Test
  void aRankerOnAnotherGridThanTheMaeIsAFailureNamingBoth(@TempDir Path dir) {
    CliRun run =
        CliRun.ltrp(
            "train",
            "--images",
            images,
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--ranker",
            "small",
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            dir.resolve("r.safetensors"));

    run.assertOneLineError(
        1,
        "the ranker (--ranker small) is on 224x224 px in patches of 16"
            + " (14x14) but the MAE's (--mae) grid is 32x32 px in patches of 4 (8x8)");
  }

  @Test
  void aMissingImageFolderIsAFailureNamingTheOption(@TempDir Path dir) {
    CliRun run =
        CliRun.ltrp(
            "train",
            "--images",
            dir.resolve("nothing"),
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--ranker",
            rankerConfig,
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            dir.resolve("r.safetensors"));

    run.assertOneLineError(1, "ltrp train: --images: no such directory: ");
  }

  @Test
  void aDivergingRunStopsWithTheTrainersMessage(@TempDir Path dir) {
    CliRun run =
        train(
            dir.resolve("ranker.safetensors"),
            40,
            "--lr",
            1e4,
            "--warmup",
            0,
            "--checkpoint-every",
            1);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    List<String> lines = run.errLines();
    assertThat(lines.get(lines.size() - 1))
        .startsWith("ltrp train: step ")
        .contains("the loss is", "is intact", "Lower the learning rate");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void trainingWithoutHeldOutImagesSkipsValidation(@TempDir Path dir) throws Exception {
    CliRun run = train(dir.resolve("r.safetensors"), 2, "--held-out", 0);
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = JSON.readTree(run.out());
    assertThat(summary.get("validation").isNull()).isTrue();
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
  }

  @Test
  void usageErrorsNameTheOption(@TempDir Path dir) {
    Path out = dir.resolve("r.safetensors");
    train(out, 2, "--blr", 1e-3).assertOneLineError(2, "mutually exclusive");
    train(out, 0).assertOneLineError(2, "--steps must be positive, got 0");
    train(out, 2, "--mask-ratio", 1).assertOneLineError(2, "--mask-ratio must be in (0, 1)");
    train(out, 2, "--loss", "hinge").assertOneLineError(2, "unknown loss 'hinge'");
    train(out, 2, "--checkpoint", out).assertOneLineError(2, "--checkpoint must differ from --out");
    train(out, 2, "--init", rankerConfig, "--resume", rankerConfig)
        .assertOneLineError(2, "--init and --resume are mutually exclusive");
    CliRun.ltrp(
            "train",
            "--images",
            images,
            "--score-maps",
            out,
            "--arch",
            MAE_CONFIG,
            "--ranker",
            rankerConfig,
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            out)
        .assertOneLineError(2, "--arch applies to the oracle (--mae), not to --score-maps");
    CliRun.ltrp(
            "train",
            "--images",
            images,
            "--ranker",
            rankerConfig,
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            out)
        .assertOneLineError(2, "--mae");
    assertThat(Files.exists(out)).isFalse();
  }
}
