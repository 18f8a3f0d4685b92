package dev.ltrp.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.CheckpointFormatException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a model file came from, stored in its safetensors {@code __metadata__} beside the
 * architecture: the ltrp version and git commit that wrote it, when (UTC, to the second), and, for
 * a trained model, the steps done and the training run's settings (the JSON the trainers check on
 * resume: architecture, data size and {@code image_names_hash}, schedule, seed, ...).
 *
 * <p>Every field is optional: files written before provenance existed, or by other tools, have
 * none, and {@link #fromMetadata} shows them as absent. {@link MaeWeights#save} and {@link
 * RankerWeights#save} write the provenance their weights carry ({@code withProvenance}) stamped
 * with the writer ({@link #withWrittenNow()}).
 *
 * <pre>{@code
 * MaeWeights trained = result.weights()
 *     .withProvenance(ModelProvenance.training(steps, settingsJson));
 * trained.save(Path.of("mae.safetensors"), DType.F32); // + version, commit, written_utc
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelProvenance {

  /** Metadata key: the ltrp version that wrote the file, such as {@code 0.2.0}. */
  public static final String VERSION_KEY = "ltrp.provenance.version";

  /** Metadata key: the git commit ltrp was built from, or {@code unknown}. */
  public static final String COMMIT_KEY = "ltrp.provenance.commit";

  /** Metadata key: when the file was written, ISO-8601 UTC to the second. */
  public static final String WRITTEN_KEY = "ltrp.provenance.written_utc";

  /** Metadata key: the training steps done (optimizer updates), a non-negative integer. */
  public static final String STEPS_KEY = "ltrp.provenance.training_steps";

  /** Metadata key: the training run's settings, a JSON object. */
  public static final String SETTINGS_KEY = "ltrp.provenance.training_settings";

  private static final ModelProvenance NONE = new ModelProvenance(null, null, null, null, null);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Longest value quoted in a message. */
  private static final int QUOTE = 80;

  private final String version;
  private final String commit;
  private final Instant writtenAt;
  private final Long trainingSteps;
  private final String trainingSettings;

  private ModelProvenance(
      String version,
      String commit,
      Instant writtenAt,
      Long trainingSteps,
      String trainingSettings) {
    this.version = version;
    this.commit = commit;
    this.writtenAt = writtenAt;
    this.trainingSteps = trainingSteps;
    this.trainingSettings = trainingSettings;
  }

  /** No provenance: every field absent. */
  public static ModelProvenance none() {
    return NONE;
  }

  /**
   * The provenance of a trained model: {@code steps} steps done under {@code settingsJson}.
   *
   * @param steps training steps done, at least 0
   * @param settingsJson the run's settings as a JSON object (the trainers' {@code settingsJson()})
   * @throws IllegalArgumentException if {@code steps} is negative or the settings are not a JSON
   *     object
   */
  public static ModelProvenance training(long steps, String settingsJson) {
    if (steps < 0) {
      throw new IllegalArgumentException("training steps must be at least 0, got " + steps);
    }
    if (!isJsonObject(Objects.requireNonNull(settingsJson, "settingsJson"))) {
      throw new IllegalArgumentException(
          "training settings must be a JSON object, got " + quote(settingsJson));
    }
    return new ModelProvenance(null, null, null, steps, settingsJson);
  }

  /**
   * The provenance stored in a checkpoint's metadata; keys this class does not own are ignored and
   * missing ones are absent fields.
   *
   * @throws CheckpointFormatException naming the key and value if a present field is malformed (a
   *     date that is not ISO-8601 UTC, steps that are not a non-negative integer, settings that are
   *     not a JSON object)
   */
  public static ModelProvenance fromMetadata(Map<String, String> metadata)
      throws CheckpointFormatException {
    Objects.requireNonNull(metadata, "metadata");
    Instant written = null;
    String w = metadata.get(WRITTEN_KEY);
    if (w != null) {
      try {
        written = Instant.parse(w);
      } catch (DateTimeParseException e) {
        throw malformed(WRITTEN_KEY, w, "an ISO-8601 UTC time such as 2025-01-31T12:00:00Z");
      }
    }
    Long steps = null;
    String s = metadata.get(STEPS_KEY);
    if (s != null) {
      try {
        steps = Long.parseLong(s);
      } catch (NumberFormatException e) {
        steps = -1L;
      }
      if (steps < 0) {
        throw malformed(STEPS_KEY, s, "a non-negative integer");
      }
    }
    String settings = metadata.get(SETTINGS_KEY);
    if (settings != null && !isJsonObject(settings)) {
      throw malformed(SETTINGS_KEY, settings, "a JSON object");
    }
    return new ModelProvenance(
        metadata.get(VERSION_KEY), metadata.get(COMMIT_KEY), written, steps, settings);
  }

  /**
   * This provenance with the writer's fields replaced.
   *
   * @param version the ltrp version, or null for none
   * @param commit the git commit, or null for none
   * @param writtenAt when the file was written, or null for none; kept to the second
   */
  public ModelProvenance withWriter(String version, String commit, Instant writtenAt) {
    return new ModelProvenance(
        version,
        commit,
        writtenAt == null ? null : writtenAt.truncatedTo(ChronoUnit.SECONDS),
        trainingSteps,
        trainingSettings);
  }

  /**
   * This provenance stamped with this library's version and commit (from its build) and the current
   * time, as a file written now; the training fields are kept.
   */
  public ModelProvenance withWrittenNow() {
    return withWriter(
        BuildInfo.version().orElse(null), BuildInfo.commit().orElse(null), Instant.now());
  }

  /** The fields that are present, under the {@code *_KEY} names, in a fixed order. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    if (version != null) {
      m.put(VERSION_KEY, version);
    }
    if (commit != null) {
      m.put(COMMIT_KEY, commit);
    }
    if (writtenAt != null) {
      m.put(WRITTEN_KEY, writtenAt.toString());
    }
    if (trainingSteps != null) {
      m.put(STEPS_KEY, Long.toString(trainingSteps));
    }
    if (trainingSettings != null) {
      m.put(SETTINGS_KEY, trainingSettings);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The ltrp version that wrote the file. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** The git commit ltrp was built from ({@code unknown} when its build could not tell). */
  public Optional<String> commit() {
    return Optional.ofNullable(commit);
  }

  /** When the file was written (UTC, whole seconds). */
  public Optional<Instant> writtenAt() {
    return Optional.ofNullable(writtenAt);
  }

  /** The training steps done. */
  public OptionalLong trainingSteps() {
    return trainingSteps == null ? OptionalLong.empty() : OptionalLong.of(trainingSteps);
  }

  /** The training run's settings, a JSON object. */
  public Optional<String> trainingSettings() {
    return Optional.ofNullable(trainingSettings);
  }

  /** Whether every field is absent. */
  public boolean isEmpty() {
    return toMetadata().isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelProvenance other && toMetadata().equals(other.toMetadata());
  }

  @Override
  public int hashCode() {
    return toMetadata().hashCode();
  }

  @Override
  public String toString() {
    return "ModelProvenance" + toMetadata();
  }

  private static boolean isJsonObject(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject();
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static CheckpointFormatException malformed(String key, String value, String expected) {
    return new CheckpointFormatException(
        "safetensors __metadata__ entry " + key + " is " + quote(value) + ", expected " + expected);
  }

  private static String quote(String value) {
    return "\"" + (value.length() > QUOTE ? value.substring(0, QUOTE) + "…" : value) + "\"";
  }
}
