package dev.ltrp.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.testing.RequiresFashionMnist;
import dev.ltrp.eval.testing.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistClutterTest {

  @TempDir Path dir;

  @BeforeEach
  void photos() throws IOException {
    SplittableRandom random = new SplittableRandom(5);
    for (int p = 0; p < 2; p++) {
      BufferedImage photo = new BufferedImage(320, 300, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 300; y++) {
        for (int x = 0; x < 320; x++) {
          int v = random.nextInt(256);
          photo.setRGB(x, y, (v << 16) | (v << 8) | v);
        }
      }
      ImageIO.write(photo, "png", dir.resolve("photo" + p + ".png").toFile());
    }
  }

  @Test
  void anOpaqueItemLandsWholeOverADimmedBackgroundAtAPositionThatVaries() throws IOException {
    FashionMnistClutter clutter = FashionMnistClutter.backgrounds(dir);
    assertThat(clutter.photos()).isEqualTo(2);
    int count = 40;
    byte[] items = new byte[count * 28 * 28];
    Arrays.fill(items, (byte) 255);
    int side = FashionMnistClutter.SIDE;
    byte[] out = clutter.compose(items, "train", 0);
    assertThat(out).hasSize(count * side * side);
    double[] centreX = new double[count];
    for (int i = 0; i < count; i++) {
      int white = 0;
      double sumX = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int v = out[i * side * side + y * side + x] & 0xff;
          if (v == 255) {
            white++;
            sumX += x;
          } else {
            // everything but the item is the photo dimmed to half its brightness
            assertThat(v).isLessThanOrEqualTo((int) Math.ceil(FashionMnistClutter.DIM * 255));
          }
        }
      }
      int min = FashionMnistClutter.MIN_ITEM;
      int max = FashionMnistClutter.MAX_ITEM;
      assertThat(white).as("opaque item pixels of image %d", i).isBetween(min * min, max * max);
      centreX[i] = sumX / white;
    }
    double mean = Arrays.stream(centreX).average().orElseThrow();
    double var = Arrays.stream(centreX).map(c -> (c - mean) * (c - mean)).average().orElseThrow();
    assertThat(Math.sqrt(var)).as("spread of the item's position").isGreaterThan(4);
    // Deterministic, and the split names its own placements.
    assertThat(clutter.compose(items, "train", 0)).isEqualTo(out);
    assertThat(clutter.compose(items, "t10k", 0)).isNotEqualTo(out);
  }

  @Test
  void aTransparentItemLeavesOnlyTheDimmedPhoto() throws IOException {
    FashionMnistClutter clutter = FashionMnistClutter.backgrounds(dir);
    byte[] out = clutter.compose(new byte[10 * 28 * 28], "train", 3);
    int max = 0;
    for (byte b : out) {
      max = Math.max(max, b & 0xff);
    }
    assertThat(max).isLessThanOrEqualTo((int) Math.ceil(FashionMnistClutter.DIM * 255));
    assertThat(max).isGreaterThan(64);
  }

  @Test
  @RequiresFashionMnist
  void theDatasetKeepsFashionMnistsSplitsOnA56PixelGrid() throws IOException {
    LabeledDataset d = LabeledDataset.open("fashion-mnist-clutter", FashionMnist.DIR, dir);
    assertThat(d.grid()).isEqualTo(PatchGrid.of(56, 8));
    assertThat(d.train().size()).isEqualTo(50_000);
    assertThat(d.val().size()).isEqualTo(10_000);
    assertThat(d.test().size()).isEqualTo(10_000);
    assertThat(d.classes()).isEqualTo(10);
    assertThat(d.train().label(0))
        .isEqualTo(LabeledDataset.open("fashion-mnist", FashionMnist.DIR).train().label(0));
    assertThatThrownBy(() -> FashionMnistClutter.backgrounds(dir.resolve("none")))
        .hasMessageContaining("not a directory");
  }
}
