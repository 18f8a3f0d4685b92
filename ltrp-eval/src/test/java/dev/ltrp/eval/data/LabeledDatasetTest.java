package dev.ltrp.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.testing.RequiresFashionMnist;
import dev.ltrp.eval.testing.FashionMnist;
import dev.ltrp.eval.testing.IdxFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledDatasetTest {

  @TempDir Path dir;

  @Test
  @RequiresFashionMnist
  void fashionMnistHasTheDocumentedSplits() throws IOException {
    LabeledDataset d = LabeledDataset.open("fashion-mnist", FashionMnist.DIR);
    assertThat(d.train().size()).isEqualTo(50_000);
    assertThat(d.val().size()).isEqualTo(10_000);
    assertThat(d.test().size()).isEqualTo(10_000);
    assertThat(d.val().name(0)).isEqualTo("50000");
    assertThat(d.classes()).isEqualTo(10);
    assertThat(d.grid()).isEqualTo(PatchGrid.of(28, 4));
  }

  @Test
  void aDirectoryOfTrainAndTestFilesKeepsTheTestFileAndHoldsOutASixthForValidation()
      throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("train-images-idx3-ubyte.gz"),
        dir.resolve("train-labels-idx1-ubyte.gz"),
        60,
        14,
        3,
        1);
    IdxFiles.writeBlobs(
        dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 12, 14, 3, 2);
    LabeledDataset d = LabeledDataset.open("idx:" + dir, FashionMnist.DIR);
    assertThat(d.train().size()).isEqualTo(50);
    assertThat(d.val().size()).isEqualTo(10);
    assertThat(d.test().size()).isEqualTo(12);
    assertThat(d.classes()).isEqualTo(3);
    // 14 pixels: a 7x7 grid of 2-pixel patches
    assertThat(d.grid()).isEqualTo(PatchGrid.of(14, 2));
    assertThat(d.train().image(0).height()).isEqualTo(14);
  }

  @Test
  void onePrefixOrTwoNamedFilesAreSplitIntoTrainValidationAndTest() throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("blobs-images-idx3-ubyte.gz"),
        dir.resolve("blobs-labels-idx1-ubyte.gz"),
        36,
        28,
        4,
        3);
    LabeledDataset byPrefix = LabeledDataset.open("idx:" + dir.resolve("blobs"), FashionMnist.DIR);
    assertThat(byPrefix.train().size()).isEqualTo(24);
    assertThat(byPrefix.val().size()).isEqualTo(6);
    assertThat(byPrefix.test().size()).isEqualTo(6);
    assertThat(byPrefix.test().name(0)).isEqualTo("30");
    LabeledDataset byFiles =
        LabeledDataset.open(
            "idx:"
                + dir.resolve("blobs-images-idx3-ubyte.gz")
                + ","
                + dir.resolve("blobs-labels-idx1-ubyte.gz"),
            FashionMnist.DIR);
    assertThat(byFiles.train().size()).isEqualTo(24);
    assertThat(byFiles.train().image(3)).isEqualTo(byPrefix.train().image(3));
    // Statistics of this data, not Fashion-MNIST's: the normalized training pixels have mean ~0.
    double sum = 0;
    int count = 0;
    for (int i = 0; i < byPrefix.train().size(); i++) {
      for (float v : byPrefix.train().image(i).toArray()) {
        sum += v;
        count++;
      }
    }
    assertThat(Math.abs(sum / count)).isLessThan(0.1);
  }

  @Test
  void aFolderOfClassSubfoldersIsReadAsGrayscaleAndSplitByFileName() throws IOException {
    for (String cls : new String[] {"cats", "dogs"}) {
      Files.createDirectories(dir.resolve("photos").resolve(cls));
      for (int i = 0; i < 30; i++) {
        java.awt.image.BufferedImage img =
            new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
        int rgb = cls.equals("cats") ? 0xff0000 : 0x0000ff;
        for (int y = 0; y < 30; y++) {
          for (int x = 0; x < 40; x++) {
            img.setRGB(x, y, (x + i) % 7 == 0 ? 0xffffff : rgb);
          }
        }
        javax.imageio.ImageIO.write(
            img, "png", dir.resolve("photos").resolve(cls).resolve(i + ".png").toFile());
      }
    }
    Files.writeString(dir.resolve("photos").resolve("README.txt"), "not a class");
    LabeledDataset d = LabeledDataset.open("folder:" + dir.resolve("photos"), FashionMnist.DIR);
    assertThat(d.classes()).isEqualTo(2);
    assertThat(d.grid()).isEqualTo(PatchGrid.of(28, 4));
    assertThat(d.train().size() + d.val().size() + d.test().size()).isEqualTo(60);
    assertThat(d.val().size()).isPositive();
    assertThat(d.test().size()).isPositive();
    // Red (luma 76) and blue (luma 29) classes stay apart after the grayscale conversion.
    float cat = d.train().image(firstOf(d, 0)).get(0, 1, 1);
    float dog = d.train().image(firstOf(d, 1)).get(0, 1, 1);
    assertThat(cat).isGreaterThan(dog);

    Files.writeString(dir.resolve("photos").resolve("dogs").resolve("broken.png"), "no png");
    assertThatThrownBy(
            () -> LabeledDataset.open("folder:" + dir.resolve("photos"), FashionMnist.DIR))
        .hasMessageContaining("broken.png");
    Files.createDirectories(dir.resolve("one").resolve("only"));
    assertThatThrownBy(() -> LabeledDataset.open("folder:" + dir.resolve("one"), FashionMnist.DIR))
        .hasMessageContaining("at least 2");
  }

  private static int firstOf(LabeledDataset d, int label) {
    for (int i = 0; i < d.train().size(); i++) {
      if (d.train().label(i) == label) {
        return i;
      }
    }
    throw new AssertionError("no training image of class " + label);
  }

  @Test
  void badSpecsAreRefusedNamingWhatIsAccepted() throws IOException {
    assertThatThrownBy(() -> LabeledDataset.open("mnist", FashionMnist.DIR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mnist'")
        .hasMessageContaining("idx:DIR");
    assertThatThrownBy(() -> LabeledDataset.open("idx:" + dir.resolve("none"), FashionMnist.DIR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none-images-idx3-ubyte");
    assertThatThrownBy(() -> LabeledDataset.open("idx:a,b,c", FashionMnist.DIR))
        .hasMessageContaining("two files");
    assertThatThrownBy(() -> LabeledDataset.open("fashion-mnist", dir))
        .hasMessageContaining("dataset-fashion-mnist");
    IdxFiles.write(dir.resolve("wide-images-idx3-ubyte"), new int[] {6, 4, 8}, new byte[6 * 32]);
    IdxFiles.write(
        dir.resolve("wide-labels-idx1-ubyte"), new int[] {6}, new byte[] {0, 1, 0, 1, 0, 1});
    assertThatThrownBy(() -> LabeledDataset.open("idx:" + dir.resolve("wide"), FashionMnist.DIR))
        .hasMessageContaining("4x8")
        .hasMessageContaining("square");
    IdxFiles.writeBlobs(
        dir.resolve("one-images-idx3-ubyte"), dir.resolve("one-labels-idx1-ubyte"), 12, 14, 1, 4);
    assertThatThrownBy(() -> LabeledDataset.open("idx:" + dir.resolve("one"), FashionMnist.DIR))
        .hasMessageContaining("at least 2");
    assertThat(Files.exists(dir.resolve("one-images-idx3-ubyte"))).isTrue();
  }
}
