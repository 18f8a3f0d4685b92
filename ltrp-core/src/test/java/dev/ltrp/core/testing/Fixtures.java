package dev.ltrp.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the committed test fixtures (written by the scripts under {@code scripts/}). */
public final class Fixtures {

  private Fixtures() {}

  /** The file of classpath resource {@code name} (e.g. {@code "fixtures/tiny-mae/mae.pth"}). */
  public static Path path(String name) {
    URL url = Fixtures.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A raw little-endian float32 file, as numpy's {@code astype('<f4').tofile} writes it. */
  public static float[] readF32(String name) {
    try (InputStream in = Files.newInputStream(path(name))) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length % 4 != 0) {
        throw new IllegalStateException(name + " is not a float32 file");
      }
      float[] out = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of a resource. */
  public static String readString(String name) {
    try {
      return Files.readString(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
