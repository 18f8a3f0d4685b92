package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The committed checkpoint fixtures (written by {@code scripts/make_checkpoint_fixtures.py}) and
 * helpers to build malformed files in tests.
 */
final class CheckpointFixtures {

  /** How long any single read of a hostile or malformed file may take. */
  static final Duration LIMIT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode expected;

  private CheckpointFixtures() {}

  /** A tensor as the fixture script recorded it. */
  record Expected(int[] shape, DType dtype, float[] values, float[] sourceValues) {}

  static Path path(String name) {
    URL url = CheckpointFixtures.class.getClassLoader().getResource("checkpoints/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no checkpoint fixture " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized JsonNode json(String name) {
    try {
      return JSON.readTree(path(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The expected tensors of fixture {@code file}, in the order the script wrote them. */
  static synchronized Map<String, Expected> expected(String file) {
    if (expected == null) {
      expected = json("expected.json");
    }
    JsonNode tensors = expected.get(file);
    assertThat(tensors).as("expected.json entry for %s", file).isNotNull();
    Map<String, Expected> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : tensors.properties()) {
      JsonNode t = e.getValue();
      int[] shape = new int[t.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.get("shape").get(i).intValue();
      }
      out.put(
          e.getKey(),
          new Expected(
              shape,
              DType.valueOf(t.get("dtype").textValue()),
              floats(t.get("bits")),
              t.has("source_bits") ? floats(t.get("source_bits")) : null));
    }
    return out;
  }

  private static float[] floats(JsonNode bits) {
    float[] out = new float[bits.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat((int) bits.get(i).longValue());
    }
    return out;
  }

  /** Asserts that {@code actual} holds exactly the expected tensors, bit for bit, in order. */
  static void assertMatchesExpected(StateDict actual, String file) {
    Map<String, Expected> expected = expected(file);
    assertThat(actual.names())
        .as("%s: names in order", file)
        .containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (name, e) -> {
          Tensor t = actual.find(name).orElseThrow();
          assertThat(t.shape()).as("%s: shape of %s", file, name).isEqualTo(e.shape());
          assertThat(t.sourceDType()).as("%s: dtype of %s", file, name).isEqualTo(e.dtype());
          assertBitsEqual(file + ": " + name, t.toArray(), e.values());
        });
  }

  static void assertBitsEqual(String what, float[] actual, float[] expected) {
    assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
        throw new AssertionError(
            String.format(
                "%s: element %d is %s (0x%08x), expected %s (0x%08x)",
                what,
                i,
                actual[i],
                Float.floatToRawIntBits(actual[i]),
                expected[i],
                Float.floatToRawIntBits(expected[i])));
      }
    }
  }

  /** Runs {@code call} with the {@link #LIMIT} and returns what it threw (or null). */
  static Throwable thrownWithin(ThrowingCallable call) {
    return assertTimeoutPreemptively(
        LIMIT,
        () -> {
          try {
            call.call();
            return null;
          } catch (Throwable t) {
            return t;
          }
        });
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  /** A zip archive of stored (uncompressed) entries, as PyTorch writes them. */
  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A safetensors file with the given header text (unpadded) and data section. */
  static byte[] safetensors(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h).put(data);
    return buf.array();
  }

  static byte[] f32le(float... values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return buf.array();
  }

  static byte[] concat(byte[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    ByteBuffer buf = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      buf.put(p);
    }
    return buf.array();
  }
}
