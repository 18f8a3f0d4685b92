package dev.ltrp.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The version and git commit this library was built from, as the build wrote them into {@code
 * build.properties} beside this class (ltrp-core/pom.xml). The commit is {@code unknown} when the
 * build ran without git or outside a clone; both are absent when the classes were compiled without
 * Maven's resource processing (some IDEs). Read once; thread-safe.
 */
final class BuildInfo {

  private static final Properties PROPERTIES = load();

  private BuildInfo() {}

  /** The project version, such as {@code 0.2.0} or {@code 0.2.0-SNAPSHOT}. */
  static Optional<String> version() {
    return value("version");
  }

  /** The full hash of the commit built, or {@code unknown}. */
  static Optional<String> commit() {
    return value("commit");
  }

  private static Optional<String> value(String key) {
    String v = PROPERTIES.getProperty(key, "").strip();
    // An unfiltered placeholder means the build did not fill the file in.
    return v.isEmpty() || v.contains("${") ? Optional.empty() : Optional.of(v);
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ltrp-core's build.properties", e);
    }
    return p;
  }
}
