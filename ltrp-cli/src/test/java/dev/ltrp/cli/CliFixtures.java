package dev.ltrp.cli;

import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small inputs for the training and keeping commands: the tiny-MAE fixture (32×32 pixels, patch 4,
 * an 8×8 grid), and a tiny ranker on the same grid (synthetic photos: {@code SyntheticImages} in
 * ltrp-core's test jar).
 */
final class CliFixtures {

  /** The tiny MAE checkpoint. */
  static final Path MAE = RepoFiles.tinyMae("mae.pth");

  /** Its architecture (it cannot be inferred from the shapes). */
  static final Path MAE_CONFIG = RepoFiles.tinyMae("config.json");

  /** A two-block ranker on the tiny MAE's grid. */
  static final RankerConfig TINY_RANKER = new RankerConfig(32, 4, 3, 48, 2, 3, 4.0);

  /** Patches of the tiny grid. */
  static final int PATCHES = 64;

  private CliFixtures() {}

  /** Writes {@link #TINY_RANKER} as the JSON a user would write, and returns its path. */
  static Path tinyRankerConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(
        dir.resolve("tiny-ranker.json"),
        "{\"img_size\":32,\"patch_size\":4,"
            + "\"in_chans\":3,\"embed_dim\":48,\"depth\":2,\"num_heads\":3,\"mlp_ratio\":4.0}");
  }
}
