package dev.ltrp.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.core.checkpoint.CheckpointFormatException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ModelProvenance}: the fields, their metadata form, and files that lack them. */
class ModelProvenanceTest {

  private static final String SETTINGS = "{\"steps\":1200,\"image_names_hash\":-42}";

  @Test
  void noneHasEveryFieldAbsent() {
    ModelProvenance none = ModelProvenance.none();
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.toMetadata()).isEmpty();
    assertThat(none.version()).isEmpty();
    assertThat(none.commit()).isEmpty();
    assertThat(none.writtenAt()).isEmpty();
    assertThat(none.trainingSteps()).isEmpty();
    assertThat(none.trainingSettings()).isEmpty();
  }

  @Test
  void metadataRoundTripsEveryField() throws Exception {
    ModelProvenance p =
        ModelProvenance.training(1200, SETTINGS)
            .withWriter("0.2.0", "0123abcd", Instant.parse("2026-01-02T03:04:05.678Z"));

    assertThat(p.toMetadata())
        .containsExactly(
            Map.entry("ltrp.provenance.version", "0.2.0"),
            Map.entry("ltrp.provenance.commit", "0123abcd"),
            Map.entry("ltrp.provenance.written_utc", "2026-01-02T03:04:05Z"),
            Map.entry("ltrp.provenance.training_steps", "1200"),
            Map.entry("ltrp.provenance.training_settings", SETTINGS));
    ModelProvenance back = ModelProvenance.fromMetadata(p.toMetadata());
    assertThat(back).isEqualTo(p);
    assertThat(back.writtenAt()).hasValue(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(back.trainingSteps()).hasValue(1200);
    assertThat(back.trainingSettings()).hasValue(SETTINGS);
  }

  @Test
  void metadataOfAnOlderFileGivesAbsentFieldsNotAnError() throws Exception {
    Map<String, String> before = Map.of("format", "pt", "ltrp.ranker.config", "{}");
    assertThat(ModelProvenance.fromMetadata(before)).isEqualTo(ModelProvenance.none());

    ModelProvenance partial =
        ModelProvenance.fromMetadata(Map.of("ltrp.provenance.version", "0.1.0"));
    assertThat(partial.version()).hasValue("0.1.0");
    assertThat(partial.commit()).isEmpty();
    assertThat(partial.writtenAt()).isEmpty();
    assertThat(partial.trainingSteps()).isEmpty();
    assertThat(partial.isEmpty()).isFalse();
  }

  @Test
  void malformedEntriesNameTheKeyAndTheValue() {
    assertThatThrownBy(
            () -> ModelProvenance.fromMetadata(Map.of("ltrp.provenance.written_utc", "yesterday")))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage(
            "safetensors __metadata__ entry ltrp.provenance.written_utc is \"yesterday\","
                + " expected an ISO-8601 UTC time such as 2025-01-31T12:00:00Z");
    for (String steps : new String[] {"-3", "many", "1.5", ""}) {
      assertThatThrownBy(
              () -> ModelProvenance.fromMetadata(Map.of("ltrp.provenance.training_steps", steps)))
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessage(
              "safetensors __metadata__ entry ltrp.provenance.training_steps is \""
                  + steps
                  + "\", expected a non-negative integer");
    }
    for (String settings : new String[] {"[1, 2]", "{", "{} {}", "\"text\""}) {
      assertThatThrownBy(
              () ->
                  ModelProvenance.fromMetadata(
                      Map.of("ltrp.provenance.training_settings", settings)))
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining(
              "training_settings is \"" + settings + "\", expected a JSON object");
    }
    String longValue = "x".repeat(500);
    assertThatThrownBy(
            () ->
                ModelProvenance.fromMetadata(
                    Map.of("ltrp.provenance.training_settings", longValue)))
        .hasMessageContaining("\"" + "x".repeat(80) + "…\"");
  }

  @Test
  void trainingProvenanceIsChecked() {
    assertThatThrownBy(() -> ModelProvenance.training(-1, SETTINGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("training steps must be at least 0, got -1");
    assertThatThrownBy(() -> ModelProvenance.training(5, "steps=5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("training settings must be a JSON object, got \"steps=5\"");
  }

  @Test
  void writtenNowStampsThisBuildAndTheTimeAndKeepsTheTraining() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ModelProvenance p = ModelProvenance.training(3, SETTINGS).withWrittenNow();
    Instant after = Instant.now();

    // The build fills these in (ltrp-core/pom.xml): the project version and the commit.
    assertThat(p.version()).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+.*"));
    assertThat(p.commit()).hasValueSatisfying(c -> assertThat(c).matches("[0-9a-f]{40}|unknown"));
    assertThat(p.writtenAt()).hasValueSatisfying(t -> assertThat(t).isBetween(before, after));
    assertThat(p.writtenAt().orElseThrow().getNano()).isZero();
    assertThat(p.trainingSteps()).hasValue(3);
    assertThat(p.trainingSettings()).hasValue(SETTINGS);
  }
}
