package dev.ltrp.examples;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Reduction;
import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Keeps the most important quarter of a photo's patches with a trained ranker and the DPC-KNN
 * diversity hybrid.
 *
 * <pre>
 * java -cp ... dev.ltrp.examples.KeepTopK ranker.safetensors samples/chelsea.jpg
 * </pre>
 */
public final class KeepTopK {

  private KeepTopK() {}

  /**
   * Keeps {@code ratio} of the patches of {@code image}.
   *
   * @param rankerFile a ranker written by {@code ltrp train} (or {@link RankerWeights#save})
   * @return the reduction: kept patches (ranked and spatial), their pixels, the scores
   */
  public static Reduction keep(Path rankerFile, Path imageFile, double ratio) throws IOException {
    RankerWeights weights = RankerWeights.load(rankerFile, null);
    ImageTensor image = ImagePreprocessor.forGrid(weights.config().grid()).preprocess(imageFile);
    try (VitRanker ranker = VitRanker.create(weights)) {
      RedundancyReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).build();
      return reducer.keepTopK(image, ratio);
    }
  }

  /** {@code KeepTopK RANKER IMAGE [RATIO]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: KeepTopK RANKER IMAGE [RATIO]");
      System.exit(2);
    }
    double ratio = args.length == 3 ? Double.parseDouble(args[2]) : 0.25;
    Reduction kept = keep(Path.of(args[0]), Path.of(args[1]), ratio);
    System.out.println(
        "kept "
            + kept.keptCount()
            + " of "
            + kept.grid().numPatches()
            + " patches, most important first: "
            + Arrays.toString(kept.keptRanked()));
  }
}
