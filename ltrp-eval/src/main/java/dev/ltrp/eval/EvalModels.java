package dev.ltrp.eval;

import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.ModelResources;
import dev.ltrp.core.model.RankerWeights;
import java.io.IOException;

/**
 * The evaluation's committed Fashion-MNIST models, shipped in this module's jar: the teacher MAE
 * ({@code ltrp-eval/models/fashion-mnist/mae.safetensors}, 8,000 steps, see docs/EVAL-TEACHER.md)
 * and the LTRP ranker trained on its oracle ({@code ranker.safetensors}, see docs/DOWNSTREAM.md).
 * {@code ltrp eval} reuses them unless told to retrain. Thread-safe.
 */
public final class EvalModels {

  private static final String DIR = "dev/ltrp/eval/models/fashion-mnist/";
  private static final ClassLoader LOADER = EvalModels.class.getClassLoader();

  private EvalModels() {}

  /** The Fashion-MNIST teacher MAE, read from the class path (no temporary file). */
  public static MaeWeights fashionMnistTeacher() throws IOException {
    return ModelResources.mae(LOADER, DIR + "mae.safetensors", "");
  }

  /** The LTRP ranker trained on the Fashion-MNIST teacher's oracle. */
  public static RankerWeights fashionMnistRanker() throws IOException {
    return ModelResources.ranker(LOADER, DIR + "ranker.safetensors", "");
  }
}
