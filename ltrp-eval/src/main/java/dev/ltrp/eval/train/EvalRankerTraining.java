package dev.ltrp.eval.train;

import dev.ltrp.api.PatchScores;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.data.RandomResizedCrop;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.oracle.ScoreMapStore;
import dev.ltrp.core.training.PseudoLabels;
import dev.ltrp.eval.downstream.ScoreFile;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.training.RankerTrainer;
import dev.ltrp.nd4j.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Trains the evaluation's LTRP ranker on the oracle of a committed teacher, resumably, on the first
 * 50,000 Fashion-MNIST training images (the teacher's split; the last 10,000 are the evaluation's
 * validation split and are never seen here). 2% of the 50,000 are held out inside the run for the
 * τ-against-oracle curve of the metrics log.
 *
 * <pre>{@code
 * java -cp ... dev.ltrp.eval.train.EvalRankerTraining DATA_DIR MAE.safetensors OUT.safetensors \
 *     STEPS BATCH STOP_AFTER [MASK_RATIO] [SEED] [MAPS.bin]
 * }</pre>
 *
 * <p>With {@code MAPS.bin} (an {@link OracleMaps} file of training images 0…n−1) the targets are
 * offline: the stored full score maps restricted to each step's visible set, on those n images
 * without augmentation (the oracle then runs once per image instead of once per step).
 *
 * <p>Resumes from {@code OUT}'s checkpoint when it exists; the command of record is {@code
 * ltrp-eval/models/fashion-mnist/train-ranker.sh}.
 */
public final class EvalRankerTraining {

  /** Training images of the evaluation split (the rest of the 60,000 are validation). */
  public static final int TRAIN_SPLIT = 50_000;

  private EvalRankerTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 6) {
      System.err.println(
          "usage: EvalRankerTraining DATA_DIR MAE OUT STEPS BATCH STOP_AFTER"
              + " [MASK_RATIO] [SEED] [MAPS.bin]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    MaeWeights mae = MaeWeights.load(Path.of(args[1]), null);
    Path out = Path.of(args[2]);
    long steps = Long.parseLong(args[3]);
    int batch = Integer.parseInt(args[4]);
    long stopAfter = Long.parseLong(args[5]);
    double maskRatio = args.length > 6 ? Double.parseDouble(args[6]) : 0.75;
    long seed = args.length > 7 ? Long.parseLong(args[7]) : 0;
    RankerConfig body = mae.config().encoderConfig();
    List<PatchScores> maps = args.length > 8 ? ScoreFile.read(Path.of(args[8]), body.grid()) : null;

    RandomResizedCrop crop =
        RandomResizedCrop.builder().setSize(body.imgSize()).optScale(0.6, 1.0).build();
    // Offline targets are maps of the un-augmented images, so those runs train without crops.
    IdxImages train =
        IdxImages.read(
                data.resolve("train-images-idx3-ubyte.gz"),
                null,
                body.grid(),
                body.inChans(),
                IdxImages.fashionMnistNormalization(body.inChans()),
                maps == null ? crop : null)
            .subset(IntStream.range(0, maps == null ? TRAIN_SPLIT : maps.size()).toArray());
    RankerWeights weights = train(mae, train, maps, maskRatio, steps, batch, stopAfter, seed, out);
    weights.save(out);
    System.out.println("{\"out\":\"" + out + "\",\"steps\":" + steps + "}");
  }

  /**
   * Trains an LTRP ranker of the teacher's encoder shape (random init from {@code seed}) on the
   * teacher's oracle, ListMLE, AdamW at peak lr 1.5e-3, 2% of {@code images} held out for the τ
   * curve; checkpoints every 250 steps beside {@code out} and resumes from that checkpoint when it
   * exists; the metrics log goes to {@code out}'s {@code .metrics.jsonl}.
   *
   * @param maps the oracle's full score maps of {@code images}, in order (offline targets), or null
   *     to run the oracle on every step's visible sets (online targets)
   * @param stopAfter steps to run in this call (the run continues on the next)
   * @return the weights after this call's last step
   */
  public static RankerWeights train(
      MaeWeights mae,
      IdxImages images,
      List<PatchScores> maps,
      double maskRatio,
      long steps,
      int batch,
      long stopAfter,
      long seed,
      Path out)
      throws IOException {
    RankerConfig body = mae.config().encoderConfig();
    Path checkpoint = sibling(out, ".ckpt.safetensors");
    try (MaeScoreOracle oracle = MaeScoreOracle.create(mae)) {
      PseudoLabels labels =
          maps == null ? PseudoLabels.online(oracle) : PseudoLabels.offline(store(images, maps));
      RankerTrainer.Builder trainer =
          RankerTrainer.builder(images, labels, RankerWeights.random(body, seed))
              .setSteps(steps)
              .optBatchSize(batch)
              .optMaskRatio(maskRatio)
              .optLr(1.5e-3)
              .optSeed(seed)
              .optHeldOutFraction(0.02)
              .optValidateEvery((int) Math.max(1, steps / 8))
              .optCheckpoint(checkpoint, 250)
              .optMetricsLog(sibling(out, ".metrics.jsonl"))
              .optStopAfter(stopAfter);
      if (Files.exists(checkpoint)) {
        trainer.optResume(checkpoint);
      }
      TrainingResult result = trainer.build().train();
      return result.weights();
    }
  }

  /** The maps of {@code images}, in order, keyed by the images' names. */
  static ScoreMapStore store(IdxImages images, List<PatchScores> maps) {
    if (maps.size() != images.size()) {
      throw new IllegalArgumentException(
          maps.size() + " score maps for " + images.size() + " images");
    }
    Map<String, float[]> byName = new HashMap<>();
    for (int i = 0; i < maps.size(); i++) {
      byName.put(images.name(i), maps.get(i).scores());
    }
    return ScoreMapStore.of(images.grid(), byName);
  }

  private static Path sibling(Path out, String suffix) {
    String name = out.getFileName().toString().replaceFirst("\\.safetensors$", "");
    return out.resolveSibling(name + suffix);
  }
}
