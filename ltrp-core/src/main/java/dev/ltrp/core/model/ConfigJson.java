package dev.ltrp.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads and writes the small JSON files that describe model architectures. Every listed field is
 * required (Jackson would silently default a missing primitive) and unknown fields are rejected, so
 * that a misspelt name is an error rather than a different model.
 */
final class ConfigJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConfigJson() {}

  /**
   * Parses {@code text} (from {@code source}, for messages) into {@code type}.
   *
   * @param kind what the file describes, for messages ("MAE config")
   * @throws IOException naming the source and the offending field
   */
  static <T> T parse(String text, String source, Class<T> type, String kind, String... required)
      throws IOException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IOException(source + ": a " + kind + " must be a JSON object");
      }
      for (String field : required) {
        if (!node.has(field)) {
          throw new IOException(source + ": missing field '" + field + "' in " + kind);
        }
      }
      return JSON.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new IOException(source + ": unknown field '" + e.getPropertyName() + "' in " + kind, e);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new IOException(source + ": invalid " + kind + ": " + cause.getMessage(), e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads {@code file} into {@code type}; see {@link #parse}. */
  static <T> T read(Path file, Class<T> type, String kind, String... required) throws IOException {
    return parse(Files.readString(file), file.toString(), type, kind, required);
  }

  /**
   * A configuration named by {@code spec}: read with {@code readJson} when {@code spec} names an
   * existing file or ends in {@code .json}, else the preset {@code preset} gives for the name.
   */
  static <T> T fromSpec(String spec, Reader<T> readJson, Function<String, T> preset)
      throws IOException {
    Path path = Path.of(spec);
    if (spec.endsWith(".json") || Files.isRegularFile(path)) {
      return readJson.read(path);
    }
    return preset.apply(spec);
  }

  /** A configuration's {@code readJson(Path)}. */
  @FunctionalInterface
  interface Reader<T> {
    T read(Path file) throws IOException;
  }

  /** {@code value} as pretty-printed JSON. */
  static String write(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
