package dev.ltrp.nd4j;

import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.api.spi.DefaultReducerProvider;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.ModelResources;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The default models this project ships in {@code ltrp-models}: a small MAE and a small ranker
 * trained on natural photos at 224×224 pixels with 16-pixel patches (see the model card, {@code
 * ltrp-models/.../MODEL_CARD.md}, for data, commands and metrics).
 *
 * <p>Loading reads the files from the class path; nothing is downloaded. Thread-safe.
 */
public final class DefaultModels {

  /** Class-path folder of the default models. */
  public static final String RESOURCE_DIR = "dev/ltrp/models/default/";

  private static final ClassLoader LOADER = DefaultModels.class.getClassLoader();
  private static final String MISSING = "add the ltrp-models artifact";

  private DefaultModels() {}

  /** The default ranker's weights, read from the class path (no temporary file). */
  public static RankerWeights ranker() throws IOException {
    return ModelResources.ranker(LOADER, RESOURCE_DIR + "ranker.safetensors", MISSING);
  }

  /** The default MAE's weights (the ranker's teacher), read from the class path. */
  public static MaeWeights mae() throws IOException {
    return ModelResources.mae(LOADER, RESOURCE_DIR + "mae.safetensors", MISSING);
  }

  /**
   * A top-K reducer over the default ranker (what {@code RedundancyReducer.loadDefault()} returns).
   * It owns the ranker: the caller closes the reducer, which frees the ranker's native memory. Safe
   * for concurrent calls.
   */
  public static TopKReducer reducer() throws IOException {
    return TopKReducer.builder(VitRanker.create(ranker())).optCloseRanker(true).build();
  }

  /** The {@link DefaultReducerProvider} registered for {@code RedundancyReducer.loadDefault()}. */
  public static final class Provider implements DefaultReducerProvider {
    @Override
    public RedundancyReducer create() {
      try {
        return reducer();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot load the default model: " + e.getMessage(), new UncheckedIOException(e));
      }
    }
  }
}
