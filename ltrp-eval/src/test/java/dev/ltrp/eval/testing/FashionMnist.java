package dev.ltrp.eval.testing;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.data.IdxImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package, which {@code .ci/run} and the
 * README's set-up install. Tests that need it are marked {@link
 * dev.ltrp.core.testing.RequiresFashionMnist}: skipped where it is missing, except in CI, where
 * they fail with the message below (a skip would hide that CI lost its data).
 */
public final class FashionMnist {

  /** Where the package puts the files. */
  public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {}

  /** The training or test split at 28×28, one channel, patch 4 (7×7 = 49 patches). */
  public static IdxImages load(boolean train) {
    String split = train ? "train" : "t10k";
    Path images = DIR.resolve(split + "-images-idx3-ubyte.gz");
    Path labels = DIR.resolve(split + "-labels-idx1-ubyte.gz");
    if (!Files.isRegularFile(images)) {
      throw new IllegalStateException(
          images
              + " is missing: apt-get install -y"
              + " dataset-fashion-mnist (see the README's set-up)");
    }
    try {
      return IdxImages.read(
          images, labels, PatchGrid.of(28, 4), 1, IdxImages.fashionMnistNormalization(1), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
