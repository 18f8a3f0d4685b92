package dev.ltrp.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingStateTest {

  @TempDir Path dir;

  private final TrainingState state =
      new TrainingState(1200, 2.4, -7_000_000_000_123L, 200_000, 1.5e-4);

  @Test
  void jsonRoundTrip() throws IOException {
    String json = state.toJson();
    assertThat(json).contains("\"step\" : 1200").contains("\"seed\" : -7000000000123");
    assertThat(TrainingState.fromJson(json)).isEqualTo(state);
    assertThat(state.isComplete()).isFalse();
    assertThat(new TrainingState(10, 1, 0, 10, 0).isComplete()).isTrue();
  }

  @Test
  void fileRoundTrip() throws IOException {
    Path file = dir.resolve("state.json");
    state.write(file);
    assertThat(Files.readString(file)).endsWith("}\n");
    assertThat(TrainingState.read(file)).isEqualTo(state);
  }

  @Test
  void unknownKeysAreIgnored() throws IOException {
    String json =
        "{\"step\":1,\"epoch\":0.5,\"seed\":3,\"totalSteps\":9,\"learningRate\":0.1,"
            + "\"future\":[1]}";
    assertThat(TrainingState.fromJson(json)).isEqualTo(new TrainingState(1, 0.5, 3, 9, 0.1));
  }

  @Test
  void badJsonIsAnIoExceptionNamingTheProblem() throws IOException {
    assertThatThrownBy(() -> TrainingState.fromJson("{\"step\":1}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("\"epoch\"");
    assertThatThrownBy(
            () ->
                TrainingState.fromJson(
                    "{\"step\":1.5,\"epoch\":0,\"seed\":3,\"totalSteps\":9,\"learningRate\":0.1}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("\"step\"");
    assertThatThrownBy(
            () ->
                TrainingState.fromJson(
                    "{\"step\":1,\"epoch\":\"x\",\"seed\":3,\"totalSteps\":9,\"learningRate\":0.1}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("\"epoch\"");
    assertThatThrownBy(
            () ->
                TrainingState.fromJson(
                    "{\"step\":-1,\"epoch\":0,\"seed\":3,\"totalSteps\":9,\"learningRate\":0.1}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("step");
    assertThatThrownBy(() -> TrainingState.fromJson("[]"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("object");
    assertThatThrownBy(() -> TrainingState.fromJson("{"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid JSON");
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{}");
    assertThatThrownBy(() -> TrainingState.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.json");
  }

  @Test
  void validates() {
    assertThatThrownBy(() -> new TrainingState(0, -1, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch");
    assertThatThrownBy(() -> new TrainingState(0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("totalSteps");
    assertThatThrownBy(() -> new TrainingState(0, 0, 0, 1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("learningRate");
  }
}
