package dev.ltrp.core.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ltrp.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training run's metrics as JSON lines: one JSON object per line, UTF-8, {@code '\n'}-terminated,
 * readable by {@code pandas.read_json(path, lines=True)} or {@code jq}.
 *
 * <p>Each {@link #append(Map)} serializes the record on one line and hands it to the operating
 * system in a single write before returning, so a crash of the JVM loses at most the line being
 * written (it is not {@code fsync}ed: a power loss may lose the last seconds). A line cut short by
 * a crash has no terminating {@code '\n'}; {@link #read(Path)} ignores it and {@link #open(Path)}
 * truncates it away before appending, so the file stays valid JSON lines. Non-finite doubles are
 * written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (strict JSON);
 * reading also accepts the bare tokens Python's {@code json} writes.
 *
 * <pre>{@code
 * try (MetricsLog log = MetricsLog.resume(runDir.resolve("metrics.jsonl"), "step", lastStep)) {
 *   log.append(Map.of("step", 120, "loss", 1.234, "lr", 1.5e-4));
 * }
 * }</pre>
 *
 * <p>Safe for concurrent calls (records never interleave); one writer per file. {@link #close()} is
 * idempotent; {@code append} after close throws {@link IllegalStateException}.
 */
public final class MetricsLog implements AutoCloseable {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Path file;
  private FileChannel channel;

  private MetricsLog(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Opens {@code file} for appending, creating it (not its folder) if missing; an unterminated last
   * line left by a crash is truncated away first.
   *
   * @throws IOException if the file cannot be opened or repaired
   */
  public static MetricsLog open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    truncatePartialLine(file);
    return new MetricsLog(
        file,
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  /**
   * Opens {@code file} to continue a run restored from a checkpoint of step {@code lastStep}:
   * records whose {@code stepKey} is a number greater than {@code lastStep} (written after that
   * checkpoint, and about to be redone) are removed, as is an unterminated last line; records
   * without that key, or with a non-numeric value, are kept. The file is rewritten atomically
   * ({@link AtomicFiles}) only if something is removed.
   *
   * @throws IOException if the file cannot be read, has a malformed complete line, or cannot be
   *     rewritten
   */
  public static MetricsLog resume(Path file, String stepKey, long lastStep) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(stepKey, "stepKey");
    if (Files.exists(file)) {
      byte[] data = Files.readAllBytes(file);
      List<Line> lines = parse(data, file);
      List<Line> kept = new ArrayList<>(lines.size());
      for (Line line : lines) {
        Object step = line.record().get(stepKey);
        if (!(step instanceof Number n) || n.doubleValue() <= lastStep) {
          kept.add(line);
        }
      }
      if (kept.size() != lines.size()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        for (Line line : kept) {
          out.write(line.bytes());
          out.write('\n');
        }
        AtomicFiles.writeBytes(file, out.toByteArray());
      }
    }
    return open(file);
  }

  /**
   * Reads every complete record of a JSON-lines file, in order; blank lines and an unterminated
   * last line are skipped. Integers come back as {@link Long}, other numbers as {@link Double},
   * objects as maps and arrays as lists; the maps are unmodifiable and keep the file's key order.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if it cannot be read, or a complete line is not a JSON object (the message
   *     names the line number)
   */
  public static List<Map<String, Object>> read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    List<Line> lines = parse(Files.readAllBytes(file), file);
    List<Map<String, Object>> out = new ArrayList<>(lines.size());
    for (Line line : lines) {
      out.add(line.record());
    }
    return Collections.unmodifiableList(out);
  }

  /** The file this log appends to. */
  public Path file() {
    return file;
  }

  /**
   * Appends {@code record} as one JSON line and hands it to the operating system before returning.
   * Values may be numbers, strings, booleans, {@code null}, lists and maps (nested as needed).
   *
   * @throws IllegalArgumentException if a value cannot be serialized as JSON
   * @throws IllegalStateException if the log is closed
   * @throws IOException if the write fails
   */
  public synchronized void append(Map<String, ?> record) throws IOException {
    Objects.requireNonNull(record, "record");
    if (channel == null) {
      throw new IllegalStateException("metrics log " + file + " is closed");
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("record cannot be written as JSON: " + e.getMessage(), e);
    }
    ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Closes the file; idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      FileChannel c = channel;
      channel = null;
      c.close();
    }
  }

  @Override
  public String toString() {
    return "MetricsLog[" + file + "]";
  }

  /** Cuts the file after its last {@code '\n'} when it does not end with one. */
  private static void truncatePartialLine(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel c =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = c.size();
      if (size == 0 || lastByte(c, size) == '\n') {
        return;
      }
      ByteBuffer chunk = ByteBuffer.allocate(8192);
      long end = size;
      long keep = 0;
      search:
      while (end > 0) {
        long start = Math.max(0, end - chunk.capacity());
        chunk.clear().limit((int) (end - start));
        readFully(c, chunk, start);
        for (int i = chunk.limit() - 1; i >= 0; i--) {
          if (chunk.get(i) == '\n') {
            keep = start + i + 1;
            break search;
          }
        }
        end = start;
      }
      c.truncate(keep);
      c.force(true);
    }
  }

  private static byte lastByte(FileChannel c, long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    readFully(c, one, size - 1);
    return one.get(0);
  }

  private static void readFully(FileChannel c, ByteBuffer buffer, long position)
      throws IOException {
    long pos = position;
    while (buffer.hasRemaining()) {
      int n = c.read(buffer, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  /** The complete, non-blank lines of a JSON-lines file, each with its parsed record. */
  private static List<Line> parse(byte[] data, Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int lineNumber = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] != '\n') {
        continue;
      }
      lineNumber++;
      int end = i > start && data[i - 1] == '\r' ? i - 1 : i;
      byte[] bytes = Arrays.copyOfRange(data, start, end);
      start = i + 1;
      if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
        continue;
      }
      lines.add(new Line(bytes, parseRecord(bytes, file, lineNumber)));
    }
    return lines;
  }

  private static Map<String, Object> parseRecord(byte[] bytes, Path file, int lineNumber)
      throws IOException {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IOException(file + " line " + lineNumber + " is not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = MAPPER.treeToValue(node, LinkedHashMap.class);
      return Collections.unmodifiableMap(map);
    } catch (JsonProcessingException e) {
      throw new IOException(
          file + " line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private record Line(byte[] bytes, Map<String, Object> record) {}
}
