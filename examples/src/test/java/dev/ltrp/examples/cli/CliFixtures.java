package dev.ltrp.examples.cli;

import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.examples.RepoFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Small inputs for the training and keeping commands: the tiny-MAE fixture (32×32 pixels, patch 4,
 * an 8×8 grid), a tiny ranker on the same grid, and folders of synthetic photos.
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
    return Files.writeString(dir.resolve("tiny-ranker.json"), "{\"img_size\":32,\"patch_size\":4,"
        + "\"in_chans\":3,\"embed_dim\":48,\"depth\":2,\"num_heads\":3,\"mlp_ratio\":4.0}");
  }

  /**
   * Writes {@code count} PNG photos of {@code width × height} pixels into {@code dir}: a vertical
   * gradient with three bright rectangles or ovals, so that patch importance varies within an
   * image. Seeded; named {@code img000.png}, {@code img001.png}, …
   */
  static Path syntheticImages(Path dir, int count, int width, int height, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      int base = random.nextInt(40, 120);
      for (int y = 0; y < height; y++) {
        int shade = base + (y * 60) / height;
        g.setColor(new Color(shade, shade / 2 + 30, 160 - shade / 3));
        g.drawLine(0, y, width, y);
      }
      for (int s = 0; s < 3; s++) {
        g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        int w = random.nextInt(width / 6, width / 2);
        int h = random.nextInt(height / 6, height / 2);
        int x = random.nextInt(0, width - w);
        int y = random.nextInt(0, height - h);
        if (random.nextBoolean()) {
          g.fillOval(x, y, w, h);
        } else {
          g.fillRect(x, y, w, h);
        }
      }
      g.dispose();
      ImageIO.write(image, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
    }
    return dir;
  }
}
