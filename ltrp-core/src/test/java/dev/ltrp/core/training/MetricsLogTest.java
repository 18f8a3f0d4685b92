package dev.ltrp.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

  @TempDir Path dir;

  private static Map<String, Object> record(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  void roundTrip() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(record("step", 1, "loss", 2.5, "lr", 1.5e-4, "phase", "warmup"));
      log.append(
          record(
              "step",
              2L,
              "ok",
              true,
              "note",
              null,
              "k",
              List.of(1, 2),
              "nested",
              Map.of("a", 0.5)));
      log.append(Map.of("text", "line\nbreak \"quoted\""));
    }

    List<Map<String, Object>> records = MetricsLog.read(file);

    assertThat(records).hasSize(3);
    assertThat(records.get(0))
        .containsExactly(
            Map.entry("step", 1L),
            Map.entry("loss", 2.5),
            Map.entry("lr", 1.5e-4),
            Map.entry("phase", "warmup"));
    assertThat(records.get(1))
        .containsEntry("step", 2L)
        .containsEntry("ok", true)
        .containsEntry("note", null)
        .containsEntry("k", List.of(1L, 2L))
        .containsEntry("nested", Map.of("a", 0.5));
    assertThat(records.get(2)).containsEntry("text", "line\nbreak \"quoted\"");
    assertThat(Files.readAllLines(file)).hasSize(3);
    assertThatThrownBy(() -> records.get(0).put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void reopeningAppends() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("step", 1));
    }
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("step", 2));
    }
    assertThat(MetricsLog.read(file)).extracting(r -> r.get("step")).containsExactly(1L, 2L);
  }

  @Test
  void aTruncatedTrailingLineIsIgnoredThenCutAway() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("step", 1));
      log.append(Map.of("step", 2));
    }
    // A crash while writing the third record.
    Files.writeString(file, "{\"step\": 3, \"lo", StandardOpenOption.APPEND);

    assertThat(MetricsLog.read(file)).hasSize(2);

    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("step", 3));
    }
    assertThat(MetricsLog.read(file)).extracting(r -> r.get("step")).containsExactly(1L, 2L, 3L);
    assertThat(Files.readString(file)).isEqualTo("{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n");
  }

  @Test
  void aFileWithOnlyAPartialLineBecomesEmpty() throws IOException {
    Path file = dir.resolve("m.jsonl");
    byte[] partial = new byte[20_000]; // longer than one search chunk
    Arrays.fill(partial, (byte) 'x');
    Files.write(file, partial);
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("a", 1));
    }
    assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n");
  }

  @Test
  void nonFiniteNumbersAreWrittenAsStringsAndBareTokensAreRead() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(record("loss", Double.NaN, "grad", Double.POSITIVE_INFINITY));
    }
    assertThat(Files.readString(file)).isEqualTo("{\"loss\":\"NaN\",\"grad\":\"Infinity\"}\n");
    Files.writeString(file, "{\"loss\": NaN}\r\n\n", StandardOpenOption.APPEND);
    List<Map<String, Object>> records = MetricsLog.read(file);
    assertThat(records).hasSize(2);
    assertThat((Double) records.get(1).get("loss")).isNaN();
  }

  @Test
  void malformedCompleteLinesAreErrorsNamingTheLine() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"a\":1}\n{\"a\":\n");
    assertThatThrownBy(() -> MetricsLog.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2");
    Files.writeString(file, "{\"a\":1}\n[1, 2]\n");
    assertThatThrownBy(() -> MetricsLog.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("not a JSON object");
    Files.writeString(file, "{\"a\":1} {\"b\":2}\n");
    assertThatThrownBy(() -> MetricsLog.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> MetricsLog.read(dir.resolve("missing.jsonl")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void resumeDropsRecordsOfStepsToBeRedone() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.append(Map.of("event", "start"));
      for (int step = 1; step <= 5; step++) {
        log.append(record("step", step, "loss", 1.0 / step));
      }
      log.append(record("step", "n/a"));
    }
    Files.writeString(file, "{\"step\": 6", StandardOpenOption.APPEND);

    try (MetricsLog log = MetricsLog.resume(file, "step", 3)) {
      log.append(record("step", 4, "loss", 0.2));
    }

    List<Map<String, Object>> records = MetricsLog.read(file);
    assertThat(records).extracting(r -> r.get("step")).containsExactly(null, 1L, 2L, 3L, "n/a", 4L);
    assertThat(records.get(5)).containsEntry("loss", 0.2);
    assertThat(dir.toFile().list()).containsExactly("m.jsonl");

    MetricsLog.resume(dir.resolve("fresh.jsonl"), "step", 0).close();
    assertThat(dir.resolve("fresh.jsonl")).exists().isEmptyFile();
  }

  @Test
  void closeIsIdempotentAndAppendAfterCloseFails() throws IOException {
    MetricsLog log = MetricsLog.open(dir.resolve("m.jsonl"));
    log.close();
    log.close();
    assertThatThrownBy(() -> log.append(Map.of("a", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void unserializableValuesAreCallerErrors() throws IOException {
    try (MetricsLog log = MetricsLog.open(dir.resolve("m.jsonl"))) {
      assertThatThrownBy(() -> log.append(Map.of("x", new Object())))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void concurrentAppendsNeverInterleave() throws Exception {
    Path file = dir.resolve("m.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (MetricsLog log = MetricsLog.open(file)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    try {
                      log.append(record("thread", thread, "i", i, "pad", "x".repeat(i)));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<Map<String, Object>> records = MetricsLog.read(file);
    assertThat(records).hasSize(800);
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).endsWith("}\n");
  }
}
