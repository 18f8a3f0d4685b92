package dev.ltrp.core.checkpoint;

import static dev.ltrp.core.checkpoint.CheckpointFixtures.f32le;
import static dev.ltrp.core.checkpoint.CheckpointFixtures.safetensors;
import static dev.ltrp.core.checkpoint.CheckpointFixtures.thrownWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "st_f32.safetensors",
        "st_f16.safetensors",
        "st_bf16.safetensors",
        "st_ints.safetensors",
        "hf_mae_tiny.safetensors",
        "hf_mae_tiny_reference.safetensors"
      })
  void readsFilesFromAnIndependentWriterExactly(String file) throws Exception {
    CheckpointFixtures.assertMatchesExpected(
        SafetensorsReader.read(CheckpointFixtures.path(file)), file);
  }

  @Test
  void readsMetadata() throws Exception {
    assertThat(SafetensorsReader.readMetadata(CheckpointFixtures.path("st_f16.safetensors")))
        .containsExactly(Map.entry("format", "pt"), Map.entry("source", "fixture"));
    assertThat(SafetensorsReader.readMetadata(CheckpointFixtures.path("st_ints.safetensors")))
        .isEmpty();
  }

  @Test
  void readsASubsetOfTensors() throws Exception {
    StateDict sd =
        SafetensorsReader.read(
            CheckpointFixtures.path("st_f32.safetensors"), name -> name.startsWith("m"));
    assertThat(sd.names()).containsExactly("matrix");
  }

  /** The float32 values the F16/BF16 fixtures were rounded from, as a state dict. */
  private static StateDict sources(String file) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    CheckpointFixtures.expected(file)
        .forEach((name, e) -> m.put(name, Tensor.of(e.shape(), e.sourceValues())));
    return StateDict.of(m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F16", "BF16"})
  void writesTheSameBytesAsTheIndependentWriter(String dtype) throws Exception {
    // Same tensors, order, metadata and rounding: the files must be identical, header included.
    String file = "st_" + dtype.toLowerCase() + ".safetensors";
    Path out = dir.resolve("java.safetensors");
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("source", "fixture");
    SafetensorsWriter.write(out, sources(file), DType.valueOf(dtype), metadata);
    byte[] java = Files.readAllBytes(out);
    byte[] python = CheckpointFixtures.bytes(file);
    if (!dtype.equals("BF16")) {
      assertThat(java).isEqualTo(python);
      return;
    }
    // Identical except NaN payloads: torch 1.13 narrows NaN to 0xFFFF, this writer to 0x7FC0.
    assertThat(java.length).isEqualTo(python.length);
    int dataStart =
        8 + (int) ByteBuffer.wrap(python, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(Arrays.copyOf(java, dataStart)).isEqualTo(Arrays.copyOf(python, dataStart));
    ByteBuffer a = ByteBuffer.wrap(java).order(ByteOrder.LITTLE_ENDIAN).position(dataStart);
    ByteBuffer b = ByteBuffer.wrap(python).order(ByteOrder.LITTLE_ENDIAN).position(dataStart);
    while (a.hasRemaining()) {
      short x = a.getShort();
      short y = b.getShort();
      if (Float.isNaN(HalfFloats.bf16ToFloat(y))) {
        assertThat(HalfFloats.bf16ToFloat(x)).isNaN();
      } else {
        assertThat(x).as("bf16 at byte %d", a.position() - 2).isEqualTo(y);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F16", "BF16"})
  void roundTripsJavaToJava(String name) throws Exception {
    DType dtype = DType.valueOf(name);
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("blocks.10.w", random(random, 3, 300_001)); // spans chunks of the 1 MiB buffer
    m.put("blocks.2.w", random(random, 7));
    m.put("scalar", Tensor.scalar(-3.25f));
    m.put("empty", Tensor.of(new int[] {0, 4}, new float[0]));
    StateDict original = StateDict.of(m);
    Path out = dir.resolve("rt.safetensors");
    Checkpoints.writeSafetensors(out, original, dtype, Map.of("k", "v"));

    StateDict back = Checkpoints.read(out);
    assertThat(back.names()).containsExactly("blocks.10.w", "blocks.2.w", "scalar", "empty");
    for (String n : original.names()) {
      float[] expected = original.require(n).toArray();
      for (int i = 0; i < expected.length; i++) {
        expected[i] =
            switch (dtype) {
              case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(expected[i]));
              case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(expected[i]));
              default -> expected[i];
            };
      }
      assertThat(back.require(n).shape()).isEqualTo(original.require(n).shape());
      assertThat(back.require(n).sourceDType()).isEqualTo(dtype);
      CheckpointFixtures.assertBitsEqual(n, back.require(n).toArray(), expected);
    }
    assertThat(SafetensorsReader.readMetadata(out)).containsExactly(Map.entry("k", "v"));
    long headerLength =
        ByteBuffer.wrap(Files.readAllBytes(out), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
  }

  private static Tensor random(SplittableRandom random, int... shape) {
    float[] data = new float[(int) Tensor.numel(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextDouble() * 200 - 100);
    }
    return Tensor.of(shape, data);
  }

  @Test
  void writesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
    Path out = dir.resolve("model.safetensors");
    StateDict one = StateDict.of(Map.of("a", Tensor.scalar(1)));
    StateDict two = StateDict.of(Map.of("b", Tensor.scalar(2)));
    SafetensorsWriter.write(out, one);
    SafetensorsWriter.write(out, two); // replaces
    assertThat(SafetensorsReader.read(out)).isEqualTo(two);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(out);
    }
  }

  @Test
  void aFailedWriteLeavesThePreviousFile() throws Exception {
    Path out = dir.resolve("model.safetensors");
    SafetensorsWriter.write(out, StateDict.of(Map.of("a", Tensor.scalar(1))));
    byte[] before = Files.readAllBytes(out);
    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    out, StateDict.of(Map.of("__metadata__", Tensor.scalar(1)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SafetensorsWriter.write(out, StateDict.empty(), DType.I8, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("I8");
    assertThatThrownBy(
            () -> SafetensorsWriter.write(dir.resolve("missing/x.safetensors"), StateDict.empty()))
        .isInstanceOf(java.io.IOException.class);
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(out);
    }
  }

  static Stream<Arguments> malformed() {
    byte[] data16 = f32le(1, 2, 3, 4);
    String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    byte[] lengthOnly = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    byte[] hugeLength =
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).putLong(0).array();
    StringBuilder deep = new StringBuilder("{\"__metadata__\":");
    deep.append("[".repeat(5000)).append("]".repeat(5000)).append('}');
    return Stream.of(
        Arguments.of("empty", new byte[0], "file is empty"),
        Arguments.of(
            "shorter than the length",
            new byte[] {1, 2, 3, 4},
            "fewer than the 8-byte safetensors header length"),
        Arguments.of(
            "header length beyond the file",
            lengthOnly,
            "safetensors header length 1000 exceeds the 0 bytes that follow it (offset 0)"),
        Arguments.of(
            "header length of 2^64-2",
            hugeLength,
            "safetensors header length 18446744073709551614 exceeds"),
        Arguments.of(
            "header not JSON",
            safetensors("{nope}", new byte[0]),
            "safetensors header is not valid JSON"),
        Arguments.of(
            "header not an object",
            safetensors("[1,2]", new byte[0]),
            "does not start with a JSON object"),
        Arguments.of("trailing garbage", safetensors("{" + ok + "} x", data16), "not valid JSON"),
        Arguments.of(
            "duplicate names", safetensors("{" + ok + "," + ok + "}", data16), "Duplicate"),
        Arguments.of("deep nesting", safetensors(deep.toString(), new byte[0]), "not valid JSON"),
        Arguments.of(
            "unknown dtype",
            safetensors(
                "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", data16),
            "tensor a has unsupported dtype F8_E4M3"),
        Arguments.of(
            "negative dimension",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", data16),
            "tensor a has shape [-2] with a dimension that is not a non-negative integer"),
        Arguments.of(
            "fractional dimension",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", data16),
            "not a non-negative integer"),
        Arguments.of(
            "huge shape",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                    + "\"data_offsets\":[0,8]}}",
                data16),
            "too large for a Java array"),
        Arguments.of(
            "dimension beyond int",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999],\"data_offsets\":[0,8]}}",
                data16),
            "too large for a Java array"),
        Arguments.of(
            "missing data_offsets",
            safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", data16),
            "has no data_offsets"),
        Arguments.of(
            "offsets reversed",
            safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", data16),
            "end before they begin"),
        Arguments.of(
            "offsets beyond the data",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", data16),
            "tensor a has data_offsets [8,24] beyond the data section of 16 bytes"),
        Arguments.of(
            "offsets of the wrong size",
            safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data16),
            "tensor a has data_offsets [0,8] spanning 8 bytes, but shape [3] of F32 needs 12"),
        Arguments.of(
            "overlapping tensors",
            safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
                data16),
            "tensor b has data_offsets [8, 16] overlapping tensor a [0, 12]"),
        Arguments.of(
            "metadata not strings",
            safetensors("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
            "__metadata__ entry epoch is not a string"),
        Arguments.of(
            "entry not an object",
            safetensors("{\"a\":3}", new byte[0]),
            "tensor a has a header entry that is not a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedFilesWithASpecificMessage(String what, byte[] file, String message)
      throws Exception {
    Path p = CheckpointFixtures.write(dir, "bad.safetensors", file);
    for (Throwable t :
        new Throwable[] {
          thrownWithin(() -> SafetensorsReader.read(p)), thrownWithin(() -> Checkpoints.read(p))
        }) {
      assertThat(t)
          .as(what)
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining(message);
    }
  }

  @Test
  void acceptsGapsAndZeroLengthTensorsAnywhere() throws Exception {
    byte[] file =
        safetensors(
            "{\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            f32le(1, 2, 3, 4));
    StateDict sd = SafetensorsReader.read(CheckpointFixtures.write(dir, "gaps.safetensors", file));
    assertThat(sd.names()).containsExactly("e", "b", "a"); // header order
    assertThat(sd.require("b").toArray()).containsExactly(3);
    assertThat(sd.require("a").toArray()).containsExactly(1);
  }

  @Test
  void everyTruncationFailsCleanly() throws Exception {
    byte[] whole = CheckpointFixtures.bytes("st_f16.safetensors");
    Path p = dir.resolve("cut.safetensors");
    for (int n = 0; n < whole.length; n++) {
      Files.write(p, Arrays.copyOf(whole, n));
      assertThat(thrownWithin(() -> SafetensorsReader.read(p)))
          .as("cut to %d bytes", n)
          .isInstanceOf(CheckpointFormatException.class);
    }
  }

  @Test
  void randomCorruptionFailsCleanlyOrReadsSomething() throws Exception {
    byte[] whole = CheckpointFixtures.bytes("st_ints.safetensors");
    Path p = dir.resolve("corrupt.safetensors");
    SplittableRandom random = new SplittableRandom(99);
    for (int trial = 0; trial < Integer.getInteger("fuzz.trials", 400); trial++) {
      byte[] mutated = whole.clone();
      mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      Files.write(p, mutated);
      Throwable t = thrownWithin(() -> SafetensorsReader.read(p));
      if (t != null && !(t instanceof CheckpointFormatException)) {
        throw new AssertionError("trial " + trial + " threw " + t, t);
      }
    }
  }

  @Test
  void headerTextIsAsDocumented() throws Exception {
    byte[] header =
        SafetensorsWriter.header(
            StateDict.of(Map.of("w", Tensor.of(new int[] {2, 1}, new float[2]))),
            DType.BF16,
            Map.of("format", "ptx"));
    String json =
        "{\"__metadata__\":{\"format\":\"ptx\"},"
            + "\"w\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[0,4]}}";
    assertThat(json).hasSize(89);
    assertThat(new String(header, StandardCharsets.UTF_8)).isEqualTo(json + " ".repeat(7));
  }
}
