package dev.ltrp.core.checkpoint;

import static dev.ltrp.core.checkpoint.CheckpointFixtures.thrownWithin;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointsTest {

  @TempDir Path dir;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("small_zip.pth", CheckpointFormat.TORCH_ZIP),
        Arguments.of("small_deflated.pth", CheckpointFormat.TORCH_ZIP),
        Arguments.of("views_bigendian.pth", CheckpointFormat.TORCH_ZIP),
        Arguments.of("small_legacy.pth", CheckpointFormat.TORCH_LEGACY),
        Arguments.of("views_legacy.pth", CheckpointFormat.TORCH_LEGACY),
        Arguments.of("st_bf16.safetensors", CheckpointFormat.SAFETENSORS),
        Arguments.of("hf_mae_tiny.safetensors", CheckpointFormat.SAFETENSORS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void detectsTheFormatFromTheBytesAndReads(String file, CheckpointFormat format) throws Exception {
    // Renamed to hide the extension: detection must not depend on it.
    Path copy = Files.copy(CheckpointFixtures.path(file), dir.resolve("checkpoint.bin"));
    assertThat(Checkpoints.detect(copy)).isEqualTo(format);
    CheckpointFixtures.assertMatchesExpected(Checkpoints.read(copy), file);
  }

  @Test
  void detectsSafetensorsWhoseHeaderLengthLooksLikeAPickle() throws Exception {
    // Header length 0x180 = 384: the file starts with 0x80, the pickle PROTO opcode.
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    String header = json + " ".repeat(384 - json.length());
    Path p =
        CheckpointFixtures.write(
            dir, "x.bin", CheckpointFixtures.safetensors(header, CheckpointFixtures.f32le(7)));
    assertThat(Files.readAllBytes(p)[0] & 0xFF).isEqualTo(0x80);
    assertThat(Checkpoints.detect(p)).isEqualTo(CheckpointFormat.SAFETENSORS);
    assertThat(Checkpoints.read(p).require("a").toArray()).containsExactly(7);
  }

  @Test
  void writesSafetensorsThatReadBack() throws Exception {
    StateDict sd = Checkpoints.read(CheckpointFixtures.path("small_zip.pth"));
    Path out = dir.resolve("small.safetensors");
    Checkpoints.writeSafetensors(out, sd);
    assertThat(Checkpoints.read(out)).isEqualTo(sd);
    assertThat(Checkpoints.read(out).names()).containsExactlyElementsOf(sd.names());
    Checkpoints.writeSafetensors(out, sd, DType.BF16, Map.of("source", "small_zip.pth"));
    assertThat(SafetensorsReader.readMetadata(out)).containsEntry("source", "small_zip.pth");
  }

  static Stream<Arguments> unreadable() {
    return Stream.of(
        Arguments.of("empty", new byte[0], "file is empty"),
        Arguments.of(
            "text",
            "hello, world".getBytes(StandardCharsets.US_ASCII),
            "unrecognized checkpoint format: the file starts with 68 65 6c 6c 6f 2c 20 77 6f"),
        Arguments.of("one byte", new byte[] {7}, "unrecognized checkpoint format"),
        Arguments.of("zip magic only", new byte[] {'P', 'K', 3, 4}, "not a valid zip archive"),
        Arguments.of(
            "a pickle that is not a checkpoint",
            new byte[] {(byte) 0x80, 2, 'K', 1, '.'},
            "legacy PyTorch magic number is missing"),
        Arguments.of(
            "a PROTO byte alone",
            new byte[] {(byte) 0x80},
            "file starts like a pickle but not like a legacy PyTorch checkpoint"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void refusesWhatIsNoCheckpoint(String what, byte[] content, String message) throws Exception {
    Path p = CheckpointFixtures.write(dir, "x.pth", content);
    assertThat(thrownWithin(() -> Checkpoints.read(p)))
        .as(what)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(message);
  }

  @Test
  void safetensorsByNameGetsThePreciseHeaderError() throws Exception {
    byte[] content =
        ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1 << 20).putInt(0).array();
    Path p = CheckpointFixtures.write(dir, "x.safetensors", content);
    assertThat(thrownWithin(() -> Checkpoints.read(p)))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage(
            "safetensors header length 1048576 exceeds the 4 bytes that follow it" + " (offset 0)");
  }

  @Test
  void truncatedFilesOfEveryFormatFailCleanly() throws Exception {
    for (String file :
        new String[] {"small_zip.pth", "small_legacy.pth", "hf_mae_tiny.safetensors"}) {
      byte[] whole = CheckpointFixtures.bytes(file);
      for (int n : new int[] {1, 4, 8, 9, 16, 100, whole.length / 2, whole.length - 1}) {
        Path p = CheckpointFixtures.write(dir, "cut", Arrays.copyOf(whole, n));
        assertThat(thrownWithin(() -> Checkpoints.read(p)))
            .as("%s cut to %d bytes", file, n)
            .isInstanceOf(CheckpointFormatException.class);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // load: tensors and metadata from one read, from a file or a stream

  @Test
  void loadGivesFormatTensorsAndMetadataInOneValue() throws Exception {
    Checkpoint st = Checkpoints.load(CheckpointFixtures.path("st_f16.safetensors"));
    assertThat(st.format()).isEqualTo(CheckpointFormat.SAFETENSORS);
    assertThat(st.metadata())
        .containsExactly(Map.entry("format", "pt"), Map.entry("source", "fixture"));
    CheckpointFixtures.assertMatchesExpected(st.tensors(), "st_f16.safetensors");

    Checkpoint pth = Checkpoints.load(CheckpointFixtures.path("small_zip.pth"));
    assertThat(pth.format()).isEqualTo(CheckpointFormat.TORCH_ZIP);
    assertThat(pth.metadata()).isEmpty();
    assertThat(pth.tensors()).isEqualTo(Checkpoints.read(CheckpointFixtures.path("small_zip.pth")));
  }

  static Stream<Arguments> streamable() {
    return fixtures().filter(a -> a.get()[1] != CheckpointFormat.TORCH_ZIP);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamable")
  void aStreamReadsAsTheFileDoes(String file, CheckpointFormat format) throws Exception {
    Checkpoint fromFile = Checkpoints.load(CheckpointFixtures.path(file));
    ClosingWatch in = new ClosingWatch(CheckpointFixtures.bytes(file));

    Checkpoint fromStream = Checkpoints.load(in, "checkpoint.bin");

    assertThat(fromStream.format()).isEqualTo(format);
    assertThat(fromStream).isEqualTo(fromFile);
    assertThat(fromStream.tensors().asMap().values())
        .map(Tensor::sourceDType)
        .containsExactlyElementsOf(
            fromFile.tensors().asMap().values().stream().map(Tensor::sourceDType).toList());
    CheckpointFixtures.assertMatchesExpected(fromStream.tensors(), file);
    assertThat(in.closed).as("the caller closes the stream").isFalse();
  }

  @Test
  void aZipArchiveFromAStreamIsRefusedWithTheWayOut() {
    byte[] zip = CheckpointFixtures.bytes("small_zip.pth");
    assertThat(thrownWithin(() -> Checkpoints.load(new ByteArrayInputStream(zip), "m.pth")))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage(
            "m.pth is a PyTorch zip checkpoint, which cannot be read from a stream (its"
                + " directory is at the end); read it from a file, or convert it to safetensors with"
                + " ltrp convert (offset 0)");
  }

  @Test
  void aStreamBeyondItsLimitIsRefusedBeforeParsing() throws Exception {
    byte[] st = CheckpointFixtures.bytes("st_f32.safetensors");
    assertThat(
            thrownWithin(
                () ->
                    Checkpoints.load(
                        new ByteArrayInputStream(st), "big.safetensors", st.length - 1)))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage(
            "big.safetensors has more than the "
                + (st.length - 1)
                + " bytes accepted"
                + " from a stream; read it from a file instead (offset "
                + (st.length - 1)
                + ")");
    assertThat(
            Checkpoints.load(new ByteArrayInputStream(st), "big.safetensors", st.length).tensors())
        .isEqualTo(Checkpoints.read(CheckpointFixtures.path("st_f32.safetensors")));
    assertThat(thrownWithin(() -> Checkpoints.load(new ByteArrayInputStream(st), "x", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got -1");
    assertThat(
            thrownWithin(
                () ->
                    Checkpoints.load(
                        new ByteArrayInputStream(st), "x", Checkpoints.MAX_STREAM_LIMIT + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void aStreamThatIsNoCheckpointGetsTheFilesMessage(String what, byte[] content, String message)
      throws Exception {
    Path p = CheckpointFixtures.write(dir, "x.pth", content);
    String fromFile = thrownWithin(() -> Checkpoints.read(p)).getMessage();
    Throwable fromStream =
        thrownWithin(() -> Checkpoints.load(new ByteArrayInputStream(content), "x.pth"));
    assertThat(fromStream).as(what).isInstanceOf(CheckpointFormatException.class);
    if (!what.startsWith("zip")) {
      assertThat(fromStream).as(what).hasMessage(fromFile).hasMessageContaining(message);
    }
  }

  @Test
  void aSafetensorsNameGetsThePreciseHeaderErrorFromAStreamToo() {
    byte[] content =
        ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1 << 20).putInt(0).array();
    assertThat(
            thrownWithin(
                () -> Checkpoints.load(new ByteArrayInputStream(content), "dir/x.safetensors")))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage(
            "safetensors header length 1048576 exceeds the 4 bytes that follow it" + " (offset 0)");
  }

  /** A stream that records whether it was closed. */
  private static final class ClosingWatch extends ByteArrayInputStream {
    boolean closed;

    ClosingWatch(byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void missingFilesAreIoExceptionsNotFormatErrors() {
    assertThat(thrownWithin(() -> Checkpoints.read(dir.resolve("absent.pth"))))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
