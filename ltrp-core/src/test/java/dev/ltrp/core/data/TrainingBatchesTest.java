package dev.ltrp.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingBatchesTest {

  private static int[] concat(TrainingBatches batches, long fromStep, long toStep) {
    return java.util.stream.LongStream.range(fromStep, toStep)
        .mapToObj(batches::batch)
        .flatMapToInt(Arrays::stream)
        .toArray();
  }

  @Test
  void sameSeedSameBatches() {
    TrainingBatches a = TrainingBatches.create(37, 5, 9L);
    TrainingBatches b = TrainingBatches.create(37, 5, 9L);
    for (long s = 0; s < 30; s++) {
      assertThat(a.batch(s)).isEqualTo(b.batch(s));
    }
    assertThat(TrainingBatches.create(37, 5, 10L).batch(0)).isNotEqualTo(a.batch(0));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void everyItemOncePerEpochAcrossBatchBoundaries() {
    int n = 10;
    TrainingBatches batches = TrainingBatches.create(n, 3, 1L);
    int[] stream = concat(batches, 0, 20); // 60 positions: 6 epochs
    for (int e = 0; e < 6; e++) {
      int[] epoch = Arrays.copyOfRange(stream, e * n, (e + 1) * n);
      assertThat(epoch)
          .as("epoch %d", e)
          .containsExactlyInAnyOrder(IntStream.range(0, n).toArray());
      assertThat(epoch).isEqualTo(batches.permutation(e));
    }
    assertThat(batches.permutation(0)).isNotEqualTo(batches.permutation(1));
    // Step 3 covers positions 9..11: the last of epoch 0, then the first two of epoch 1.
    assertThat(batches.batch(3))
        .containsExactly(
            batches.permutation(0)[9], batches.permutation(1)[0], batches.permutation(1)[1]);
  }

  @Test
  void batchesLargerThanTheDataSetSpanSeveralEpochs() {
    TrainingBatches batches = TrainingBatches.create(3, 7, 2L);
    int[] stream = concat(batches, 0, 3); // 21 positions = 7 epochs
    for (int e = 0; e < 7; e++) {
      assertThat(Arrays.copyOfRange(stream, 3 * e, 3 * e + 3)).containsExactlyInAnyOrder(0, 1, 2);
    }
    assertThat(batches.epochOf(1)).isEqualTo(2);
  }

  @Test
  void resumingAtAStepEqualsContinuing() {
    TrainingBatches original = TrainingBatches.create(1000, 64, 123L);
    int[] uninterrupted = concat(original, 0, 100);

    TrainingBatches resumed = TrainingBatches.create(1000, 64, 123L);
    int[] tail = concat(resumed, 57, 100);

    assertThat(tail).isEqualTo(Arrays.copyOfRange(uninterrupted, 57 * 64, 100 * 64));
    // Out of order access (random access to far steps) gives the same answers.
    assertThat(TrainingBatches.create(1000, 64, 123L).batch(99)).isEqualTo(original.batch(99));
  }

  @Test
  void epochArithmetic() {
    TrainingBatches batches = TrainingBatches.create(1000, 256, 0L);
    assertThat(batches.epochOf(0)).isZero();
    assertThat(batches.epochOf(3)).isZero(); // positions 768..1023 start in epoch 0
    assertThat(batches.epochOf(4)).isEqualTo(1);
    assertThat(batches.epochsBefore(4)).isEqualTo(1.024);
    assertThat(batches.stepsForEpochs(400)).isEqualTo(1563); // ceil(400000 / 256)
    assertThat(batches.stepsForEpochs(40)).isEqualTo(157); // ceil(40000 / 256)
    assertThat(TrainingBatches.create(1024, 256, 0L).stepsForEpochs(3)).isEqualTo(12);
    assertThat(batches.stepsForEpochs(0)).isZero();
    assertThat(batches.stepsForEpochs(0.1)).isEqualTo(1);
  }

  @Test
  void perItemRandomnessDependsOnlyOnStepItemAndPurpose() {
    TrainingBatches batches = TrainingBatches.create(100, 8, 5L);
    SplittableRandom a = batches.randomFor(12, 3, "crop");
    SplittableRandom b = TrainingBatches.create(100, 8, 5L).randomFor(12, 3, "crop");
    assertThat(a.nextLong()).isEqualTo(b.nextLong());
    long crop = batches.randomFor(12, 3, "crop").nextLong();
    assertThat(batches.randomFor(12, 3, "visible").nextLong()).isNotEqualTo(crop);
    assertThat(batches.randomFor(12, 4, "crop").nextLong()).isNotEqualTo(crop);
    assertThat(batches.randomFor(13, 3, "crop").nextLong()).isNotEqualTo(crop);
    assertThat(crop).isEqualTo(Seeds.random(5L, "crop", 12, 3).nextLong());
    assertThatThrownBy(() -> batches.randomFor(0, 8, "crop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8");
    assertThatThrownBy(() -> batches.randomFor(-1, 0, "crop"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> TrainingBatches.create(0, 1, 0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("datasetSize");
    assertThatThrownBy(() -> TrainingBatches.create(1, 0, 0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
    TrainingBatches batches = TrainingBatches.create(4, 2, 0L);
    assertThatThrownBy(() -> batches.batch(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> batches.stepsForEpochs(-1))
        .isInstanceOf(IllegalArgumentException.class);
    int[] perm = batches.permutation(0);
    perm[0] = 99; // a copy: the batches are unaffected
    assertThat(batches.batch(0)).doesNotContain(99);
  }
}
