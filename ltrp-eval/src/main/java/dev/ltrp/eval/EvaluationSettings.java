package dev.ltrp.eval;

import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.RankerConfig;

/**
 * The sizes of the Fashion-MNIST evaluation ({@link LtrpEvaluation}): images at 28×28, one channel,
 * 4-pixel patches (7×7 = 49), small models, and the training budget of each.
 *
 * @param trainImages training images used (of 60,000)
 * @param testImages test images evaluated (of 10,000)
 * @param qualityImages test images on which rankings are compared with the oracle
 * @param seeds independent repetitions (each trains every model anew)
 * @param batch images per training step
 * @param maeSteps MAE pretraining steps
 * @param rankerSteps LTRP ranker training steps
 * @param classifierSteps classifier training steps
 * @param maskRatio the oracle's and the ranker's mask ratio (0.75: 12 of 49 visible)
 * @param mae the MAE's architecture
 * @param vit the ranker's and the classifiers' ViT body
 */
public record EvaluationSettings(int trainImages, int testImages, int qualityImages, int seeds,
    int batch, int maeSteps, int rankerSteps, int classifierSteps, double maskRatio,
    MaeConfig mae, RankerConfig vit) {

  /** The keep ratios of the accuracy curves. */
  public static final double[] KEEP_RATIOS = {0.10, 0.25, 0.50, 0.75};

  /** The defaults of {@code ltrp eval}: 3 seeds in about 20 minutes on a 2-core machine. */
  public static EvaluationSettings full() {
    return new EvaluationSettings(10000, 1000, 200, 3, 128, 150, 120, 200, 0.75, smallMae(),
        smallVit());
  }

  /** A reduced run for CI: a few minutes, the same pipeline. */
  public static EvaluationSettings quick() {
    return new EvaluationSettings(3000, 400, 100, 1, 96, 80, 80, 120, 0.75, smallMae(),
        smallVit());
  }

  static MaeConfig smallMae() {
    return MaeConfig.of(28, 4, 1, 64, 4, 4, 64, 2, 4, 2.0);
  }

  static RankerConfig smallVit() {
    return new RankerConfig(28, 4, 1, 64, 4, 4, 2.0);
  }
}
