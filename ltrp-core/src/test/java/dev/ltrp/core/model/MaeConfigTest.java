package dev.ltrp.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaeConfigTest {

  @TempDir Path dir;

  @Test
  void presetsHaveTheReferenceShapes() {
    MaeConfig base = MaeConfig.preset("base");
    assertThat(base.numPatches()).isEqualTo(196);
    assertThat(base.patchDim()).isEqualTo(768);
    assertThat(base.mlpHidden()).isEqualTo(3072);
    assertThat(base.decoderMlpHidden()).isEqualTo(2048);
    assertThat(MaeConfig.preset("large").embedDim()).isEqualTo(1024);
    assertThat(MaeConfig.preset("huge").numPatches()).isEqualTo(256);
    assertThat(MaeConfig.preset("huge").patchDim()).isEqualTo(14 * 14 * 3);
  }

  @Test
  void jsonRoundTripsWithTheReferenceFieldNames() throws IOException {
    MaeConfig c = MaeConfig.of(32, 4, 3, 48, 2, 3, 32, 2, 4, 4.0);
    Path file = dir.resolve("c.json");
    Files.writeString(file, c.toJson());
    assertThat(Files.readString(file)).contains("\"decoder_num_heads\"");
    assertThat(MaeConfig.readJson(file)).isEqualTo(c);
    assertThat(MaeConfig.fromSpec(file.toString())).isEqualTo(c);
  }

  @Test
  void rejectsUnknownAndMissingFieldsByName() throws IOException {
    Path typo = dir.resolve("typo.json");
    Files.writeString(
        typo,
        "{\"img_size\":32,\"patch_size\":4,\"in_chans\":3,\"embed_dim\":48,"
            + "\"depth\":2,\"num_heads\":3,\"decoder_embed_dim\":32,\"decoder_depth\":2,"
            + "\"decoder_num_heads\":4,\"mlp_ratio\":4.0,\"embed_dims\":5}");
    assertThatThrownBy(() -> MaeConfig.readJson(typo))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("embed_dims");
    Path missing = dir.resolve("missing.json");
    Files.writeString(missing, "{\"img_size\":32}");
    assertThatThrownBy(() -> MaeConfig.readJson(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("patch_size");
  }

  @Test
  void rejectsInconsistentArchitectures() {
    assertThatThrownBy(() -> MaeConfig.of(30, 4, 3, 48, 2, 3, 32, 2, 4, 4.0))
        .hasMessageContaining("img_size 30");
    assertThatThrownBy(() -> MaeConfig.of(32, 4, 3, 48, 2, 5, 32, 2, 4, 4.0))
        .hasMessageContaining("num_heads 5");
    assertThatThrownBy(() -> MaeConfig.preset("gigantic")).hasMessageContaining("gigantic");
  }
}
