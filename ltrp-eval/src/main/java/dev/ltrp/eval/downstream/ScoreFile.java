package dev.ltrp.eval.downstream;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Dense score maps of many images in one file (a header {@code count, patches}, then {@code count ×
 * patches} big-endian floats), so an expensive ranker's maps are computed once per data split.
 * Written atomically; a file of the wrong size is recomputed.
 */
public final class ScoreFile {

  private ScoreFile() {}

  /**
   * Reads a whole file as maps on {@code grid}.
   *
   * @throws IOException if the file is not a score file of {@code grid}'s patch count
   */
  public static List<PatchScores> read(Path file, PatchGrid grid) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int count = in.readInt();
      int n = in.readInt();
      if (count < 0 || n != grid.numPatches() || Files.size(file) != 8L + 4L * count * n) {
        throw new IOException(
            file
                + " is not a score file of "
                + grid.numPatches()
                + "-patch maps: its header says "
                + count
                + " maps of "
                + n
                + " patches and it has "
                + Files.size(file)
                + " bytes");
      }
      List<PatchScores> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        float[] scores = new float[n];
        for (int p = 0; p < n; p++) {
          scores[p] = in.readFloat();
        }
        out.add(PatchScores.dense(grid, scores));
      }
      return out;
    }
  }

  /** The patch count of every map in {@code file}, from its header. */
  public static int patchCount(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      in.readInt();
      return in.readInt();
    }
  }

  /** Writes {@code maps} (dense, of one grid) atomically ({@link AtomicFiles}). */
  public static void write(Path file, List<PatchScores> maps) throws IOException {
    int n = maps.isEmpty() ? 0 : maps.get(0).grid().numPatches();
    AtomicFiles.write(
        file,
        stream -> {
          DataOutputStream out = new DataOutputStream(stream);
          out.writeInt(maps.size());
          out.writeInt(n);
          for (PatchScores s : maps) {
            for (int p = 0; p < n; p++) {
              out.writeFloat(s.scoreOf(p));
            }
          }
          out.flush();
        });
  }

  /** The maps of {@code file} on {@code grid}, or {@code compute}'s, then stored there. */
  static List<PatchScores> readOrCompute(
      Path file, PatchGrid grid, int count, Supplier<List<PatchScores>> compute)
      throws IOException {
    if (Files.exists(file) && Files.size(file) == 8L + 4L * count * grid.numPatches()) {
      return read(file, grid);
    }
    List<PatchScores> computed = compute.get();
    write(file, computed);
    return computed;
  }
}
