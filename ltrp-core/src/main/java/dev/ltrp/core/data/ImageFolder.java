package dev.ltrp.core.data;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered list of the image files under a folder: the unlabeled training set of LTRP (class
 * sub-folders, as in ImageNet's layout, are simply walked into).
 *
 * <p>{@link #scan(Path)} collects, recursively, every regular file whose name ends in one of {@link
 * #EXTENSIONS} (case-insensitively, so {@code IMG_0001.JPG} counts). Files and folders whose name
 * starts with {@code '.'} are skipped (dot-files such as macOS's {@code ._x.jpg} AppleDouble files,
 * {@code .git}, {@code .cache}); symbolic links are followed, except a link back to a folder being
 * walked (a loop), which is skipped. The list is sorted by the relative path written with {@code
 * '/'} separators, compared as Java strings (UTF-16 code units), so the order and therefore every
 * index is the same on every platform and file system.
 *
 * <p>The file's contents are not opened: a file with an image extension that is not a readable
 * image fails later, when {@link dev.ltrp.core.image.ImageLoader} reads it.
 *
 * <pre>{@code
 * ImageFolder all = ImageFolder.scan(Path.of("data/train"));
 * ImageFolder.Split split = all.split(0.01, 0L);
 * Path first = split.train().path(0);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageFolder {

  /** The file extensions (lower case, without the dot) that {@link #scan(Path)} accepts. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private final Path root;
  private final List<String> relativePaths;

  private ImageFolder(Path root, List<String> relativePaths) {
    this.root = root;
    this.relativePaths = relativePaths;
  }

  /**
   * Lists the image files under {@code root}, as the class documentation describes.
   *
   * @throws NoSuchFileException if {@code root} does not exist
   * @throws NotDirectoryException if {@code root} is not a folder
   * @throws IOException if the folder holds no image file, or a folder under it cannot be read
   */
  public static ImageFolder scan(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    Path base = root.toAbsolutePath().normalize();
    if (!Files.exists(base)) {
      throw new NoSuchFileException(base.toString(), null, "image folder does not exist");
    }
    if (!Files.isDirectory(base)) {
      throw new NotDirectoryException(base.toString());
    }
    List<String> found = new ArrayList<>();
    Files.walkFileTree(
        base,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return !dir.equals(base) && isHidden(dir)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            // A broken link arrives with the link's own attributes: not a regular file.
            if (attrs.isRegularFile() && !isHidden(file) && hasImageExtension(file)) {
              found.add(relative(base, file));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof FileSystemLoopException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }
        });
    if (found.isEmpty()) {
      throw new IOException(
          "no image file (" + String.join(", ", sortedExtensions()) + ") under " + base);
    }
    found.sort(Comparator.naturalOrder());
    return new ImageFolder(base, List.copyOf(found));
  }

  /** The folder that was scanned, absolute and normalized. */
  public Path root() {
    return root;
  }

  /** Number of images; positive for a scanned folder, possibly 0 for a split or subset. */
  public int size() {
    return relativePaths.size();
  }

  /** Whether this list has no image (only possible for a split or subset). */
  public boolean isEmpty() {
    return relativePaths.isEmpty();
  }

  /**
   * The file of image {@code index}: {@code root().resolve(relativePath(index))}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public Path path(int index) {
    return root.resolve(relativePath(index));
  }

  /**
   * The path of image {@code index} relative to {@link #root()}, with {@code '/'} separators.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public String relativePath(int index) {
    return relativePaths.get(index);
  }

  /** All relative paths in index order (an unmodifiable list). */
  public List<String> relativePaths() {
    return relativePaths;
  }

  /**
   * Splits the images into a training part and a held-out part, disjoint and together all images,
   * each in this list's order.
   *
   * <p>The held-out part has {@code round(heldOutFraction · size())} images, but at least 1 when
   * {@code heldOutFraction > 0} and at most {@code size() − 1}, when {@code size() ≥ 2}; a single
   * image always goes to training. Which images are held out depends only on {@code seed} and their
   * relative paths: each image gets the key {@code murmur3_128(0)(seed (int64 LE) · relativePath
   * (UTF-8)).asLong()} and the images with the smallest keys (ties by index) are held out. The
   * split is therefore the same on every machine, and adding or removing a few files moves only a
   * few others from one part to the other.
   *
   * @param heldOutFraction in {@code [0, 1)}
   * @throws IllegalArgumentException if {@code heldOutFraction} is not in {@code [0, 1)}
   */
  public Split split(double heldOutFraction, long seed) {
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "heldOutFraction must be in [0, 1), got " + heldOutFraction);
    }
    int n = size();
    boolean[] held = HeldOutSplit.heldOut(relativePaths, heldOutFraction, seed);
    List<String> train = new ArrayList<>(n);
    List<String> test = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (held[i] ? test : train).add(relativePaths.get(i));
    }
    return new Split(
        new ImageFolder(root, List.copyOf(train)), new ImageFolder(root, List.copyOf(test)));
  }

  /**
   * The images at {@code indices}, in ascending index order whatever the order given (so a subset
   * of a sorted list stays sorted).
   *
   * @throws IndexOutOfBoundsException if an index is not in {@code [0, size())}
   * @throws IllegalArgumentException if an index appears twice
   */
  public ImageFolder subset(int... indices) {
    Objects.requireNonNull(indices, "indices");
    int[] sorted = indices.clone();
    Arrays.sort(sorted);
    List<String> out = new ArrayList<>(sorted.length);
    for (int k = 0; k < sorted.length; k++) {
      Objects.checkIndex(sorted[k], size());
      if (k > 0 && sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException("index " + sorted[k] + " appears twice");
      }
      out.add(relativePaths.get(sorted[k]));
    }
    return new ImageFolder(root, List.copyOf(out));
  }

  /**
   * The first {@code min(n, size())} images, for quick runs on a slice of a data set.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public ImageFolder limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, got " + n);
    }
    return n >= size() ? this : new ImageFolder(root, relativePaths.subList(0, n));
  }

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static boolean hasImageExtension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String relative(Path base, Path file) {
    Path rel = base.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  private static List<String> sortedExtensions() {
    return EXTENSIONS.stream().sorted().toList();
  }

  /** Two lists are equal when they have the same root and the same relative paths in order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ImageFolder other
        && root.equals(other.root)
        && relativePaths.equals(other.relativePaths);
  }

  @Override
  public int hashCode() {
    return Objects.hash(root, relativePaths);
  }

  @Override
  public String toString() {
    return "ImageFolder[root=" + root + ", size=" + size() + "]";
  }

  /**
   * A split of an {@link ImageFolder} into two disjoint parts that together hold all its images.
   *
   * @param train the images to train on
   * @param heldOut the images kept for validation
   */
  public record Split(ImageFolder train, ImageFolder heldOut) {

    /** Checks that both parts are given. */
    public Split {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(heldOut, "heldOut");
    }
  }
}
