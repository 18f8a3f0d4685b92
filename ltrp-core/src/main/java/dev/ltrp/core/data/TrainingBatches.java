package dev.ltrp.core.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Which images each training step uses, as a pure function of {@code (seed, step)}, so that a run
 * resumed from a checkpoint at step {@code s} sees exactly the batches the uninterrupted run would
 * have seen.
 *
 * <p>The data set of {@code n} images is visited in epochs; epoch {@code e} visits every index
 * once, in the order of a permutation drawn from {@code Seeds.random(seed, "epoch", e)} by a
 * Fisher–Yates shuffle ({@code for i = n−1 … 1: swap(i, nextInt(i + 1))} on the identity). The
 * epochs are concatenated into one endless stream and step {@code s} takes stream positions {@code
 * [s·B, (s+1)·B)}: a batch that reaches the end of an epoch continues into the next (nothing is
 * dropped, every image is used exactly once per epoch, and when {@code B > n} a batch spans several
 * epochs). Position {@code p} is image {@code perm_{p / n}[p mod n]}.
 *
 * <p>Per-item randomness ({@code randomFor}) is keyed by {@code (step, position in the batch,
 * purpose)}, never by what ran before, so skipping steps changes nothing.
 *
 * <pre>{@code
 * TrainingBatches batches = TrainingBatches.create(split.train().size(), 256, 0L);
 * long totalSteps = batches.stepsForEpochs(400);
 * int[] indices = batches.batch(step);
 * SplittableRandom crop = batches.randomFor(step, 0, "crop");
 * }</pre>
 *
 * <p>Thread-safe: the values are immutable and the small cache of recent epoch permutations is
 * synchronized.
 */
public final class TrainingBatches {

  /** The purpose string under which epoch permutations are derived (see {@link Seeds}). */
  public static final String EPOCH_PURPOSE = "epoch";

  private static final int CACHED_EPOCHS = 3;

  private final int datasetSize;
  private final int batchSize;
  private final long seed;
  private final Map<Long, int[]> cache =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
          return size() > CACHED_EPOCHS;
        }
      };

  private TrainingBatches(int datasetSize, int batchSize, long seed) {
    this.datasetSize = datasetSize;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /**
   * Batches of {@code batchSize} indices into a data set of {@code datasetSize} images.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public static TrainingBatches create(int datasetSize, int batchSize, long seed) {
    if (datasetSize <= 0) {
      throw new IllegalArgumentException("datasetSize must be positive, got " + datasetSize);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    return new TrainingBatches(datasetSize, batchSize, seed);
  }

  /**
   * Batches over the images of {@code folder} (typically the train part of a split).
   *
   * @throws IllegalArgumentException if the folder is empty or {@code batchSize} is not positive
   */
  public static TrainingBatches of(ImageFolder folder, int batchSize, long seed) {
    Objects.requireNonNull(folder, "folder");
    return create(folder.size(), batchSize, seed);
  }

  /** Number of images {@code n}. */
  public int datasetSize() {
    return datasetSize;
  }

  /** Images per step {@code B}. */
  public int batchSize() {
    return batchSize;
  }

  /** The base seed. */
  public long seed() {
    return seed;
  }

  /**
   * The data set indices of step {@code step}'s batch, in batch order (a new array of length {@link
   * #batchSize()}).
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public int[] batch(long step) {
    checkStep(step);
    int[] out = new int[batchSize];
    long position = Math.multiplyExact(step, (long) batchSize);
    int filled = 0;
    while (filled < batchSize) {
      long epoch = position / datasetSize;
      int offset = (int) (position % datasetSize);
      int take = Math.min(batchSize - filled, datasetSize - offset);
      System.arraycopy(permutationRef(epoch), offset, out, filled, take);
      filled += take;
      position += take;
    }
    return out;
  }

  /**
   * The order in which epoch {@code epoch} visits the data set: a permutation of {@code [0, n)} (a
   * new array).
   *
   * @throws IllegalArgumentException if {@code epoch} is negative
   */
  public int[] permutation(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
    }
    return permutationRef(epoch).clone();
  }

  /**
   * The epoch that step {@code step}'s first image belongs to: {@code floor(step·B / n)}.
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public long epochOf(long step) {
    checkStep(step);
    return Math.multiplyExact(step, (long) batchSize) / datasetSize;
  }

  /**
   * Epochs completed before step {@code step} runs, fractional: {@code step·B / n} (the {@code
   * epoch} argument of the reference's per-iteration {@code adjust_learning_rate}).
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public double epochsBefore(long step) {
    checkStep(step);
    return (double) step * batchSize / datasetSize;
  }

  /**
   * The number of steps that covers {@code epochs} epochs: {@code ceil(epochs · n / B)}, for
   * example a total or a warm-up length for {@link dev.ltrp.core.training.CosineSchedule}.
   *
   * @throws IllegalArgumentException if {@code epochs} is negative or not finite
   */
  public long stepsForEpochs(double epochs) {
    if (!(epochs >= 0 && epochs < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epochs must be finite and >= 0, got " + epochs);
    }
    double items = epochs * datasetSize;
    if (items == Math.rint(items) && items < 0x1p53) {
      return Math.floorDiv((long) items + batchSize - 1, batchSize); // exact for whole item counts
    }
    return (long) Math.ceil(items / batchSize);
  }

  /**
   * A generator for one item of one step: {@code Seeds.random(seed, purpose, step, item)}. Use a
   * distinct purpose per use (for example {@code "crop"} for the augmentation, {@code "visible"}
   * for the visible set the oracle scores), so that the uses are independent of each other and of
   * the order they run in.
   *
   * @param item position in the batch, in {@code [0, B)}
   * @throws IllegalArgumentException if {@code step} is negative or {@code item} out of range
   */
  public SplittableRandom randomFor(long step, int item, String purpose) {
    checkStep(step);
    Objects.requireNonNull(purpose, "purpose");
    if (item < 0 || item >= batchSize) {
      throw new IllegalArgumentException("item must be in [0, " + batchSize + "), got " + item);
    }
    return Seeds.random(seed, purpose, step, item);
  }

  private int[] permutationRef(long epoch) {
    synchronized (cache) {
      int[] perm = cache.get(epoch);
      if (perm == null) {
        perm = shuffle(epoch);
        cache.put(epoch, perm);
      }
      return perm;
    }
  }

  private int[] shuffle(long epoch) {
    SplittableRandom random = Seeds.random(seed, EPOCH_PURPOSE, epoch);
    int[] perm = new int[datasetSize];
    for (int i = 0; i < datasetSize; i++) {
      perm[i] = i;
    }
    for (int i = datasetSize - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }

  private static void checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, got " + step);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingBatches other
        && datasetSize == other.datasetSize
        && batchSize == other.batchSize
        && seed == other.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(datasetSize, batchSize, seed);
  }

  @Override
  public String toString() {
    return "TrainingBatches[n=" + datasetSize + ", batchSize=" + batchSize + ", seed=" + seed + "]";
  }
}
