package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.model.ModelProvenance;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ltrp info}: a model file described as one JSON line, provenance included. */
class InfoCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SETTINGS =
      "{\"steps\":25,\"image_names_hash\":-1234567,\"batch\":4,\"seed\":3}";

  @TempDir Path dir;

  @Test
  void printsTheProvenanceOfAModelSavedWithIt() throws IOException {
    Path file = dir.resolve("ranker.safetensors");
    RankerWeights ranker =
        RankerWeights.random(CliFixtures.TINY_RANKER, 1)
            .withProvenance(ModelProvenance.training(25, SETTINGS));
    ranker.save(file);

    CliRun run = CliRun.ltrp("info", file);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines()).hasSize(1);
    JsonNode info = JSON.readTree(run.out());
    assertThat(info.get("file").asText()).isEqualTo(file.toString());
    assertThat(info.get("format").asText()).isEqualTo("safetensors");
    assertThat(info.get("bytes").asLong()).isEqualTo(Files.size(file));
    assertThat(info.get("kind").asText()).isEqualTo("ranker");
    assertThat(info.get("architecture").get("embed_dim").asInt()).isEqualTo(48);
    assertThat(info.get("architecture").get("depth").asInt()).isEqualTo(2);
    assertThat(info.get("tensors").asInt()).isEqualTo(ranker.stateDict().size());
    assertThat(info.get("parameters").asLong()).isEqualTo(ranker.stateDict().totalElements());
    assertThat(info.get("dtypes").toString()).isEqualTo("[\"F32\"]");
    JsonNode p = info.get("provenance");
    assertThat(p.get("training_steps").asLong()).isEqualTo(25);
    assertThat(p.get("training_settings")).isEqualTo(JSON.readTree(SETTINGS));
    assertThat(p.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(p.get("commit").asText()).matches("[0-9a-f]{40}|unknown");
    assertThat(p.get("written_utc").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  }

  @Test
  void showsTheProvenanceOfTheBundledModelAsAbsent() throws IOException {
    // Written before models carried provenance: the architecture only.
    Path bundled =
        RepoFiles.root()
            .resolve("ltrp-models/src/main/resources/dev/ltrp/models/default/ranker.safetensors");

    CliRun run = CliRun.ltrp("info", bundled);

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode info = JSON.readTree(run.out());
    assertThat(info.get("kind").asText()).isEqualTo("ranker");
    assertThat(info.get("architecture").get("embed_dim").asInt()).isEqualTo(192);
    JsonNode p = info.get("provenance");
    for (String field :
        List.of("version", "commit", "written_utc", "training_steps", "training_settings")) {
      assertThat(p.has(field)).as(field).isTrue();
      assertThat(p.get(field).isNull()).as(field).isTrue();
    }
  }

  @Test
  void describesAPthCheckpoint() throws IOException {
    CliRun run = CliRun.ltrp("info", CliFixtures.MAE);

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode info = JSON.readTree(run.out());
    assertThat(info.get("format").asText()).isEqualTo("torch_zip");
    assertThat(info.get("kind").asText()).isEqualTo("mae");
    assertThat(info.get("provenance").get("version").isNull()).isTrue();
  }

  @Test
  void aFileThatIsNoCheckpointIsAOneLineErrorNamingWhatIsAccepted() throws IOException {
    Path junk = Files.writeString(dir.resolve("notes.txt"), "not a model");

    CliRun.ltrp("info", junk)
        .assertOneLineError(
            1,
            "neither a zip archive (PyTorch >= 1.6), a pickle (legacy PyTorch) nor a safetensors"
                + " header");
    CliRun.ltrp("info", dir.resolve("absent.safetensors"))
        .assertOneLineError(1, "MODEL: no such file");
  }
}
