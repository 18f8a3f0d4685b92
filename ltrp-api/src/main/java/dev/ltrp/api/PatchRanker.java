package dev.ltrp.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores every patch of an image so that the most important ones can be kept: the learned LTRP
 * ranking model, or a baseline (random, pixel variance, DPC-KNN, the oracle itself).
 *
 * <p>Contract for implementations: the result is {@linkplain PatchScores#isDense() dense} (one
 * finite score per patch of {@link #grid()}, higher = keep first); a wrong image shape throws
 * {@link IllegalArgumentException}. Implementations state their thread-safety.
 *
 * <p>Lifecycle: whoever creates a ranker with a factory closes it, in try-with-resources. {@link
 * #close()} frees what the ranker holds (native weights for engine rankers; nothing for the
 * pure-Java baselines, whose default {@code close()} does nothing), is idempotent, and after it
 * engine rankers throw {@link IllegalStateException}. A reducer built over a ranker borrows it
 * unless it was told to own it.
 */
public interface PatchRanker extends AutoCloseable {

  /** The patch grid this ranker scores. */
  PatchGrid grid();

  /** The number of image channels this ranker expects (3 for RGB). */
  int channels();

  /**
   * Scores every patch of {@code image}.
   *
   * @param image a {@code [channels(), H, W]} image, normalized as the model expects
   * @return dense scores, one per patch
   */
  PatchScores rank(ImageTensor image);

  /**
   * Scores several images. The default calls {@link #rank(ImageTensor)} in a loop; engines override
   * it to batch the work.
   */
  default List<PatchScores> rankBatch(List<ImageTensor> images) {
    Objects.requireNonNull(images, "images");
    List<PatchScores> out = new ArrayList<>(images.size());
    for (ImageTensor image : images) {
      out.add(rank(image));
    }
    return List.copyOf(out);
  }

  /**
   * Frees what this ranker holds. Idempotent; throws nothing. The default does nothing (for rankers
   * that hold no native memory).
   */
  @Override
  default void close() {}
}
