package dev.ltrp.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository that the tests of several modules use: the tiny-MAE fixture committed in
 * the ltrp-nd4j module and the sample photos.
 *
 * <p>They are found on disk from the working directory (Maven runs the tests in the module
 * directory; an IDE may use the repository root) rather than through the class path, where the
 * ltrp-nd4j test resources would be a jar whose entries are not files.
 */
public final class RepoFiles {

  private static final String TINY_MAE = "ltrp-nd4j/src/test/resources/fixtures/tiny-mae/";

  private RepoFiles() {}

  /** The repository root: the nearest directory upwards holding the tiny fixture and samples. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(TINY_MAE + "config.json"))
          && Files.isDirectory(d.resolve("samples"))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root (with "
            + TINY_MAE
            + " and samples/) from the working directory "
            + dir);
  }

  /**
   * A file of the tiny-MAE fixture: {@code mae.pth}, {@code mae.safetensors}, {@code config.json}.
   */
  public static Path tinyMae(String file) {
    return root().resolve(TINY_MAE + file);
  }

  /** A sample photo, for example {@code chelsea.jpg}. */
  public static Path sample(String file) {
    return root().resolve("samples").resolve(file);
  }
}
