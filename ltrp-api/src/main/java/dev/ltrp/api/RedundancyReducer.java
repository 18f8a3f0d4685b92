package dev.ltrp.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the most important patches of an image and drops the rest.
 *
 * <p>Lifecycle: a reducer is {@link AutoCloseable}; whoever creates one closes it. A reducer built
 * over a ranker borrows the ranker (closing the reducer leaves the ranker open) unless it was built
 * to own it ({@code TopKReducer.builder(ranker).optCloseRanker(true)}); {@link #loadDefault()}
 * returns a reducer that owns its model. {@link #close()} is idempotent.
 *
 * <p>Implementations state their thread-safety.
 */
public interface RedundancyReducer extends AutoCloseable {

  /** The patch grid of the images this reducer accepts. */
  PatchGrid grid();

  /** The number of image channels this reducer accepts. */
  int channels();

  /**
   * Keeps {@code K = max(1, round(ratio · L))} patches of {@code image} (see {@link #keepCount(int,
   * double)}).
   *
   * @param image a {@code [channels(), H, W]} image, normalized as the model expects
   * @param ratio the fraction of patches to keep, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or NaN, or the
   *     image shape does not match
   */
  Reduction keepTopK(ImageTensor image, double ratio);

  /**
   * Keeps {@code K} patches of each image; each result equals {@link #keepTopK(ImageTensor,
   * double)} of its image. The default loops; engine-backed reducers score the images in one
   * batched pass.
   *
   * @return one reduction per image, in order
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or an image does
   *     not fit (the message names its position)
   */
  default List<Reduction> keepTopK(List<ImageTensor> images, double ratio) {
    Objects.requireNonNull(images, "images");
    keepCount(grid().numPatches(), ratio);
    List<Reduction> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      ImageTensor image = Objects.requireNonNull(images.get(i), "images[" + i + "]");
      try {
        out.add(keepTopK(image, ratio));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("images[" + i + "]: " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Turns a decoded image of any size into this reducer's input: resized and cropped to {@link
   * #grid()} and normalized as the model expects. The default throws: reducers that know their
   * model's preprocessing (such as {@code TopKReducer}) override it.
   *
   * @throws UnsupportedOperationException if this reducer does not know its preprocessing
   */
  default ImageTensor preprocess(BufferedImage image) {
    throw new UnsupportedOperationException(
        getClass().getName()
            + " does not preprocess images:"
            + " pass an ImageTensor of "
            + grid()
            + " with "
            + channels()
            + " channels");
  }

  /**
   * Reads an image file (JPEG, PNG, BMP, GIF) and turns it into this reducer's input. The default
   * decodes with {@link javax.imageio.ImageIO} and calls {@link #preprocess(BufferedImage)}; {@code
   * TopKReducer} also applies EXIF orientation and the size limits of its image loader.
   *
   * @throws IOException if the file cannot be read or decoded
   */
  default ImageTensor preprocess(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + ": not an image format this JVM can decode");
    }
    return preprocess(image);
  }

  /**
   * {@link #keepTopK(ImageTensor, double)} of {@link #preprocess(BufferedImage) preprocess(image)}.
   */
  default Reduction keepTopK(BufferedImage image, double ratio) {
    return keepTopK(preprocess(image), ratio);
  }

  /**
   * {@link #keepTopK(ImageTensor, double)} of the image in {@code file}, read and preprocessed by
   * {@link #preprocess(Path)}.
   *
   * @throws IOException if the file cannot be read or decoded
   */
  default Reduction keepTopK(Path file, double ratio) throws IOException {
    return keepTopK(preprocess(file), ratio);
  }

  /**
   * Frees what this reducer owns (its ranker, when built to own it). Idempotent; throws nothing.
   * The default does nothing.
   */
  @Override
  default void close() {}

  /**
   * The bundled default model: a ranker trained by this project on natural photos (224×224 images,
   * 16-pixel patches: 196 patches), plain top-K selection. Needs the engine ({@code ltrp-nd4j}) and
   * the models ({@code ltrp-models}) on the class path; nothing is downloaded.
   *
   * <pre>{@code
   * try (RedundancyReducer reducer = RedundancyReducer.loadDefault()) {
   *   Reduction kept = reducer.keepTopK(Path.of("cat.jpg"), 0.25);
   * }
   * }</pre>
   *
   * @return a reducer that owns the model: the caller closes it
   * @throws IllegalStateException if no engine provides the default model, or it cannot be loaded
   */
  static RedundancyReducer loadDefault() {
    for (dev.ltrp.api.spi.DefaultReducerProvider provider :
        java.util.ServiceLoader.load(dev.ltrp.api.spi.DefaultReducerProvider.class)) {
      return provider.create();
    }
    throw new IllegalStateException(
        "no default model on the class path: add the ltrp-nd4j" + " and ltrp-models dependencies");
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
