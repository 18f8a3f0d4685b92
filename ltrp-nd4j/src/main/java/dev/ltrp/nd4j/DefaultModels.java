package dev.ltrp.nd4j;

import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.api.spi.DefaultReducerProvider;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The default models this project ships in {@code ltrp-models}: a small MAE and a small ranker
 * trained on natural photos at 224×224 pixels with 16-pixel patches (see the model card,
 * {@code ltrp-models/.../MODEL_CARD.md}, for data, commands and metrics).
 *
 * <p>Loading reads the files from the class path; nothing is downloaded. Thread-safe.
 */
public final class DefaultModels {

  /** Class-path folder of the default models. */
  public static final String RESOURCE_DIR = "dev/ltrp/models/default/";

  private DefaultModels() {}

  /** The default ranker's weights. */
  public static RankerWeights ranker() throws IOException {
    Path file = extract("ranker.safetensors");
    try {
      return RankerWeights.load(file, null);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The default MAE's weights (the ranker's teacher). */
  public static MaeWeights mae() throws IOException {
    Path file = extract("mae.safetensors");
    try {
      return MaeWeights.load(file, null);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * A top-K reducer over the default ranker (what {@code RedundancyReducer.loadDefault()}
   * returns). It owns the ranker: the caller closes the reducer, which frees the ranker's native
   * memory. Safe for concurrent calls.
   */
  public static TopKReducer reducer() throws IOException {
    return TopKReducer.builder(VitRanker.create(ranker())).optCloseRanker(true).build();
  }

  /** Copies a class-path model file to a temporary file: the readers map files from disk. */
  private static Path extract(String name) throws IOException {
    try (InputStream in = DefaultModels.class.getClassLoader()
        .getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IOException("the default model file " + RESOURCE_DIR + name + " is not on the"
            + " class path: add the ltrp-models artifact");
      }
      Path file = Files.createTempFile("ltrp-default-", "-" + name);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    }
  }

  /** The {@link DefaultReducerProvider} registered for {@code RedundancyReducer.loadDefault()}. */
  public static final class Provider implements DefaultReducerProvider {
    @Override
    public RedundancyReducer create() {
      try {
        return reducer();
      } catch (IOException e) {
        throw new IllegalStateException("cannot load the default model: " + e.getMessage(),
            new UncheckedIOException(e));
      }
    }
  }
}
