package dev.ltrp.eval.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScoreFile}: maps written atomically and read back value for value. */
class ScoreFileTest {

  private static final PatchGrid GRID = PatchGrid.of(8, 4); // 2 × 2 patches

  @TempDir Path dir;

  @Test
  void writesAtomicallyAndReadsBack() throws IOException {
    Path file = dir.resolve("ranker.scores");
    List<PatchScores> first =
        List.of(
            PatchScores.dense(GRID, new float[] {1, 2, 3, 4}),
            PatchScores.dense(GRID, new float[] {-0.5f, 0, 0.25f, Float.MAX_VALUE}));
    ScoreFile.write(file, first);
    List<PatchScores> second = List.of(PatchScores.dense(GRID, new float[] {9, 8, 7, 6}));
    ScoreFile.write(file, second); // replaces the first

    assertThat(Files.size(file)).isEqualTo(8 + 4 * 4);
    assertThat(ScoreFile.patchCount(file)).isEqualTo(4);
    List<PatchScores> read = ScoreFile.read(file, GRID);
    assertThat(read).hasSize(1);
    for (int p = 0; p < 4; p++) {
      assertThat(read.get(0).scoreOf(p)).isEqualTo(second.get(0).scoreOf(p));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aFailedWriteLeavesThePreviousFile() throws IOException {
    Path file = dir.resolve("ranker.scores");
    ScoreFile.write(file, List.of(PatchScores.dense(GRID, new float[] {1, 2, 3, 4})));
    byte[] before = Files.readAllBytes(file);
    // A map on another grid makes the writer fail halfway (scoreOf beyond its patches).
    List<PatchScores> broken =
        List.of(
            PatchScores.dense(GRID, new float[] {1, 2, 3, 4}),
            PatchScores.dense(PatchGrid.of(4, 4), new float[] {1}));

    assertThatThrownBy(() -> ScoreFile.write(file, broken)).isInstanceOf(RuntimeException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
