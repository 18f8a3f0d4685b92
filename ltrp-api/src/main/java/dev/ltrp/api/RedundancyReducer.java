package dev.ltrp.api;

/**
 * Keeps the most important patches of an image and drops the rest.
 *
 * <p>Implementations state their thread-safety.
 */
public interface RedundancyReducer {

  /** The patch grid of the images this reducer accepts. */
  PatchGrid grid();

  /** The number of image channels this reducer accepts. */
  int channels();

  /**
   * Keeps {@code K = max(1, round(ratio · L))} patches of {@code image} (see {@link
   * #keepCount(int, double)}).
   *
   * @param image a {@code [channels(), H, W]} image, normalized as the model expects
   * @param ratio the fraction of patches to keep, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or NaN, or the
   *     image shape does not match
   */
  Reduction keepTopK(ImageTensor image, double ratio);

  /**
   * The bundled default model: a ranker trained by this project on natural photos (224×224
   * images, 16-pixel patches: 196 patches), plain top-K selection. Needs the engine ({@code
   * ltrp-nd4j}) and the models ({@code ltrp-models}) on the class path; nothing is downloaded.
   *
   * <pre>{@code
   * try (CloseableRedundancyReducer reducer = RedundancyReducer.loadDefault()) {
   *   Reduction kept = reducer.keepTopK(image, 0.25);
   * }
   * }</pre>
   *
   * @throws IllegalStateException if no engine provides the default model, or it cannot be loaded
   */
  static CloseableRedundancyReducer loadDefault() {
    for (dev.ltrp.api.spi.DefaultReducerProvider provider
        : java.util.ServiceLoader.load(dev.ltrp.api.spi.DefaultReducerProvider.class)) {
      return provider.create();
    }
    throw new IllegalStateException("no default model on the class path: add the ltrp-nd4j"
        + " dependency (which brings ltrp-models)");
  }

  /**
   * The number of patches kept out of {@code numPatches} at {@code ratio}: {@code round(ratio ·
   * numPatches)} (half up), at least 1.
   *
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or NaN
   */
  static int keepCount(int numPatches, double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("keep ratio must be in (0, 1], got " + ratio);
    }
    if (numPatches <= 0) {
      throw new IllegalArgumentException("numPatches must be positive, got " + numPatches);
    }
    return (int) Math.max(1, Math.min(numPatches, Math.round(ratio * numPatches)));
  }
}
