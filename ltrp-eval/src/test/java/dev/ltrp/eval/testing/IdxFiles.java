package dev.ltrp.eval.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: synthetic labeled images whose class is where a blob is. */
public final class IdxFiles {

  private IdxFiles() {}

  /**
   * Writes an unsigned-byte IDX file with {@code dims}, gzip-compressed when the name ends in .gz.
   */
  public static void write(Path file, int[] dims, byte[] data) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream maybeGz = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
        DataOutputStream out = new DataOutputStream(maybeGz)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
  }

  /**
   * Writes {@code count} {@code side}×{@code side} images to {@code images} and their labels
   * (0…classes−1) to {@code labels}: each image is faint noise with a bright square in one of
   * {@code classes} positions along the diagonal, its label.
   */
  public static void writeBlobs(
      Path images, Path labels, int count, int side, int classes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[count * side * side];
    byte[] ys = new byte[count];
    int blob = Math.max(2, side / (classes + 1));
    for (int i = 0; i < count; i++) {
      int label = random.nextInt(classes);
      ys[i] = (byte) label;
      int at = label * (side - blob) / Math.max(1, classes - 1);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          boolean inBlob = y >= at && y < at + blob && x >= at && x < at + blob;
          pixels[i * side * side + y * side + x] =
              (byte) (inBlob ? 200 + random.nextInt(50) : random.nextInt(30));
        }
      }
    }
    write(images, new int[] {count, side, side}, pixels);
    write(labels, new int[] {count}, ys);
  }
}
