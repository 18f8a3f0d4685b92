package dev.ltrp.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The teacher of LTRP: scores how much each visible patch of a masked image matters.
 *
 * <p>The reference oracle ({@code MaeScoreOracle} in {@code ltrp-nd4j}) reconstructs the image from
 * its visible patches with a frozen masked autoencoder (the <i>anchor</i>), then removes each
 * visible patch in turn and scores it by how much the reconstruction of the masked patches changes
 * (mean absolute difference). Implement this interface to plug in another reconstruction model or
 * another metric; everything downstream (full score maps, ranker training, evaluation) works with
 * any implementation.
 *
 * <p>Contract for implementations: scores are finite, larger means more important, and the result
 * of {@link #score(ImageTensor, VisibleSet)} lists exactly the patches of the visible set, in its
 * ascending order. Caller mistakes (wrong image shape, a visible set of another grid) throw {@link
 * IllegalArgumentException}; failures of the underlying engine are reported as unchecked exceptions
 * with the cause attached. Implementations state their thread-safety.
 *
 * <p>Lifecycle: whoever creates an oracle with a factory closes it, in try-with-resources; {@link
 * #close()} is idempotent and a no-op by default. Rankers and trainers built over an oracle borrow
 * it: closing them leaves it open.
 */
public interface ScoreOracle extends AutoCloseable {

  /**
   * The patch grid this oracle scores; images must be {@code grid().imageHeight() × imageWidth()}.
   */
  PatchGrid grid();

  /** The number of image channels this oracle expects (3 for RGB). */
  int channels();

  /**
   * Scores every patch of {@code visible}.
   *
   * @param image a {@code [channels(), H, W]} image, normalized as the model expects
   * @param visible the patches the model sees; must belong to {@link #grid()}
   * @return one score per visible patch, in the ascending order of {@code visible}
   * @throws IllegalArgumentException if the image shape or the visible set's grid does not match
   */
  PatchScores score(ImageTensor image, VisibleSet visible);

  /**
   * Scores a seeded random visible set at {@code maskRatio} (0.9 in the paper: 19 of 196 patches
   * visible), drawn by {@link VisibleSet#random(PatchGrid, double, long)}.
   */
  default PatchScores score(ImageTensor image, double maskRatio, long seed) {
    return score(image, VisibleSet.random(grid(), maskRatio, seed));
  }

  /**
   * Scores several images, each with its own visible set. The default calls {@link
   * #score(ImageTensor, VisibleSet)} in a loop; engines override it to batch the work.
   *
   * @throws IllegalArgumentException if the lists differ in length
   */
  default List<PatchScores> scoreBatch(List<ImageTensor> images, List<VisibleSet> visibleSets) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(visibleSets, "visibleSets");
    if (images.size() != visibleSets.size()) {
      throw new IllegalArgumentException(
          images.size() + " images but " + visibleSets.size() + " visible sets");
    }
    List<PatchScores> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(score(images.get(i), visibleSets.get(i)));
    }
    return List.copyOf(out);
  }

  /**
   * A full score map: scores {@link VisibleSet#covering(PatchGrid, double, int, long) covering}
   * visible sets (so that every patch is visible at least {@code passes} times) in one {@link
   * #scoreBatch} call and aggregates them per patch.
   *
   * @param maskRatio mask ratio of each round, in {@code (0, 1)}
   * @param passes covering passes, at least 1
   * @param seed seed of the visible sets
   */
  default ScoreMap scoreMap(ImageTensor image, double maskRatio, int passes, long seed) {
    List<VisibleSet> sets = VisibleSet.covering(grid(), maskRatio, passes, seed);
    List<ImageTensor> images = java.util.Collections.nCopies(sets.size(), image);
    return ScoreMap.fromRounds(grid(), scoreBatch(images, sets));
  }

  /**
   * Frees what this oracle holds (a model's native weights). Idempotent; throws nothing. The
   * default does nothing.
   */
  @Override
  default void close() {}
}
