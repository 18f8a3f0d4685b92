package dev.ltrp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.RepoFiles;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs {@link ScoreOneImage} on the tiny-MAE fixture and a sample photo. */
class ScoreOneImageTest {

  private static final Path MAE = RepoFiles.tinyMae("mae.pth");
  private static final Path CONFIG = RepoFiles.tinyMae("config.json");
  private static final Path PHOTO = RepoFiles.sample("coffee.jpg");

  @Test
  void scoresTheVisiblePatchesOfARandomSetAtTheMaeMaskRatio() throws IOException {
    MaeConfig config = MaeConfig.readJson(CONFIG);

    PatchScores scores = ScoreOneImage.score(MAE, config, PHOTO, 7);

    VisibleSet visible = VisibleSet.random(config.grid(), ScoreOneImage.MASK_RATIO, 7);
    assertThat(scores.size()).isEqualTo(6); // floor(64 · 0.1)
    assertThat(scores.patches()).containsExactly(visible.patches());
    MaeWeights weights = MaeWeights.load(MAE, config);
    ImageTensor input = ImagePreprocessor.forGrid(config.grid()).preprocess(PHOTO);
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      assertThat(scores).isEqualTo(oracle.score(input, visible));
    }
  }

  @Test
  void mainPrintsTheScoresAndTheRanking() throws IOException {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ScoreOneImage.main(new String[] {MAE.toString(), PHOTO.toString(), CONFIG.toString()});
    } finally {
      System.setOut(stdout);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("PatchScores[").contains("most important first: [");
  }
}
