package dev.ltrp.eval.data;

import dev.ltrp.core.image.BicubicResampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a labeled folder, one subfolder per class (classes numbered in the subfolders' name order),
 * into grayscale bytes of {@code side × side} pixels: each image is resized on its shorter side and
 * center-cropped, then converted to luma (0.299 R + 0.587 G + 0.114 B), the single channel the
 * evaluation's models take. Files {@code javax.imageio} cannot read are refused, naming the file.
 */
final class LabeledFolder {

  /** The images of a folder, in class then file-name order. */
  record Contents(byte[] pixels, int[] labels, List<String> names, List<String> classes) {}

  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  private LabeledFolder() {}

  static Contents read(Path dir, int side) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("folder:" + dir + " is not a directory");
    }
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(dir)) {
      classDirs = s.filter(Files::isDirectory).sorted().toList();
    }
    if (classDirs.size() < 2) {
      throw new IllegalArgumentException(
          "folder:"
              + dir
              + " holds "
              + classDirs.size()
              + " class subfolder(s); at least 2 are needed (one subfolder of images per class)");
    }
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classDirs.size(); c++) {
      List<Path> files;
      try (Stream<Path> s = Files.list(classDirs.get(c))) {
        files = s.filter(Files::isRegularFile).filter(LabeledFolder::isImage).sorted().toList();
      }
      for (Path f : files) {
        images.add(gray(f, side));
        labels.add(c);
        names.add(dir.relativize(f).toString());
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException(
          "folder:" + dir + " has no image files (" + EXTENSIONS + ") in its class subfolders");
    }
    byte[] pixels = new byte[images.size() * side * side];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, pixels, i * side * side, side * side);
    }
    return new Contents(
        pixels,
        labels.stream().mapToInt(Integer::intValue).toArray(),
        names,
        classDirs.stream().map(p -> p.getFileName().toString()).toList());
  }

  private static boolean isImage(Path f) {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static byte[] gray(Path file, int side) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IllegalArgumentException(file + " is not an image javax.imageio can read");
    }
    int shorter = Math.min(image.getWidth(), image.getHeight());
    int w = Math.max(side, Math.round(image.getWidth() * (float) side / shorter));
    int h = Math.max(side, Math.round(image.getHeight() * (float) side / shorter));
    BufferedImage resized = BicubicResampler.resize(image, w, h);
    int x0 = (w - side) / 2;
    int y0 = (h - side) / 2;
    byte[] out = new byte[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int rgb = resized.getRGB(x0 + x, y0 + y);
        double luma =
            0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
        out[y * side + x] = (byte) Math.min(255, Math.round(luma));
      }
    }
    return out;
  }
}
