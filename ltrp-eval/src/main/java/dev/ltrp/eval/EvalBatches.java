package dev.ltrp.eval;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.eval.classifier.VitClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-set passes of the evaluation, in chunks of {@value #CHUNK} images (one engine call each):
 * decoding a set, ranking it, classifying its kept patches. Stateless; the thread-safety of the
 * ranker or classifier passed in applies.
 */
public final class EvalBatches {

  /** Images per engine call: large enough to amortize dispatch, small enough for the heap. */
  public static final int CHUNK = 256;

  private EvalBatches() {}

  /** Every image of {@code set}, decoded once (un-augmented). */
  public static List<ImageTensor> images(IdxImages set) {
    List<ImageTensor> out = new ArrayList<>(set.size());
    for (int i = 0; i < set.size(); i++) {
      out.add(set.image(i));
    }
    return out;
  }

  /** Every label of {@code set}. */
  public static int[] labels(IdxImages set) {
    int[] out = new int[set.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = set.label(i);
    }
    return out;
  }

  /** {@code ranker}'s scores of every image, in order. */
  public static List<PatchScores> rankAll(PatchRanker ranker, List<ImageTensor> images) {
    List<PatchScores> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += CHUNK) {
      out.addAll(ranker.rankBatch(images.subList(start, Math.min(images.size(), start + CHUNK))));
    }
    return out;
  }

  /**
   * The share of images {@code classifier} labels right seeing only their {@code kept} patches (all
   * images of one chunk must keep the same number).
   */
  public static double accuracy(
      VitClassifier classifier, List<ImageTensor> images, int[] labels, List<int[]> kept) {
    int right = 0;
    for (int start = 0; start < images.size(); start += CHUNK) {
      int end = Math.min(images.size(), start + CHUNK);
      int[] predicted = classifier.predict(images.subList(start, end), kept.subList(start, end));
      for (int i = 0; i < predicted.length; i++) {
        right += predicted[i] == labels[start + i] ? 1 : 0;
      }
    }
    return right / (double) images.size();
  }
}
