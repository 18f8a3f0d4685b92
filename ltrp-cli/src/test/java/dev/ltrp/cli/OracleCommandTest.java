package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.core.testing.RepoFiles;
import dev.ltrp.nd4j.DefaultModels;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ltrp oracle} on the tiny-MAE fixture (32×32 pixels, patch 4, 8×8 grid) with a sample
 * photo, which the command resizes and crops to 32×32. The printed scores must be exactly those of
 * {@link MaeScoreOracle} called directly: the command adds no computation of its own.
 */
class OracleCommandTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static Path checkpoint;
  private static Path config;
  private static Path photo;
  private static MaeWeights weights;
  private static ImageTensor input;

  @BeforeAll
  static void load() throws IOException {
    checkpoint = RepoFiles.tinyMae("mae.pth");
    config = RepoFiles.tinyMae("config.json");
    photo = RepoFiles.sample("chelsea.jpg");
    weights = MaeWeights.load(checkpoint, MaeConfig.readJson(config));
    input = ImagePreprocessor.forGrid(weights.config().grid()).preprocess(photo);
  }

  @ParameterizedTest
  @EnumSource(RemovalMode.class)
  void visibleListPrintsTheOracleScoresAsOneJsonLine(RemovalMode mode) throws IOException {
    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--visible",
            "15,0,14,63",
            "--removal",
            mode.cliName());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines()).hasSize(1);
    JsonNode json = JSON.readTree(run.out());
    assertThat(fieldNames(json)).containsExactly("grid", "visible", "scores", "removal", "metric");
    assertThat(ints(json.get("grid"))).containsExactly(8, 8);
    assertThat(ints(json.get("visible"))).containsExactly(0, 14, 15, 63);
    assertThat(json.get("removal").asText()).isEqualTo(mode.cliName());
    assertThat(json.get("metric").asText()).isEqualTo("l1");
    assertThat(floats(json.get("scores")))
        .isEqualTo(direct(mode, VisibleSet.of(weights.config().grid(), 0, 14, 15, 63)).scores());
  }

  @Test
  void maskRatioAndSeedDrawTheLibrarysRandomVisibleSet() throws IOException {
    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--mask-ratio",
            "0.75",
            "--seed",
            "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    VisibleSet expected = VisibleSet.random(PatchGrid.of(32, 4), 0.75, 3);
    assertThat(ints(json.get("visible"))).hasSize(16).containsExactly(expected.patches());
    assertThat(floats(json.get("scores")))
        .isEqualTo(direct(RemovalMode.DECODER_ATTENTION, expected).scores());
    assertThat(json.get("removal").asText()).isEqualTo("decoder");
  }

  @Test
  void distanceL2ScoresByTheMeanSquaredChange() throws IOException {
    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--visible",
            "15,0,14,63",
            "--distance",
            "l2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("metric").asText()).isEqualTo("l2");
    VisibleSet visible = VisibleSet.of(weights.config().grid(), 0, 14, 15, 63);
    try (MaeScoreOracle oracle =
        MaeScoreOracle.builder(weights).optDistance(ReconstructionDistance.L2).build()) {
      assertThat(floats(json.get("scores"))).isEqualTo(oracle.score(input, visible).scores());
    }
    CliRun bad =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--visible",
            "0",
            "--distance",
            "cosine");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("'cosine'").contains("l1 or l2");
  }

  @Test
  void seedDefaultsToZero() {
    CliRun implicit =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--mask-ratio",
            "0.9");
    CliRun explicit =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--mask-ratio",
            "0.9",
            "--seed",
            "0");

    assertThat(implicit.exitCode()).as(implicit.err()).isZero();
    assertThat(implicit.out()).isEqualTo(explicit.out());
  }

  @Test
  void safetensorsCheckpointPrintsTheSameScoresAsThePth() {
    CliRun pth =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--visible",
            "1,2,3,40");
    CliRun safetensors =
        CliRun.ltrp(
            "oracle",
            "--mae",
            RepoFiles.tinyMae("mae.safetensors"),
            "--arch",
            config,
            "--image",
            photo,
            "--visible",
            "1,2,3,40");

    assertThat(safetensors.exitCode()).as(safetensors.err()).isZero();
    assertThat(safetensors.out()).isEqualTo(pth.out());
  }

  @Test
  void reconstructionIsWrittenAsPngOfTheModelsSize(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("reconstruction.png");
    CliRun withPng =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--mask-ratio",
            "0.75",
            "--reconstruction",
            png);
    CliRun without =
        CliRun.ltrp(
            "oracle",
            "--mae",
            checkpoint,
            "--arch",
            config,
            "--image",
            photo,
            "--mask-ratio",
            "0.75");

    assertThat(withPng.exitCode()).as(withPng.err()).isZero();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(32);
    assertThat(image.getHeight()).isEqualTo(32);
    assertThat(withPng.out()).isEqualTo(without.out());
  }

  private static PatchScores direct(RemovalMode mode, VisibleSet visible) {
    try (MaeScoreOracle oracle = MaeScoreOracle.builder(weights).optRemovalMode(mode).build()) {
      return oracle.score(input, visible);
    }
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  /** Parsed from the decimal text, so that a float printed by Jackson reads back bit for bit. */
  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.parseFloat(array.get(i).decimalValue().toString());
    }
    return out;
  }

  @Test
  void withoutMaeTheBundledMaeScores() throws IOException {
    Path sample = RepoFiles.sample("chelsea.jpg");
    CliRun run = CliRun.ltrp("oracle", "--image", sample, "--visible", "0,20,40,60");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(ints(json.get("grid"))).containsExactly(14, 14);
    MaeWeights bundled = DefaultModels.mae();
    try (MaeScoreOracle oracle = MaeScoreOracle.create(bundled)) {
      ImageTensor image = ImagePreprocessor.forGrid(oracle.grid()).preprocess(sample);
      assertThat(floats(json.get("scores")))
          .isEqualTo(oracle.score(image, VisibleSet.of(oracle.grid(), 0, 20, 40, 60)).scores());
    }
    CliRun explicit =
        CliRun.ltrp("oracle", "--mae", "default", "--image", sample, "--visible", "0,20,40,60");
    assertThat(explicit.out()).isEqualTo(run.out());
  }
}
