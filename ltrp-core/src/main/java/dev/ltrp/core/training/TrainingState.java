package dev.ltrp.core.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltrp.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a training run stands, saved beside each checkpoint so that a resumed run continues with
 * the same batches ({@link dev.ltrp.core.data.TrainingBatches} from {@code seed} and {@code step})
 * and learning rate ({@link CosineSchedule} at {@code step}).
 *
 * <p>JSON form (keys in this order; unknown keys are ignored when reading, for forward
 * compatibility):
 *
 * <pre>
 * {"step": 1200, "epoch": 2.4, "seed": 0, "totalSteps": 200000, "learningRate": 1.5E-4}
 * </pre>
 *
 * <pre>{@code
 * TrainingState state = new TrainingState(step, batches.epochsBefore(step), seed, totalSteps,
 *     schedule.lr(step));
 * state.write(runDir.resolve("state.json"));
 * TrainingState restored = TrainingState.read(runDir.resolve("state.json"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param step steps completed, which is the index of the next step to run; {@code ≥ 0}
 * @param epoch epochs completed, fractional ({@code step · batch / datasetSize}); finite, {@code ≥
 *     0}
 * @param seed the run's base seed
 * @param totalSteps steps of the whole run; positive
 * @param learningRate the learning rate of the last step run (or of {@code step}); finite, {@code ≥
 *     0}
 */
public record TrainingState(
    long step, double epoch, long seed, long totalSteps, double learningRate) {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** Validates the values. */
  public TrainingState {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, got " + step);
    }
    if (!(epoch >= 0 && epoch < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epoch must be finite and >= 0, got " + epoch);
    }
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("totalSteps must be positive, got " + totalSteps);
    }
    if (!(learningRate >= 0 && learningRate < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "learningRate must be finite and >= 0, got " + learningRate);
    }
  }

  /** Whether the run has done all its steps ({@code step ≥ totalSteps}). */
  public boolean isComplete() {
    return step >= totalSteps;
  }

  /** The JSON form (indented, without a trailing newline). */
  public String toJson() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("step", step);
    node.put("epoch", epoch);
    node.put("seed", seed);
    node.put("totalSteps", totalSteps);
    node.put("learningRate", learningRate);
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e); // cannot happen
    }
  }

  /**
   * Parses the JSON form.
   *
   * @throws IOException if the text is not a JSON object, a key is missing or has the wrong type,
   *     or a value is out of range (the message names the key)
   */
  public static TrainingState fromJson(String json) throws IOException {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IOException("training state is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IOException("training state must be a JSON object");
    }
    try {
      return new TrainingState(
          integer(node, "step"),
          number(node, "epoch"),
          integer(node, "seed"),
          integer(node, "totalSteps"),
          number(node, "learningRate"));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid training state: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the JSON form to {@code file} atomically ({@link AtomicFiles}), with a final newline.
   */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, toJson() + "\n");
  }

  /**
   * Reads a file written by {@link #write(Path)}.
   *
   * @throws IOException if the file cannot be read or is not a valid training state (the message
   *     names the file)
   */
  public static TrainingState read(Path file) throws IOException {
    String text = Files.readString(Objects.requireNonNull(file, "file"), StandardCharsets.UTF_8);
    try {
      return fromJson(text);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode field(JsonNode node, String key) throws IOException {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new IOException("training state has no \"" + key + "\"");
    }
    return value;
  }

  private static long integer(JsonNode node, String key) throws IOException {
    JsonNode value = field(node, key);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IOException(
          "training state \"" + key + "\" must be a 64-bit integer, got " + value);
    }
    return value.longValue();
  }

  private static double number(JsonNode node, String key) throws IOException {
    JsonNode value = field(node, key);
    if (!value.isNumber()) {
      throw new IOException("training state \"" + key + "\" must be a number, got " + value);
    }
    return value.doubleValue();
  }
}
