package dev.ltrp.eval.data;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.Normalization;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.data.HeldOutSplit;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.data.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A labeled image dataset in three splits, as the evaluation reads it: training images (the
 * teacher, the ranker and the downstream classifiers learn from these), validation images (every
 * setting is chosen on these) and test images (reported once).
 *
 * <p>Specs accepted by {@link #open}:
 *
 * <ul>
 *   <li>{@code fashion-mnist}: the IDX files of Debian's {@code dataset-fashion-mnist} in {@code
 *       fashionMnistDir}; training = the first 50,000 training images, validation = the last
 *       10,000, test = {@code t10k}.
 *   <li>{@code fashion-mnist-clutter}: the same splits, each item composed at a random position and
 *       scale over a crop of a natural photo on a 56×56 canvas ({@link FashionMnistClutter}, seed
 *       0; 7×7 patches of 8 pixels).
 *   <li>{@code idx:DIR}: a folder with {@code train-images-idx3-ubyte[.gz]} and {@code
 *       train-labels-idx1-ubyte[.gz]}, and {@code t10k-} or {@code test-} files of the same kind;
 *       the last sixth of the training file is the validation split.
 *   <li>{@code idx:PREFIX}: {@code PREFIX-images-idx3-ubyte[.gz]} and {@code
 *       PREFIX-labels-idx1-ubyte[.gz]}; {@code idx:IMAGES,LABELS}: the two files named. One file
 *       pair is split by index: the last sixth is test, the sixth before it validation.
 *   <li>{@code folder:DIR}: one subfolder of image files per class (classes in name order), resized
 *       on the shorter side and center-cropped to {@value #FOLDER_SIDE}×{@value #FOLDER_SIDE} and
 *       converted to grayscale; a sixth of the images is test and a sixth validation, chosen by a
 *       hash of each file's path (stable on every machine).
 * </ul>
 *
 * <p>The grid is 7×7 patches of {@code round(side / 7)} pixels (at least 2), images resized to
 * {@code 7 · patch} pixels: Fashion-MNIST's 28×28 gives patches of 4. Channels: 1 (IDX images are
 * grayscale). Normalization: Fashion-MNIST's statistics for it, otherwise the mean and standard
 * deviation of up to 5,000 training images. Classes: one more than the largest training label.
 * Immutable and thread-safe.
 *
 * @param name the spec it was opened from
 * @param classes number of classes
 */
public record LabeledDataset(
    String name, IdxImages train, IdxImages val, IdxImages test, int classes) {

  /** Pixel values as read (in [0, 1]), before a data set's own statistics are known. */
  private static final Normalization IDENTITY =
      Normalization.of(new float[] {0f}, new float[] {1f});

  /** Patches per side of every dataset's grid. */
  public static final int GRID_SIDE = 7;

  private static final String ACCEPTED =
      "fashion-mnist, fashion-mnist-clutter, idx:DIR,"
          + " idx:PREFIX, idx:IMAGES,LABELS or folder:DIR";

  /** The side, in pixels, that {@code folder:} images are resized to. */
  public static final int FOLDER_SIDE = 28;

  /**
   * Opens {@code spec} (see the class comment).
   *
   * @throws IllegalArgumentException if the spec is not one of the accepted forms or names files
   *     that do not exist
   * @throws IOException if a file cannot be read or is not a valid IDX file
   */
  public static LabeledDataset open(String spec, Path fashionMnistDir) throws IOException {
    return open(spec, fashionMnistDir, FashionMnistClutter.DEFAULT_BACKGROUNDS);
  }

  /**
   * As {@link #open(String, Path)}, with the folder of background photos of {@code
   * fashion-mnist-clutter}.
   */
  public static LabeledDataset open(String spec, Path fashionMnistDir, Path backgrounds)
      throws IOException {
    if (spec.equals("fashion-mnist-clutter")) {
      return clutter(spec, fashionMnistDir, FashionMnistClutter.backgrounds(backgrounds));
    }
    if (spec.equals("fashion-mnist")) {
      Path train = requireFashionMnist(fashionMnistDir);
      IdxImages all =
          read(
              train,
              fashionMnistDir.resolve("train-labels-idx1-ubyte.gz"),
              28,
              IdxImages.fashionMnistNormalization(1));
      IdxImages test =
          read(
              fashionMnistDir.resolve("t10k-images-idx3-ubyte.gz"),
              fashionMnistDir.resolve("t10k-labels-idx1-ubyte.gz"),
              28,
              IdxImages.fashionMnistNormalization(1));
      return of(spec, all.subset(range(0, 50_000)), all.subset(range(50_000, all.size())), test);
    }
    if (spec.startsWith("folder:") && spec.length() > 7) {
      return folder(spec, Path.of(spec.substring(7)));
    }
    if (!spec.startsWith("idx:") || spec.length() == 4) {
      throw new IllegalArgumentException("unknown dataset '" + spec + "': expected " + ACCEPTED);
    }
    String target = spec.substring(4);
    if (target.contains(",")) {
      String[] files = target.split(",", -1);
      if (files.length != 2) {
        throw new IllegalArgumentException(
            "idx:IMAGES,LABELS names two files, got '" + target + "'");
      }
      return splitOne(spec, existing(Path.of(files[0])), existing(Path.of(files[1])));
    }
    Path path = Path.of(target);
    if (Files.isDirectory(path)) {
      Path trainImages = idxFile(path, "train-images-idx3-ubyte");
      Path trainLabels = idxFile(path, "train-labels-idx1-ubyte");
      Path testImages = firstExisting(path, "t10k-images-idx3-ubyte", "test-images-idx3-ubyte");
      Path testLabels = firstExisting(path, "t10k-labels-idx1-ubyte", "test-labels-idx1-ubyte");
      int side = side(trainImages);
      IdxImages all = read(trainImages, trainLabels, side, null);
      Normalization norm = statistics(all);
      all = all.withNormalization(norm);
      IdxImages test = read(testImages, testLabels, side, norm);
      int val = all.size() / 6;
      return of(
          spec,
          all.subset(range(0, all.size() - val)),
          all.subset(range(all.size() - val, all.size())),
          test);
    }
    return splitOne(
        spec,
        idxFile(path.toAbsolutePath().getParent(), path.getFileName() + "-images-idx3-ubyte"),
        idxFile(path.toAbsolutePath().getParent(), path.getFileName() + "-labels-idx1-ubyte"));
  }

  private static Path requireFashionMnist(Path dir) {
    Path train = dir.resolve("train-images-idx3-ubyte.gz");
    if (!Files.exists(train)) {
      throw new IllegalArgumentException(
          "no Fashion-MNIST in "
              + dir
              + " ("
              + train.getFileName()
              + " is missing): install it with `apt-get install"
              + " dataset-fashion-mnist` or name its folder with --data");
    }
    return train;
  }

  /** Fashion-MNIST's splits composed over clutter ({@link FashionMnistClutter}), seed 0. */
  private static LabeledDataset clutter(String spec, Path dir, FashionMnistClutter clutter)
      throws IOException {
    requireFashionMnist(dir);
    int side = FashionMnistClutter.SIDE;
    PatchGrid grid = PatchGrid.of(side, side / GRID_SIDE);
    IdxImages[] splits = new IdxImages[2];
    Normalization norm = null;
    String[] names = {"train", "t10k"};
    for (int s = 0; s < 2; s++) {
      byte[] items = IdxReader.read(dir.resolve(names[s] + "-images-idx3-ubyte.gz")).data();
      byte[] raw = IdxReader.read(dir.resolve(names[s] + "-labels-idx1-ubyte.gz")).data();
      int[] labels = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        labels[i] = raw[i] & 0xff;
      }
      IdxImages identity =
          IdxImages.of(clutter.compose(items, names[s], 0), side, side, labels, grid, 1, IDENTITY);
      if (norm == null) {
        norm = statistics(identity);
      }
      splits[s] = identity.withNormalization(norm);
    }
    return of(
        spec,
        splits[0].subset(range(0, 50_000)),
        splits[0].subset(range(50_000, splits[0].size())),
        splits[1]);
  }

  private static LabeledDataset folder(String spec, Path dir) throws IOException {
    LabeledFolder.Contents c = LabeledFolder.read(dir, FOLDER_SIDE);
    PatchGrid grid = PatchGrid.of(FOLDER_SIDE, FOLDER_SIDE / GRID_SIDE);
    IdxImages identity =
        IdxImages.of(c.pixels(), FOLDER_SIDE, FOLDER_SIDE, c.labels(), grid, 1, IDENTITY);
    IdxImages all = identity.withNormalization(statistics(identity));
    boolean[] test = HeldOutSplit.heldOut(c.names(), 1.0 / 6, 1);
    boolean[] val = HeldOutSplit.heldOut(c.names(), 1.0 / 5, 2);
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    List<Integer> testing = new ArrayList<>();
    for (int i = 0; i < test.length; i++) {
      (test[i] ? testing : val[i] ? validation : train).add(i);
    }
    if (train.isEmpty() || validation.isEmpty() || testing.isEmpty()) {
      throw new IllegalArgumentException(
          spec
              + " has "
              + test.length
              + " images: too few for"
              + " training, validation and test splits ("
              + train.size()
              + ", "
              + validation.size()
              + ", "
              + testing.size()
              + ")");
    }
    return of(
        spec, all.subset(ints(train)), all.subset(ints(validation)), all.subset(ints(testing)));
  }

  private static int[] ints(List<Integer> v) {
    return v.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The images of classes {@code from} to {@code to - 1} only, in every split; labels and the class
   * count are unchanged (a classifier keeps one output per class of the whole set).
   */
  public LabeledDataset withClasses(int from, int to) {
    if (from < 0 || to > classes || from >= to) {
      throw new IllegalArgumentException(
          "classes [" + from + ", " + to + ") are not within [0, " + classes + ")");
    }
    int[] keep = IntStream.range(from, to).toArray();
    return new LabeledDataset(
        name, train.withLabels(keep), val.withLabels(keep), test.withLabels(keep), classes);
  }

  /** The grid of every split's images. */
  public PatchGrid grid() {
    return train.grid();
  }

  private static LabeledDataset splitOne(String spec, Path images, Path labels) throws IOException {
    int side = side(images);
    IdxImages all = read(images, labels, side, null);
    all = all.withNormalization(statistics(all));
    int sixth = all.size() / 6;
    if (sixth < 1) {
      throw new IllegalArgumentException(
          images
              + " has "
              + all.size()
              + " images: at least 6 are needed for training, validation and test splits");
    }
    int n = all.size();
    return of(
        spec,
        all.subset(range(0, n - 2 * sixth)),
        all.subset(range(n - 2 * sixth, n - sixth)),
        all.subset(range(n - sixth, n)));
  }

  private static LabeledDataset of(String spec, IdxImages train, IdxImages val, IdxImages test) {
    int classes = 0;
    for (int i = 0; i < train.size(); i++) {
      classes = Math.max(classes, train.label(i) + 1);
    }
    if (classes < 2) {
      throw new IllegalArgumentException(
          spec + ": the training labels hold " + classes + " class; at least 2 are needed");
    }
    return new LabeledDataset(spec, train, val, test, classes);
  }

  private static IdxImages read(Path images, Path labels, int side, Normalization norm)
      throws IOException {
    int patch = Math.max(2, Math.round(side / (float) GRID_SIDE));
    PatchGrid grid = PatchGrid.of(GRID_SIDE * patch, patch);
    return IdxImages.read(images, labels, grid, 1, norm != null ? norm : IDENTITY, null);
  }

  /** Mean and standard deviation of up to 5,000 training images (under the identity). */
  private static Normalization statistics(IdxImages identity) {
    double sum = 0;
    double squares = 0;
    long count = 0;
    for (int i = 0; i < Math.min(5_000, identity.size()); i++) {
      ImageTensor t = identity.image(i);
      for (float v : t.toArray()) {
        sum += v;
        squares += (double) v * v;
        count++;
      }
    }
    double mean = sum / count;
    double std = Math.sqrt(Math.max(squares / count - mean * mean, 1e-12));
    return Normalization.of(new float[] {(float) mean}, new float[] {(float) std});
  }

  private static int side(Path images) throws IOException {
    int[] dims = IdxReader.read(images).dims();
    if (dims.length != 3) {
      throw new IOException(
          images + ": expected a 3-dimensional IDX image file, got " + dims.length + " dimensions");
    }
    if (dims[1] != dims[2]) {
      throw new IllegalArgumentException(
          images
              + " holds "
              + dims[1]
              + "x"
              + dims[2]
              + " images; the evaluation takes square images");
    }
    return dims[1];
  }

  private static Path idxFile(Path dir, String base) {
    for (String name : List.of(base + ".gz", base)) {
      Path p = dir.resolve(name);
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no " + base + "[.gz] in " + dir);
  }

  private static Path firstExisting(Path dir, String... bases) {
    List<String> tried = new ArrayList<>();
    for (String base : bases) {
      for (String name : List.of(base + ".gz", base)) {
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
          return p;
        }
        tried.add(name);
      }
    }
    throw new IllegalArgumentException("no test files in " + dir + " (tried " + tried + ")");
  }

  private static Path existing(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("no such file: " + p);
    }
    return p;
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }
}
