package dev.ltrp.cli;

import static dev.ltrp.cli.CliFixtures.MAE;
import static dev.ltrp.cli.CliFixtures.MAE_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.oracle.ScoreMapStore;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltrp scoremaps} over a folder of synthetic photos (one in a sub-folder) with the tiny MAE,
 * and offline training on its output ({@code ltrp train --score-maps}).
 */
class ScoreMapsCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Path images;
  private static Path maps;
  private static CliRun run;

  @BeforeAll
  static void computeScoreMaps() throws IOException {
    images = SyntheticImages.write(shared.resolve("images"), 8, 48, 40, 2);
    SyntheticImages.write(images.resolve("sub"), 1, 40, 40, 3);
    maps = shared.resolve("out/maps.safetensors");
    run =
        CliRun.ltrp(
            "scoremaps",
            "--images",
            images,
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--out",
            maps,
            "--mask-ratio",
            0.75,
            "--seed",
            5);
  }

  @Test
  void storesTheOraclesMeanRankQuantilesOfEveryImageByRelativePath() throws IOException {
    assertThat(run.exitCode()).as(run.err()).isZero();
    ScoreMapStore store = ScoreMapStore.read(maps);
    assertThat(store.grid()).isEqualTo(PatchGrid.of(32, 4));
    assertThat(store.names()).hasSize(9).contains("img000.png", "img007.png", "sub/img000.png");
    for (String name : store.names()) {
      assertThat(store.map(name).scores())
          .hasSize(CliFixtures.PATCHES)
          .satisfies(KeepCommandTest::inUnitInterval);
    }

    MaeWeights weights = MaeWeights.load(MAE, MaeConfig.readJson(MAE_CONFIG));
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      var image = ImagePreprocessor.forGrid(oracle.grid()).preprocess(images.resolve("img003.png"));
      assertThat(store.map("img003.png"))
          .isEqualTo(oracle.scoreMap(image, 0.75, 1, 5).meanRankQuantiles());
    }
  }

  @Test
  void printsOneJsonSummaryAndShowsProgressOnStandardError() throws IOException {
    assertThat(run.out().lines()).hasSize(1);
    JsonNode summary = JSON.readTree(run.out());
    assertThat(OracleCommandTest.fieldNames(summary))
        .containsExactly(
            "out",
            "images",
            "grid",
            "mask_ratio",
            "passes",
            "seed",
            "removal",
            "distance",
            "bytes");
    assertThat(summary.get("out").asText()).isEqualTo(maps.toString());
    assertThat(summary.get("images").asInt()).isEqualTo(9);
    assertThat(OracleCommandTest.ints(summary.get("grid"))).containsExactly(8, 8);
    assertThat(summary.get("removal").asText()).isEqualTo("decoder");
    assertThat(summary.get("bytes").asLong()).isEqualTo(Files.size(maps));
    assertThat(run.err()).contains("scoremaps", "9/9", "img/s").doesNotContain("ltrp scoremaps:");
  }

  @Test
  void offlineTrainingReadsTheScoreMaps(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("ranker.safetensors");
    CliRun train =
        CliRun.ltrp(
            "train",
            "--images",
            images,
            "--score-maps",
            maps,
            "--ranker",
            CliFixtures.tinyRankerConfig(dir),
            "--steps",
            3,
            "--batch",
            2,
            "--mask-ratio",
            0.75,
            "--lr",
            2e-3,
            "--out",
            out);

    assertThat(train.exitCode()).as(train.err()).isZero();
    JsonNode summary = JSON.readTree(train.out());
    assertThat(summary.get("steps").asLong()).isEqualTo(3);
    assertThat(summary.get("last_loss").isNumber()).isTrue();
    assertThat(summary.get("validation").get("val_spearman").isNumber()).isTrue();
    assertThat(RankerWeights.load(out, null).config()).isEqualTo(CliFixtures.TINY_RANKER);
  }

  @Test
  void offlineTrainingOnImagesWithoutMapsIsAFailureSayingSo(@TempDir Path dir) throws IOException {
    Path others = SyntheticImages.write(dir.resolve("others"), 3, 32, 32, 9);
    Files.copy(images.resolve("img000.png"), others.resolve("extra.png"));
    CliRun train =
        CliRun.ltrp(
            "train",
            "--images",
            others,
            "--score-maps",
            maps,
            "--ranker",
            CliFixtures.tinyRankerConfig(dir),
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            dir.resolve("r.safetensors"));

    train.assertOneLineError(
        1,
        "has no score map for 1 of the 4 images (first: extra.png); run"
            + " 'ltrp scoremaps' on the same folder");
  }

  @Test
  void offlineTrainingOfARankerOnAnotherGridIsAFailure(@TempDir Path dir) {
    CliRun train =
        CliRun.ltrp(
            "train",
            "--images",
            images,
            "--score-maps",
            maps,
            "--ranker",
            "tiny",
            "--steps",
            2,
            "--batch",
            2,
            "--out",
            dir.resolve("r.safetensors"));

    train.assertOneLineError(1, "but the score maps' (--score-maps) grid is 32x32 px");
  }

  @Test
  void errorsFollowThePolicy(@TempDir Path dir) {
    Path out = dir.resolve("maps.safetensors");
    CliRun.ltrp(
            "scoremaps",
            "--images",
            images,
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--out",
            out,
            "--mask-ratio",
            1)
        .assertOneLineError(2, "--mask-ratio must be in (0, 1)");
    CliRun.ltrp(
            "scoremaps",
            "--images",
            images,
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--out",
            out,
            "--passes",
            0)
        .assertOneLineError(2, "--passes must be positive, got 0");
    CliRun.ltrp(
            "scoremaps",
            "--images",
            images,
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--out",
            out,
            "--mask-ratio",
            0.99)
        .assertOneLineError(2, "--mask-ratio: mask ratio 0.99 leaves no visible patch out of 64");
    CliRun.ltrp("scoremaps", "--images", dir.resolve("none"), "--mae", MAE, "--out", out)
        .assertOneLineError(1, "--images: no such directory: ");
    CliRun.ltrp("scoremaps", "--images", images, "--out", out)
        .assertOneLineError(2, "Missing required option: '--mae=FILE'");
    assertThat(Files.exists(out)).isFalse();
  }
}
