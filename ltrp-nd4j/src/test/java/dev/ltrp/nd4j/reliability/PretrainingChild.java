package dev.ltrp.nd4j.reliability;

import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.data.TrainingImages;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.nd4j.training.MaePretrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process that {@link TrainingKillReliabilityTest} kills: a tiny MAE pretraining that writes a
 * checkpoint after every step, resuming from that checkpoint when it exists.
 *
 * <p>Arguments: {@code <image folder> <checkpoint> <final weights or ->}. Writes the final weights
 * as safetensors when the run completes.
 */
public final class PretrainingChild {

  /** Steps of the whole run. */
  static final int STEPS = 24;

  private PretrainingChild() {}

  public static void main(String[] args) throws IOException {
    Path checkpoint = Path.of(args[1]);
    MaePretrainer.Builder run = run(Path.of(args[0])).optCheckpoint(checkpoint, 1);
    if (Files.exists(checkpoint)) {
      run.optResume(checkpoint);
    }
    MaePretrainer.PretrainingResult result = run.build().train();
    if (!args[2].equals("-")) {
      Checkpoints.writeSafetensors(Path.of(args[2]), result.weights().stateDict());
    }
    System.out.println("done " + result.firstStep() + " -> " + STEPS);
  }

  /** The run, without checkpointing: the same in the child and in the test's reference run. */
  static MaePretrainer.Builder run(Path images) throws IOException {
    MaeConfig config = MaeConfig.readJson(Fixtures.path("fixtures/tiny-mae/config.json"));
    TrainingImages source = TrainingImages.builder(ImageFolder.scan(images), config.grid()).build();
    return MaePretrainer.builder(source, MaeWeights.random(config, 5))
        .setSteps(STEPS)
        .optBatchSize(2)
        .optLr(1e-3)
        .optWarmupSteps(2)
        .optSeed(9);
  }
}
