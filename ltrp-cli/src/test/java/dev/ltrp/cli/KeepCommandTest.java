package dev.ltrp.cli;

import static dev.ltrp.cli.CliFixtures.MAE;
import static dev.ltrp.cli.CliFixtures.MAE_CONFIG;
import static dev.ltrp.cli.CliFixtures.PATCHES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.baseline.OracleRanker;
import dev.ltrp.core.baseline.PixelVarianceRanker;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.RepoFiles;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.nd4j.DefaultModels;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ltrp keep} with a tiny ranker and with each baseline, on two sample photos and a synthetic
 * one of another size, all preprocessed to the tiny grid (32×32 pixels, 8×8 patches).
 */
class KeepCommandTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir static Path shared;
  private static Path ranker;
  private static List<Path> photos;

  @BeforeAll
  static void writeInputs() throws IOException {
    ranker = shared.resolve("ranker.safetensors");
    RankerWeights.random(CliFixtures.TINY_RANKER, 11).save(ranker);
    Path synthetic = SyntheticImages.write(shared.resolve("images"), 1, 48, 40, 4);
    photos =
        List.of(
            RepoFiles.sample("chelsea.jpg"),
            RepoFiles.sample("coffee.jpg"),
            synthetic.resolve("img000.png"));
  }

  private static CliRun keep(Object... options) {
    List<Object> args = new ArrayList<>(List.of("keep"));
    args.addAll(photos);
    args.addAll(Arrays.asList(options));
    return CliRun.ltrp(args.toArray());
  }

  @Test
  void aRankerKeepsItsTopScoresAndWritesBothPicturesPerImage(@TempDir Path out) throws IOException {
    CliRun run = keep("--ranker", ranker, "--ratio", 0.25, "--out", out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<JsonNode> lines = checkOutput(run, out, 8, 16);
    try (VitRanker model = VitRanker.create(RankerWeights.load(ranker, null))) {
      ImageTensor chelsea = ImagePreprocessor.forGrid(model.grid()).preprocess(photos.get(0));
      // The command ranks the three images in one batch, which may round differently.
      assertThat(OracleCommandTest.floats(lines.get(0).get("scores")))
          .containsExactly(model.rank(chelsea).scores(), within(1e-5f));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "variance", "dpc-knn"})
  void aBaselineOnAGivenGridKeepsItsTopScores(String baseline, @TempDir Path out)
      throws IOException {
    CliRun run =
        keep(
            "--baseline",
            baseline,
            "--grid-size",
            32,
            "--patch-size",
            4,
            "--ratio",
            0.25,
            "--out",
            out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    checkOutput(run, out, 8, 16);
  }

  @Test
  void theOracleBaselineRanksWithTheMae(@TempDir Path out) throws IOException {
    CliRun run =
        keep(
            "--baseline",
            "oracle",
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--ratio",
            0.25,
            "--out",
            out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = checkOutput(run, out, 8, 16);
    // Mean rank quantiles of covering rounds.
    assertThat(OracleCommandTest.floats(lines.get(0).get("scores")))
        .satisfies(KeepCommandTest::inUnitInterval);
  }

  @Test
  @Tag("slow")
  void theOracleBaselineScoresWithTheBundledMaeUnlessToldOtherwise(@TempDir Path out)
      throws IOException {
    Path photo = photos.get(0);
    CliRun implicit =
        CliRun.ltrp(
            "keep",
            photo,
            "--baseline",
            "oracle",
            "--ratio",
            0.25,
            "--out",
            out.resolve("implicit"));
    CliRun explicit =
        CliRun.ltrp(
            "keep",
            photo,
            "--baseline",
            "oracle",
            "--mae",
            "default",
            "--ratio",
            0.25,
            "--out",
            out.resolve("explicit"));
    assertThat(implicit.exitCode()).as(implicit.err()).isZero();
    assertThat(explicit.exitCode()).as(explicit.err()).isZero();
    JsonNode line = JSON.readTree(implicit.out());
    // The bundled MAE's grid: 224 pixels in patches of 16.
    assertThat(line.get("grid").toString()).isEqualTo("[14,14]");
    assertThat(implicit.out()).isEqualTo(explicit.out());
    try (MaeScoreOracle oracle = MaeScoreOracle.create(DefaultModels.mae())) {
      assertThat(OracleCommandTest.floats(line.get("scores")))
          .isEqualTo(
              OracleRanker.builder(oracle)
                  .optSeed(0)
                  .build()
                  .rank(ImagePreprocessor.forGrid(oracle.grid()).preprocess(photo))
                  .scores());
    }
  }

  @Test
  void aBaselineTakesItsGridFromTheMaeWhenGiven(@TempDir Path out) throws IOException {
    CliRun run =
        keep(
            "--baseline",
            "variance",
            "--mae",
            MAE,
            "--arch",
            MAE_CONFIG,
            "--ratio",
            0.5,
            "--out",
            out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    checkOutput(run, out, 8, 32);
  }

  @Test
  void statsMeasuresHowMuchTheRankerRanksByPosition(@TempDir Path out) throws IOException {
    // The variance baseline against itself: its position dependence is the reference's, exactly.
    CliRun run = keep("--baseline", "variance", "--ratio", 0.25, "--stats", "--out", out);
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(photos.size() + 1);
    JsonNode summary = JSON.readTree(lines.get(lines.size() - 1)).get("summary");
    assertThat(summary.get("images").asInt()).isEqualTo(photos.size());
    double rho = summary.get("position_spearman").asDouble();
    assertThat(rho).isBetween(-1.0, 1.0);
    assertThat(summary.get("position_spearman_pixel_variance").asDouble()).isEqualTo(rho);

    // A ranker model: the summary follows its own lines, on its own grid.
    CliRun model = keep("--ranker", ranker, "--ratio", 0.25, "--stats", "--out", out);
    assertThat(model.exitCode()).as(model.err()).isZero();
    List<String> modelLines = model.out().lines().toList();
    assertThat(modelLines).hasSize(photos.size() + 1);
    JsonNode modelSummary = JSON.readTree(modelLines.get(modelLines.size() - 1)).get("summary");
    assertThat(modelSummary.get("position_spearman").asDouble()).isBetween(-1.0, 1.0);
    assertThat(modelSummary.get("position_spearman_pixel_variance").asDouble())
        .isBetween(-1.0, 1.0)
        .isNotEqualTo(rho); // variance on the ranker's 8x8 grid, not on 14x14

    CliRun.ltrp("keep", photos.get(0), "--ranker", ranker, "--ratio", 0.25, "--stats", "--out", out)
        .assertOneLineError(2, "--stats compares the score maps of different images");
  }

  @Test
  void aBaselineWithoutGridOptionsUsesTwoHundredTwentyFourPixelsInPatchesOfSixteen(
      @TempDir Path out) throws IOException {
    CliRun run = keep("--baseline", "variance", "--ratio", 0.25, "--out", out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = checkOutput(run, out, 14, 49);
    ImageTensor chelsea =
        ImagePreprocessor.forGrid(PatchGrid.of(224, 16)).preprocess(photos.get(0));
    assertThat(OracleCommandTest.floats(lines.get(0).get("scores")))
        .isEqualTo(PixelVarianceRanker.of(PatchGrid.of(224, 16), 3).rank(chelsea).scores());
  }

  @Test
  void hybridKeepsTheTopSeventyPercentByScoreThenDiversePatches(@TempDir Path out)
      throws IOException {
    CliRun run =
        keep("--ranker", ranker, "--ratio", 0.25, "--hybrid", 0.7, "--seed", 3, "--out", out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = parse(run);
    assertThat(lines).hasSize(photos.size());
    for (JsonNode line : lines) {
      int[] kept = OracleCommandTest.ints(line.get("kept"));
      float[] scores = OracleCommandTest.floats(line.get("scores"));
      assertThat(kept).hasSize(16).doesNotHaveDuplicates();
      // floor(0.7 · 16) = 11 by score, in score order.
      assertThat(Arrays.copyOf(kept, 11)).containsExactly(topByScore(scores, 11));
    }
  }

  @Test
  void ratioOneKeepsEveryPatch(@TempDir Path out) throws IOException {
    CliRun run =
        keep(
            "--baseline",
            "random",
            "--grid-size",
            32,
            "--patch-size",
            4,
            "--ratio",
            1,
            "--out",
            out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    checkOutput(run, out, 8, PATCHES);
  }

  @Test
  void optionErrorsAreUsageErrorsNamingTheValue(@TempDir Path out) {
    keep("--ranker", ranker, "--ratio", 0, "--out", out)
        .assertOneLineError(2, "ltrp keep: --ratio must be in (0, 1], got 0.0");
    keep("--ranker", ranker, "--ratio", 1.5, "--out", out)
        .assertOneLineError(2, "--ratio must be in (0, 1], got 1.5");
    keep("--ranker", ranker, "--baseline", "random", "--ratio", 0.25, "--out", out)
        .assertOneLineError(2, "mutually exclusive");
    keep("--grid-size", 32, "--ratio", 0.25, "--out", out)
        .assertOneLineError(
            2,
            "--grid-size applies to --baseline only: a ranker (the default"
                + " one) has its own grid");
    keep("--baseline", "oracle", "--grid-size", 32, "--ratio", 0.25, "--out", out)
        .assertOneLineError(
            2, "--grid-size conflicts with --mae (the oracle's MAE, by default the bundled one)");
    keep(
            "--baseline",
            "oracle",
            "--mae",
            "default",
            "--arch",
            "base",
            "--ratio",
            0.25,
            "--out",
            out)
        .assertOneLineError(2, "--arch applies to an MAE checkpoint file, not to --mae default");
    keep("--baseline", "median", "--ratio", 0.25, "--out", out)
        .assertOneLineError(
            2, "unknown baseline 'median': expected one of random, variance," + " dpc-knn, oracle");
    keep("--ranker", ranker, "--ratio", 0.25, "--hybrid", 1.5, "--out", out)
        .assertOneLineError(2, "--hybrid must be in [0, 1], got 1.5");
    keep("--ranker", ranker, "--grid-size", 32, "--ratio", 0.25, "--out", out)
        .assertOneLineError(2, "--grid-size applies to --baseline only");
    keep("--baseline", "variance", "--mae", MAE, "--patch-size", 4, "--ratio", 0.25, "--out", out)
        .assertOneLineError(2, "--patch-size conflicts with --mae");
    keep(
            "--baseline",
            "variance",
            "--grid-size",
            30,
            "--patch-size",
            4,
            "--ratio",
            0.25,
            "--out",
            out)
        .assertOneLineError(2, "--grid-size 30 must be a positive multiple of --patch-size 4");
    CliRun.ltrp("keep", "--ranker", ranker, "--ratio", 0.25, "--out", out)
        .assertOneLineError(2, "IMG");
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void missingFilesAreFailuresNamingThemBeforeAnythingIsWritten(@TempDir Path dir) {
    Path out = dir.resolve("out");
    CliRun.ltrp("keep", "missing.jpg", "--ranker", ranker, "--ratio", 0.25, "--out", out)
        .assertOneLineError(1, "ltrp keep: IMG: no such file: missing.jpg");
    keep("--ranker", dir.resolve("none.safetensors"), "--ratio", 0.25, "--out", out)
        .assertOneLineError(1, "--ranker: no such file: ");
    keep("--baseline", "oracle", "--mae", dir.resolve("none.pth"), "--ratio", 0.25, "--out", out)
        .assertOneLineError(1, "--mae: no such file: ");
    assertThat(out).doesNotExist();
  }

  @Test
  void twoImagesOfTheSameNameAreRefusedBeforeAnythingIsWritten(@TempDir Path dir)
      throws IOException {
    Path a = SyntheticImages.write(dir.resolve("a"), 1, 32, 32, 1).resolve("img000.png");
    Path b = SyntheticImages.write(dir.resolve("b"), 1, 32, 32, 2).resolve("img000.png");
    Path out = dir.resolve("out");

    CliRun.ltrp("keep", a, b, "--ranker", ranker, "--ratio", 0.25, "--out", out)
        .assertOneLineError(2, a + " and " + b + " would both write ");
    assertThat(out).doesNotExist();
  }

  /**
   * Checks the output of a run over {@link #photos}: one JSON line per image in order with the
   * image as given, the grid, {@code k} distinct kept patches that are the top {@code k} by score
   * in score order (ties aside), and every patch's score; and both pictures per image at the grid's
   * pixel size.
   */
  private static List<JsonNode> checkOutput(CliRun run, Path out, int side, int k)
      throws IOException {
    List<JsonNode> lines = parse(run);
    assertThat(lines).hasSize(photos.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      assertThat(OracleCommandTest.fieldNames(line))
          .containsExactly("image", "grid", "kept", "scores");
      assertThat(line.get("image").asText()).isEqualTo(photos.get(i).toString());
      assertThat(OracleCommandTest.ints(line.get("grid"))).containsExactly(side, side);
      int[] kept = OracleCommandTest.ints(line.get("kept"));
      float[] scores = OracleCommandTest.floats(line.get("scores"));
      assertThat(scores).hasSize(side * side);
      assertThat(kept).hasSize(k).doesNotHaveDuplicates();
      float lowestKept = Float.POSITIVE_INFINITY;
      for (int j = 0; j < kept.length; j++) {
        if (j > 0) {
          assertThat(scores[kept[j]]).isLessThanOrEqualTo(scores[kept[j - 1]]);
        }
        lowestKept = Math.min(lowestKept, scores[kept[j]]);
      }
      boolean[] isKept = new boolean[scores.length];
      for (int patch : kept) {
        isKept[patch] = true;
      }
      for (int patch = 0; patch < scores.length; patch++) {
        if (!isKept[patch]) {
          assertThat(scores[patch]).isLessThanOrEqualTo(lowestKept);
        }
      }
      String name = photos.get(i).getFileName().toString().replaceFirst("\\.[^.]*$", "");
      for (String suffix : List.of(".kept.png", ".scores.png")) {
        BufferedImage picture = ImageIO.read(out.resolve(name + suffix).toFile());
        assertThat(picture).as(name + suffix).isNotNull();
        assertThat(picture.getWidth()).isEqualTo(side * (side == 14 ? 16 : 4));
        assertThat(picture.getHeight()).isEqualTo(picture.getWidth());
      }
    }
    try (var files = Files.list(out)) {
      assertThat(files.count()).isEqualTo(2L * photos.size());
    }
    return lines;
  }

  /** Asserts that every value is in {@code [0, 1]}. */
  static void inUnitInterval(float[] values) {
    for (float v : values) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  private static List<JsonNode> parse(CliRun run) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** The {@code n} highest-scoring patches, highest first, ties by the lower index. */
  private static int[] topByScore(float[] scores, int n) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
