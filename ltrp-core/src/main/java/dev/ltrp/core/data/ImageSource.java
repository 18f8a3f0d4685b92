package dev.ltrp.core.data;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An indexed set of training images, delivered as model inputs of one grid: plain (for validation
 * and evaluation) or augmented (for training). Implementations: {@link TrainingImages} (a folder of
 * photos) and {@link IdxImages} (an IDX file such as Fashion-MNIST).
 *
 * <p>Implementations are thread-safe.
 */
public interface ImageSource {

  /** The grid of every delivered image. */
  PatchGrid grid();

  /** Channels of every delivered image. */
  int channels();

  /** Number of images. */
  int size();

  /**
   * A stable name of image {@code index} (a relative path, or an IDX index), for lookups and
   * splits.
   */
  String name(int index);

  /** Image {@code index}, resized to the grid and normalized, without randomness. */
  ImageTensor image(int index) throws IOException;

  /** Image {@code index}, randomly augmented with draws from {@code random}, then normalized. */
  ImageTensor augmented(int index, SplittableRandom random) throws IOException;

  /** The images at {@code indices}, in ascending index order. */
  ImageSource subset(int... indices);

  /**
   * Splits into a training part and a held-out part by hashing each image's {@link #name} with
   * {@code seed} ({@link HeldOutSplit}): the same on every machine.
   */
  default Split split(double heldOutFraction, long seed) {
    List<String> names = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      names.add(name(i));
    }
    boolean[] held = HeldOutSplit.heldOut(names, heldOutFraction, seed);
    int count = 0;
    for (boolean h : held) {
      count += h ? 1 : 0;
    }
    int[] train = new int[held.length - count];
    int[] test = new int[count];
    int a = 0;
    int b = 0;
    for (int i = 0; i < held.length; i++) {
      if (held[i]) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new Split(subset(train), subset(test));
  }

  /** A training part and a held-out part. */
  record Split(ImageSource train, ImageSource heldOut) {}
}
