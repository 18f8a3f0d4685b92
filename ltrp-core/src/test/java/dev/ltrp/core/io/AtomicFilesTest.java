package dev.ltrp.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createsAndReplaces() throws IOException {
    Path target = dir.resolve("state.json");
    AtomicFiles.writeString(target, "first");
    assertThat(target).hasContent("first");
    AtomicFiles.write(
        target,
        out -> {
          out.write("sec".getBytes(StandardCharsets.UTF_8));
          out.write('o');
          out.write("nd".getBytes(StandardCharsets.UTF_8));
        });
    assertThat(target).hasContent("second");
    assertThat(names()).containsExactly("state.json");
  }

  @Test
  void writerThrowingMidwayLeavesTheTargetUntouched() throws IOException {
    Path target = dir.resolve("ckpt.bin");
    AtomicFiles.writeString(target, "old contents");

    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(
                          new byte[100_000]); // past the buffer: bytes reach the temporary file
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");

    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(1);
                      throw new UncheckedIOException(new IOException("boom"));
                    }))
        .isInstanceOf(UncheckedIOException.class);

    assertThat(target).hasContent("old contents");
    assertThat(names()).containsExactly("ckpt.bin");
  }

  @Test
  void failureWithoutATargetCreatesNothing() throws IOException {
    Path target = dir.resolve("new.bin");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      throw new IOException("nope");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(names()).isEmpty();
  }

  @Test
  void aWriterMayCloseTheStream() throws IOException {
    Path target = dir.resolve("closed.txt");
    AtomicFiles.write(
        target,
        out -> {
          out.write('x');
          out.close();
        });
    assertThat(target).hasContent("x");
  }

  @Test
  void writesLargeAndNonAsciiContent() throws IOException {
    Path target = dir.resolve("big.bin");
    byte[] data = new byte[3_000_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    AtomicFiles.writeBytes(target, data);
    assertThat(Files.readAllBytes(target)).isEqualTo(data);

    Path text = dir.resolve("grüße.txt");
    AtomicFiles.writeString(text, "ViT-S/16 · 0.9 → ok");
    assertThat(Files.readString(text, StandardCharsets.UTF_8)).isEqualTo("ViT-S/16 · 0.9 → ok");
  }

  @Test
  void missingFolderOrDirectoryTargetFailsCleanly() throws IOException {
    assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("no/such/file"), "x"))
        .isInstanceOf(NoSuchFileException.class);
    Path sub = dir.resolve("sub");
    Files.createDirectories(sub.resolve("child"));
    assertThatThrownBy(() -> AtomicFiles.writeString(sub, "x")).isInstanceOf(IOException.class);
    assertThat(names()).containsExactly("sub");
    assertThat(sub.resolve("child")).isDirectory();
  }

  @Test
  void longNamesStillWork() throws IOException {
    Path target = dir.resolve("a".repeat(250));
    AtomicFiles.writeString(target, "long");
    assertThat(target).hasContent("long");
  }

  @Test
  void javadocSnippetRuns() throws IOException {
    Path runDir = dir;
    String stateJson = "{\"step\": 1200}";
    byte[] weightBytes = {1, 2, 3};

    AtomicFiles.writeString(runDir.resolve("state.json"), stateJson);
    AtomicFiles.write(runDir.resolve("weights.bin"), out -> out.write(weightBytes));

    assertThat(runDir.resolve("state.json")).hasContent(stateJson);
    assertThat(runDir.resolve("weights.bin")).hasBinaryContent(weightBytes);
    assertThat(names()).containsExactly("state.json", "weights.bin");
  }
}
