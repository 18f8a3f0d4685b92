package dev.ltrp.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage snippets of this package's javadoc, compiled and run. */
class DataSnippetsTest {

  @TempDir Path tmp;

  @Test
  void snippetsRun() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data/train/n01"));
    for (int i = 0; i < 4; i++) {
      Files.write(data.resolve(i + ".jpg"), new byte[] {0});
    }
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    long step = 3;

    // ImageFolder
    ImageFolder all = ImageFolder.scan(tmp.resolve("data/train")); // Path.of("data/train")
    ImageFolder.Split split = all.split(0.01, 0L);
    Path first = split.train().path(0);

    // Seeds
    SplittableRandom crop = Seeds.random(0L, "crop", 120, 3);

    // RandomResizedCrop
    RandomResizedCrop augment = RandomResizedCrop.builder().setSize(224).build();
    BufferedImage view = augment.apply(image, Seeds.random(0L, "crop", 0, 0));

    // TrainingBatches
    TrainingBatches batches = TrainingBatches.create(split.train().size(), 256, 0L);
    long totalSteps = batches.stepsForEpochs(400);
    int[] indices = batches.batch(step);
    SplittableRandom itemCrop = batches.randomFor(step, 0, "crop");

    assertThat(first).exists();
    assertThat(crop.nextLong()).isNotZero();
    assertThat(view.getWidth()).isEqualTo(224);
    assertThat(totalSteps).isEqualTo(5); // ceil(400 · 3 / 256)
    assertThat(indices).hasSize(256);
    assertThat(itemCrop).isNotNull();
  }
}
