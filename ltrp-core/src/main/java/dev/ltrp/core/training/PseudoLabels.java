package dev.ltrp.core.training;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.ScoreOracle;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.oracle.ScoreMapStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the ranker's training targets come from: the oracle's scores of each image's visible
 * patches.
 *
 * <p>{@link #online} asks a frozen oracle at every step, on the augmented images, as the paper
 * does; {@link #offline} reads precomputed full score maps (fast, but of un-augmented images, so
 * training then skips the random crops).
 */
public interface PseudoLabels {

  /** The patch grid of the targets. */
  PatchGrid grid();

  /** Whether targets follow the augmented images (true) or the stored originals (false). */
  boolean followsAugmentation();

  /**
   * The targets of a batch.
   *
   * @param names the images' names relative to their folder (offline lookup)
   * @param images the model inputs
   * @param visible each image's visible set
   * @return one {@link PatchScores} per image, over its visible patches in their order
   */
  List<PatchScores> label(List<String> names, List<ImageTensor> images, List<VisibleSet> visible);

  /** Online targets from {@code oracle} (its thread-safety and cost apply). */
  static PseudoLabels online(ScoreOracle oracle) {
    Objects.requireNonNull(oracle, "oracle");
    return new PseudoLabels() {
      @Override
      public PatchGrid grid() {
        return oracle.grid();
      }

      @Override
      public boolean followsAugmentation() {
        return true;
      }

      @Override
      public List<PatchScores> label(
          List<String> names, List<ImageTensor> images, List<VisibleSet> visible) {
        return oracle.scoreBatch(images, visible);
      }
    };
  }

  /** Offline targets from stored score maps. */
  static PseudoLabels offline(ScoreMapStore store) {
    Objects.requireNonNull(store, "store");
    return new PseudoLabels() {
      @Override
      public PatchGrid grid() {
        return store.grid();
      }

      @Override
      public boolean followsAugmentation() {
        return false;
      }

      @Override
      public List<PatchScores> label(
          List<String> names, List<ImageTensor> images, List<VisibleSet> visible) {
        List<PatchScores> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
          out.add(store.at(names.get(i), visible.get(i)));
        }
        return out;
      }
    };
  }
}
