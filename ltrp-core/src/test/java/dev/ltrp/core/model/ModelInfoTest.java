package dev.ltrp.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.CheckpointFormat;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelInfo}: what a model file holds, provenance included or shown absent. */
class ModelInfoTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void describesASavedRankerWithItsProvenance() throws Exception {
    Path file = dir.resolve("ranker.safetensors");
    RankerWeights ranker =
        RankerWeights.random(SavedModelsTest.RANKER, 1)
            .withProvenance(ModelProvenance.training(7, SavedModelsTest.SETTINGS));
    ranker.save(file);

    ModelInfo info = ModelInfo.read(file);

    assertThat(info.kind()).isEqualTo(ModelInfo.Kind.RANKER);
    assertThat(info.format()).isEqualTo(CheckpointFormat.SAFETENSORS);
    assertThat(info.architecture()).hasValue(SavedModelsTest.RANKER.toJson());
    assertThat(info.tensorCount()).isEqualTo(ranker.stateDict().size());
    assertThat(info.parameterCount()).isEqualTo(ranker.stateDict().totalElements());
    assertThat(info.dtypes()).containsExactly(DType.F32);
    assertThat(info.fileBytes()).isEqualTo(Files.size(file));
    assertThat(info.provenance().trainingSteps()).hasValue(7);

    JsonNode json = JSON.readTree(info.toJson());
    assertThat(info.toJson()).doesNotContain("\n");
    assertThat(json.get("kind").asText()).isEqualTo("ranker");
    assertThat(json.get("format").asText()).isEqualTo("safetensors");
    assertThat(json.get("architecture").get("embed_dim").asInt()).isEqualTo(48);
    assertThat(json.get("parameters").asLong()).isEqualTo(ranker.stateDict().totalElements());
    assertThat(json.get("dtypes").toString()).isEqualTo("[\"F32\"]");
    JsonNode p = json.get("provenance");
    assertThat(p.get("training_steps").asLong()).isEqualTo(7);
    assertThat(p.get("training_settings").get("image_names_hash").asInt()).isEqualTo(12345);
    assertThat(p.get("version").isTextual()).isTrue();
    assertThat(p.get("written_utc").asText()).endsWith("Z");
  }

  @Test
  void describesAMaeInHalfPrecision() throws Exception {
    Path file = dir.resolve("mae.safetensors");
    MaeWeights.random(SavedModelsTest.MAE, 2).save(file, DType.BF16);

    ModelInfo info = ModelInfo.read(file);

    assertThat(info.kind()).isEqualTo(ModelInfo.Kind.MAE);
    assertThat(info.architecture()).hasValue(SavedModelsTest.MAE.toJson());
    assertThat(info.dtypes()).containsExactly(DType.BF16);
    assertThat(info.provenance().trainingSteps()).isEmpty();
  }

  @Test
  void aFileWithoutProvenanceShowsEveryFieldAbsent() throws Exception {
    // A reference checkpoint: no metadata, and a MAE whose head counts no preset gives.
    Path pth = RepoFiles.tinyMae("mae.pth");

    ModelInfo info = ModelInfo.read(pth);

    assertThat(info.format()).isEqualTo(CheckpointFormat.TORCH_ZIP);
    assertThat(info.kind()).isEqualTo(ModelInfo.Kind.MAE);
    assertThat(info.architecture()).isEmpty();
    assertThat(info.provenance()).isEqualTo(ModelProvenance.none());
    assertThat(info.parameterCount()).isEqualTo(Checkpoints.read(pth).totalElements());
    JsonNode json = JSON.readTree(info.toJson());
    assertThat(json.get("architecture").isNull()).isTrue();
    for (String field :
        List.of("version", "commit", "written_utc", "training_steps", "training_settings")) {
      assertThat(json.get("provenance").get(field).isNull()).as(field).isTrue();
    }
  }

  @Test
  void anyOtherCheckpointIsOther() throws Exception {
    Path file = dir.resolve("training.safetensors");
    Checkpoints.writeSafetensors(
        file,
        StateDict.of(
            Map.of(
                "model.w", Tensor.of(new int[] {2, 3}, new float[6]),
                "optim.m.w", Tensor.of(new int[] {2, 3}, new float[6]))),
        DType.F16,
        Map.of());

    ModelInfo info = ModelInfo.read(file);

    assertThat(info.kind()).isEqualTo(ModelInfo.Kind.OTHER);
    assertThat(info.architecture()).isEmpty();
    assertThat(info.tensorCount()).isEqualTo(2);
    assertThat(info.parameterCount()).isEqualTo(12);
    assertThat(info.dtypes()).containsExactly(DType.F16);
    assertThat(JSON.readTree(info.toJson()).get("kind").asText()).isEqualTo("other");
  }
}
