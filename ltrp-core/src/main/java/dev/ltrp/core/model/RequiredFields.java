package dev.ltrp.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** Checks that a JSON config object names every required field (Jackson defaults them silently). */
final class RequiredFields {

  private RequiredFields() {}

  static void check(JsonNode node, Path file, String... fields) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(file + ": a config must be a JSON object");
    }
    for (String field : fields) {
      if (!node.has(field)) {
        throw new IOException(file + ": missing field '" + field + "'");
      }
    }
  }
}
