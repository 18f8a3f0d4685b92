package dev.ltrp.examples;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Scores the patches of one photo with the MAE oracle: load a checkpoint, preprocess the image to
 * the model's size, draw a random visible set, and score each visible patch by how much the
 * reconstruction changes without it.
 *
 * <pre>
 * java -cp ... dev.ltrp.examples.ScoreOneImage mae_visualize_vit_base.pth samples/chelsea.jpg
 * java -cp ... dev.ltrp.examples.ScoreOneImage tiny/mae.pth samples/chelsea.jpg tiny/config.json
 * </pre>
 */
public final class ScoreOneImage {

  /** The MAE pretraining mask ratio: 19 of 196 patches stay visible for ViT-B/16. */
  public static final double MASK_RATIO = 0.9;

  private ScoreOneImage() {}

  /**
   * Scores the visible patches of {@code image}.
   *
   * @param checkpoint a MAE checkpoint with its decoder (.pth or safetensors)
   * @param config the architecture, or null to infer it from the checkpoint (the presets)
   * @param image an image file of any size
   * @param seed seed of the random visible set
   * @return one score per visible patch, in ascending patch order
   * @throws IOException if a file cannot be read or the checkpoint does not fit
   */
  public static PatchScores score(Path checkpoint, MaeConfig config, Path image, long seed)
      throws IOException {
    MaeWeights weights = MaeWeights.load(checkpoint, config);
    ImageTensor input = ImagePreprocessor.forGrid(weights.config().grid()).preprocess(image);
    VisibleSet visible = VisibleSet.random(weights.config().grid(), MASK_RATIO, seed);
    try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
      return oracle.score(input, visible);
    }
  }

  /** {@code ScoreOneImage CHECKPOINT IMAGE [CONFIG.json|base|large|huge]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ScoreOneImage CHECKPOINT IMAGE [CONFIG.json|base|large|huge]");
      System.exit(2);
    }
    MaeConfig config = args.length == 3 ? MaeConfig.fromSpec(args[2]) : null;
    PatchScores scores = score(Path.of(args[0]), config, Path.of(args[1]), 0);
    System.out.println(scores);
    System.out.println("most important first: " + Arrays.toString(scores.ranking()));
  }
}
