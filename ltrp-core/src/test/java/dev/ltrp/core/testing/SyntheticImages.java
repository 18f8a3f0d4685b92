package dev.ltrp.core.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A folder of small synthetic photos (a smooth background with a few bright shapes) for training
 * tests: structured enough that patch importance varies within an image, fast to decode.
 */
public final class SyntheticImages {

  private SyntheticImages() {}

  /** Writes {@code count} PNG images of {@code width × height} into {@code dir}; seeded. */
  public static Path write(Path dir, int count, int width, int height, long seed)
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
