package dev.ltrp.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * Models shipped inside a jar, loaded from the class path as streams ({@link
 * MaeWeights#load(InputStream, String, MaeConfig)}): no temporary file, and the architecture comes
 * from the file's metadata. The weights' {@code source()} is the resource's file name.
 *
 * <pre>{@code
 * RankerWeights ranker = ModelResources.ranker(MyApp.class.getClassLoader(),
 *     "dev/ltrp/models/default/ranker.safetensors", "add the ltrp-models artifact");
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelResources {

  private ModelResources() {}

  /**
   * Loads the MAE stored as {@code resource} (a class-path name such as {@code
   * dev/ltrp/models/default/mae.safetensors}).
   *
   * @param hint what to do if the resource is missing, for the message ("add the ltrp-models
   *     artifact"); may be empty
   * @throws NoSuchFileException naming the resource if {@code loader} does not find it
   * @throws IOException if it cannot be read or is not a MAE checkpoint
   */
  public static MaeWeights mae(ClassLoader loader, String resource, String hint)
      throws IOException {
    try (InputStream in = open(loader, resource, hint)) {
      return MaeWeights.load(in, fileName(resource), null);
    }
  }

  /**
   * Loads the ranker stored as {@code resource}; see {@link #mae}.
   *
   * @throws NoSuchFileException naming the resource if {@code loader} does not find it
   * @throws IOException if it cannot be read or is not a ranker checkpoint
   */
  public static RankerWeights ranker(ClassLoader loader, String resource, String hint)
      throws IOException {
    try (InputStream in = open(loader, resource, hint)) {
      return RankerWeights.load(in, fileName(resource), null);
    }
  }

  private static InputStream open(ClassLoader loader, String resource, String hint)
      throws NoSuchFileException {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(hint, "hint");
    InputStream in = loader.getResourceAsStream(Objects.requireNonNull(resource, "resource"));
    if (in == null) {
      throw new NoSuchFileException(
          resource, null, "not on the class path" + (hint.isEmpty() ? "" : ": " + hint));
    }
    return in;
  }

  private static String fileName(String resource) {
    return resource.substring(resource.lastIndexOf('/') + 1);
  }
}
