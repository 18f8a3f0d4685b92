package dev.ltrp.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link MaeWeights} and {@link RankerWeights} are saved and loaded: the architecture and the
 * provenance in the metadata, the architecture beside the file, loading from a stream and from the
 * class path ({@link ModelResources}).
 */
class SavedModelsTest {

  static final RankerConfig RANKER = new RankerConfig(32, 4, 3, 48, 2, 3, 4.0);
  static final MaeConfig MAE = MaeConfig.of(32, 4, 3, 48, 2, 3, 32, 1, 2, 4.0);
  static final String SETTINGS = "{\"steps\":7,\"image_names_hash\":12345,\"seed\":0}";

  @TempDir Path dir;

  @Test
  void aSavedRankerCarriesItsProvenance() throws IOException {
    Path file = dir.resolve("ranker.safetensors");
    RankerWeights trained =
        RankerWeights.random(RANKER, 1).withProvenance(ModelProvenance.training(7, SETTINGS));
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    trained.save(file);
    Instant after = Instant.now();

    Map<String, String> metadata = Checkpoints.load(file).metadata();
    assertThat(metadata)
        .containsEntry("format", "pt")
        .containsEntry(RankerWeights.CONFIG_KEY, RANKER.toJson())
        .containsEntry(ModelProvenance.STEPS_KEY, "7")
        .containsEntry(ModelProvenance.SETTINGS_KEY, SETTINGS)
        .containsKeys(
            ModelProvenance.VERSION_KEY, ModelProvenance.COMMIT_KEY, ModelProvenance.WRITTEN_KEY);
    // The JSON beside the file stays the architecture alone, a valid --ranker config file.
    assertThat(RankerConfig.readJson(RankerWeights.sidecar(file))).isEqualTo(RANKER);

    RankerWeights loaded = RankerWeights.load(file, null);
    ModelProvenance p = loaded.provenance();
    assertThat(p.trainingSteps()).hasValue(7);
    assertThat(p.trainingSettings()).hasValue(SETTINGS);
    assertThat(p.version()).isPresent();
    assertThat(p.writtenAt()).hasValueSatisfying(t -> assertThat(t).isBetween(before, after));
    assertThat(loaded.stateDict()).isEqualTo(trained.stateDict());
    assertThat(loaded.source()).isEqualTo("ranker.safetensors");
  }

  @Test
  void aSavedMaeCarriesItsProvenanceInAnyDtype() throws IOException {
    Path file = dir.resolve("mae.safetensors");
    MaeWeights.random(MAE, 2)
        .withProvenance(ModelProvenance.training(40, SETTINGS))
        .save(file, DType.BF16);

    MaeWeights loaded = MaeWeights.load(file, null);
    assertThat(loaded.config()).isEqualTo(MAE);
    assertThat(loaded.provenance().trainingSteps()).hasValue(40);
    assertThat(loaded.provenance().trainingSettings()).hasValue(SETTINGS);
    assertThat(loaded.provenance().commit()).isPresent();
  }

  @Test
  void untrainedWeightsRecordOnlyTheirWriter() throws IOException {
    RankerWeights fresh = RankerWeights.random(RANKER, 3);
    assertThat(fresh.provenance()).isEqualTo(ModelProvenance.none());
    Path file = dir.resolve("fresh.safetensors");
    fresh.save(file);

    ModelProvenance p = RankerWeights.load(file, null).provenance();
    assertThat(p.version()).isPresent();
    assertThat(p.writtenAt()).isPresent();
    assertThat(p.trainingSteps()).isEmpty();
    assertThat(p.trainingSettings()).isEmpty();
    // New tensor values are not the trained ones: their provenance is not carried over.
    RankerWeights trained = fresh.withProvenance(ModelProvenance.training(1, SETTINGS));
    assertThat(trained.withTensors(fresh.stateDict(), "other").provenance())
        .isEqualTo(ModelProvenance.none());
  }

  @Test
  void aFileWithoutProvenanceLoadsWithEveryFieldAbsent() throws IOException {
    // What this SDK wrote before provenance existed: the architecture and "format" only.
    Path file = dir.resolve("old.safetensors");
    Checkpoints.writeSafetensors(
        file,
        RankerWeights.random(RANKER, 4).stateDict(),
        DType.F32,
        Map.of("format", "pt", RankerWeights.CONFIG_KEY, RANKER.toJson()));

    RankerWeights loaded = RankerWeights.load(file, null);
    assertThat(loaded.config()).isEqualTo(RANKER);
    assertThat(loaded.provenance()).isEqualTo(ModelProvenance.none());
  }

  @Test
  void malformedProvenanceFailsTheLoadNamingTheEntry() throws IOException {
    Path file = dir.resolve("bad.safetensors");
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(RankerWeights.CONFIG_KEY, RANKER.toJson());
    metadata.put(ModelProvenance.STEPS_KEY, "twelve");
    Checkpoints.writeSafetensors(
        file, RankerWeights.random(RANKER, 4).stateDict(), DType.F32, metadata);

    assertThatThrownBy(() -> RankerWeights.load(file, null))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("ltrp.provenance.training_steps is \"twelve\"");
  }

  @Test
  void aStreamLoadsWhatTheFileDoesWithoutTheJsonBesideIt() throws IOException {
    Path mae = dir.resolve("mae.safetensors");
    MaeWeights.random(MAE, 5)
        .withProvenance(ModelProvenance.training(9, SETTINGS))
        .save(mae, DType.F32);
    Files.delete(SavedModels.sidecar(mae)); // the metadata alone describes the model

    MaeWeights fromFile = MaeWeights.load(mae, null);
    MaeWeights fromStream;
    try (InputStream in = Files.newInputStream(mae)) {
      fromStream = MaeWeights.load(in, "teacher.safetensors", null);
    }
    assertThat(fromStream.config()).isEqualTo(fromFile.config());
    assertThat(fromStream.stateDict()).isEqualTo(fromFile.stateDict());
    assertThat(fromStream.provenance()).isEqualTo(fromFile.provenance());
    assertThat(fromStream.source()).isEqualTo("teacher.safetensors");
  }

  @Test
  void modelResourcesLoadFromTheClassPath() throws IOException {
    Path root = Files.createDirectories(dir.resolve("jar/models"));
    RankerWeights ranker =
        RankerWeights.random(RANKER, 6).withProvenance(ModelProvenance.training(11, SETTINGS));
    ranker.save(root.resolve("ranker.safetensors"));
    MaeWeights mae = MaeWeights.random(MAE, 7);
    mae.save(root.resolve("mae.safetensors"), DType.F16);

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.resolve("jar").toUri().toURL()}, null)) {
      RankerWeights r = ModelResources.ranker(loader, "models/ranker.safetensors", "");
      assertThat(r.stateDict()).isEqualTo(ranker.stateDict());
      assertThat(r.source()).isEqualTo("ranker.safetensors");
      assertThat(r.provenance().trainingSteps()).hasValue(11);
      MaeWeights m = ModelResources.mae(loader, "models/mae.safetensors", "");
      assertThat(m.config()).isEqualTo(MAE);

      assertThatThrownBy(
              () ->
                  ModelResources.ranker(
                      loader, "models/absent.safetensors", "add the ltrp-models artifact"))
          .isInstanceOf(NoSuchFileException.class)
          .hasMessage(
              "models/absent.safetensors: not on the class path: add the ltrp-models"
                  + " artifact");
    }
  }

  @Test
  void loadReadsMetadataAndTensorsFromOneCheckpoint() throws IOException {
    Path file = dir.resolve("ranker.safetensors");
    RankerWeights.random(RANKER, 8)
        .withProvenance(ModelProvenance.training(2, SETTINGS))
        .save(file);
    Checkpoint checkpoint = Checkpoints.load(file);
    Files.delete(file); // everything below comes from the one read
    Files.delete(RankerWeights.sidecar(file));

    RankerWeights w = RankerWeights.from(checkpoint, file, "ranker.safetensors", null);
    assertThat(w.config()).isEqualTo(RANKER);
    assertThat(w.provenance().trainingSteps()).hasValue(2);
  }
}
