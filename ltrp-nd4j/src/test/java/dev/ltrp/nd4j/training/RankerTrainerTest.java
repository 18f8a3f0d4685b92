package dev.ltrp.nd4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.core.training.MetricsLog;
import dev.ltrp.core.training.PseudoLabels;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end ranker training on synthetic photos with the tiny test MAE as the oracle (32×32, 64
 * patches, mask ratio 0.75: 16 visible) and a tiny ranker.
 */
@Tag("slow")
class RankerTrainerTest {

  private static final RankerConfig TINY = new RankerConfig(32, 4, 3, 48, 2, 3, 4.0);

  @TempDir static Path dir;
  private static ImageFolder images;
  private static MaeScoreOracle oracle;

  @BeforeAll
  static void setUp() throws IOException {
    images = ImageFolder.scan(SyntheticImages.write(dir.resolve("images"), 24, 48, 40, 1));
    MaeConfig config = MaeConfig.readJson(Fixtures.path("fixtures/tiny-mae/config.json"));
    oracle =
        MaeScoreOracle.create(MaeWeights.load(Fixtures.path("fixtures/tiny-mae/mae.pth"), config));
  }

  @AfterAll
  static void tearDown() {
    oracle.close();
  }

  private static RankerTrainer.Builder trainer(long steps) {
    return RankerTrainer.builder(images, PseudoLabels.online(oracle), RankerWeights.random(TINY, 3))
        .setSteps(steps)
        .optBatchSize(4)
        .optMaskRatio(0.75)
        .optLr(2e-3)
        .optWarmupSteps(5)
        .optSeed(7)
        .optHeldOutFraction(0.25)
        .optValidateEvery(20);
  }

  @Test
  void theLossFallsAndEveryStepIsLogged() throws IOException {
    Path log = dir.resolve("metrics.jsonl");
    TrainingResult result = trainer(60).optMetricsLog(log).build().train();
    List<Double> losses = result.losses();
    assertThat(losses).hasSize(60).allMatch(Double::isFinite);
    double first = mean(losses.subList(0, 10));
    double last = mean(losses.subList(50, 60));
    System.out.printf(
        "ranker training: mean loss of steps 1-10 %.4f, of steps 51-60 %.4f;" + " validations %s%n",
        first, last, result.validations());
    assertThat(last).as("mean loss of the last 10 steps vs the first 10").isLessThan(first);
    List<Map<String, Object>> records = MetricsLog.read(log);
    assertThat(records).hasSize(60);
    assertThat(records.get(19))
        .containsKeys(
            "val_kendall_tau",
            "val_spearman",
            "val_ndcg_at_k",
            "val_top_k_overlap",
            "lr",
            "images_per_s");
    assertThat(result.validations()).hasSize(3);
  }

  @Test
  void aResumedRunRepeatsTheUninterruptedRunBitForBit() throws IOException {
    StateDict uninterrupted = trainer(6).build().train().weights().stateDict();

    Path checkpoint = dir.resolve("resume/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    TrainingResult firstHalf =
        trainer(6).optCheckpoint(checkpoint, 100).optStopAfter(3).build().train();
    assertThat(firstHalf.losses()).hasSize(3);
    assertThat(TrainingCheckpoint.load(checkpoint).state().step()).isEqualTo(3);
    TrainingResult secondHalf =
        trainer(6).optCheckpoint(checkpoint, 100).optResume(checkpoint).build().train();
    assertThat(secondHalf.firstStep()).isEqualTo(3);
    assertThat(secondHalf.losses()).hasSize(3);
    assertThat(secondHalf.weights().stateDict()).isEqualTo(uninterrupted);
  }

  @Test
  void resumingWithOtherSettingsIsRefused() throws IOException {
    Path checkpoint = dir.resolve("other/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    trainer(8).optCheckpoint(checkpoint, 2).optStopAfter(2).build().train();
    assertThatThrownBy(() -> trainer(8).optBatchSize(2).optResume(checkpoint).build().train())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch");
  }

  @Test
  void aDivergingRunStopsWithAClearMessageAndKeepsItsLastCheckpoint() throws IOException {
    Path checkpoint = dir.resolve("diverge/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    RankerTrainer exploding =
        trainer(40).optLr(1e4).optWarmupSteps(0).optCheckpoint(checkpoint, 1).build();
    assertThatThrownBy(exploding::train)
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("the loss is")
        .hasMessageContaining("is intact");
    TrainingCheckpoint last = TrainingCheckpoint.load(checkpoint);
    assertThat(last.state().step()).isBetween(1L, 39L);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
