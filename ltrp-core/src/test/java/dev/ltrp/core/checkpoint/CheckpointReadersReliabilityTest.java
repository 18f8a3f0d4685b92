package dev.ltrp.core.checkpoint;

import static dev.ltrp.core.checkpoint.CheckpointFixtures.f32le;
import static dev.ltrp.core.checkpoint.TorchPickles.f32;
import static dev.ltrp.core.checkpoint.TorchPickles.l;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.checkpoint.pickle.PickleBytes;
import dev.ltrp.core.reliability.UntrustedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile checkpoints that cost little to write and much to read: each must fail fast with a {@link
 * CheckpointFormatException} naming the tensor or offset, within the allocation its size justifies
 * ({@link UntrustedFiles#checkAllocation}) and {@link UntrustedFiles#TIME_LIMIT}. Each case is a
 * bug the review for issue 5 found and fixed (docs/RELIABILITY.md); the fuzz corpora hold small
 * versions of them too.
 */
class CheckpointReadersReliabilityTest {

  @TempDir Path dir;

  // ---------------------------------------------------------------------------------------------
  // Amplification inside the pickle: a few bytes per call, a copy of a large value per call

  /** {@code n} None values in a list, memoized as 0; leaves the list on the stack. */
  private static PickleBytes listOfNones(PickleBytes p, int n) {
    p.op(']').op('q').raw(0).mark();
    for (int i = 0; i < n; i++) {
      p.op('N');
    }
    return p.op('e');
  }

  /** {@code calls} times: memoized global 1 applied to {@code (memo 0,)} plus extra args. */
  private static byte[] repeatedCalls(PickleBytes p, int calls, UnaryOperator<PickleBytes> args) {
    for (int i = 0; i < calls; i++) {
      args.apply(p.op('h').raw(1)).op('R').op('0');
    }
    return p.op('0').op('}').stop().bytes();
  }

  static Stream<Arguments> copyAmplifiers() {
    int n = 200_000;
    int calls = 200_000;
    byte[] sizeOfList =
        repeatedCalls(
            listOfNones(PickleBytes.proto(2), n).global("torch", "Size").op('q').raw(1).op('0'),
            calls,
            p -> p.op('h').raw(0).op(0x85));
    byte[] setOfList =
        repeatedCalls(
            listOfNones(PickleBytes.proto(2), n).global("builtins", "set").op('q').raw(1).op('0'),
            calls,
            p -> p.op('h').raw(0).op(0x85));
    PickleBytes text =
        PickleBytes.proto(2)
            .str("x".repeat(n))
            .op('q')
            .raw(0)
            .global("_codecs", "encode")
            .op('q')
            .raw(1)
            .op('0')
            .str("latin1")
            .op('q')
            .raw(2)
            .op('0');
    byte[] encodeOfString =
        repeatedCalls(text, calls, p -> p.op('h').raw(0).op('h').raw(2).op(0x86));
    return Stream.of(
        Arguments.of("torch.Size(list) repeated", sizeOfList),
        Arguments.of("builtins.set(list) repeated", setOfList),
        Arguments.of("_codecs.encode(str, 'latin1') repeated", encodeOfString));
  }

  /**
   * Found by review: calls of {@code torch.Size}, {@code set} and {@code _codecs.encode} copy their
   * argument, so a pickle that applies one to the same memoized large value over and over did
   * quadratic work (200,000 calls × 200,000 items here: 4·10^10 copies, minutes of CPU and
   * gigabytes of garbage). The pickle machine now caps the values it copies.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("copyAmplifiers")
  void picklesThatCopyALargeValueOverAndOverAreRefused(String what, byte[] pickle)
      throws Exception {
    Throwable t = readZipWithinLimits(pickle, Map.of());
    assertThat(t)
        .as(what)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("copies more than")
        .hasMessageContaining("(offset ");
  }

  /**
   * Found by review: a tuple of a million references to one memoized 1 MB bytes value hashed the
   * bytes once per reference (10^12 steps). Bytes now hash once.
   */
  @Test
  void aTupleOfOneLargeBytesValueRepeatedHashesItOnce() throws Exception {
    PickleBytes p =
        PickleBytes.proto(3).op('B').u32(1 << 20).raw(new byte[1 << 20]).op('q').raw(0).mark();
    for (int i = 0; i < 1_000_000; i++) {
      p.op('h').raw(0);
    }
    byte[] pickle = p.op('t').op('0').op('0').op('}').stop().bytes();
    Throwable t = readZipWithinLimits(pickle, Map.of());
    assertThat(t)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("checkpoint has no state dict");
  }

  // ---------------------------------------------------------------------------------------------
  // Amplification between the pickle and the storages

  /**
   * Found by review: a tensor may view its storage with stride 0 (as {@code expand} leaves it), so
   * a 300-byte file whose one-element storage is viewed as 2^28 elements made the reader allocate a
   * 1 GiB array. Views may now repeat stored elements by at most 2^20 in all.
   */
  @Test
  void aZeroStrideViewOfATinyStorageIsRefusedBeforeAllocating() throws Exception {
    Map<String, UnaryOperator<PickleBytes>> tensors =
        one("huge", p -> f32(p, "0", 1, 0, l(1L << 28), l(0)));
    Throwable t = readZipWithinLimits(TorchPickles.modelPickle(tensors), Map.of("0", f32le(7)));
    assertThat(t)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor huge ")
        .hasMessageContaining("268435456 elements");
  }

  /** The same through many tensors, each a copied view of most of one storage. */
  @Test
  void manyOverlappingViewsOfOneStorageAreRefused() throws Exception {
    int numel = 1 << 16;
    Map<String, UnaryOperator<PickleBytes>> tensors = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      tensors.put("alias" + i, p -> f32(p, "0", numel, 1, l(numel - 1), l(1)));
    }
    float[] values = new float[numel];
    Throwable t =
        readZipWithinLimits(TorchPickles.modelPickle(tensors), Map.of("0", f32le(values)));
    assertThat(t)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor alias")
        .hasMessageContaining("views of storage");
  }

  /** What must keep working: small expansions, tied weights, and views that split a storage. */
  @Test
  void ordinaryViewsStillRead() throws Exception {
    Map<String, UnaryOperator<PickleBytes>> tensors = new LinkedHashMap<>();
    tensors.put("expanded", p -> f32(p, "0", 6, 0, l(1000, 6), l(0, 1)));
    tensors.put("tied.a", p -> f32(p, "0", 6, 0, l(2, 3), l(3, 1)));
    tensors.put("tied.b", p -> f32(p, "0", 6, 0, l(2, 3), l(3, 1)));
    tensors.put("q", p -> f32(p, "0", 6, 0, l(2), l(1)));
    tensors.put("k", p -> f32(p, "0", 6, 2, l(2), l(1)));
    tensors.put("v", p -> f32(p, "0", 6, 4, l(2), l(1)));
    Path file =
        CheckpointFixtures.write(
            dir,
            "views.pth",
            TorchPickles.zip(
                TorchPickles.modelPickle(tensors), Map.of("0", f32le(1, 2, 3, 4, 5, 6))));
    StateDict read = TorchCheckpointReader.read(file);
    assertThat(read.require("expanded", 1000, 6).get(999, 5)).isEqualTo(6);
    assertThat(read.require("tied.b").toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(read.require("v").toArray()).containsExactly(5, 6);
  }

  /**
   * Found by review: the zip reader trusted the central directory's size of a stored record, so a
   * 400-byte archive whose directory claims a 2 GiB record made it allocate that much before
   * finding the data missing. A record may no longer claim more bytes than the file has.
   */
  @Test
  void aZipRecordClaimingMoreBytesThanTheFileHasIsRefusedBeforeAllocating() throws Exception {
    long numel = (1L << 29) - 1;
    Map<String, UnaryOperator<PickleBytes>> tensors =
        one("w", p -> f32(p, "0", numel, 0, l(numel), l(1)));
    byte[] zip = TorchPickles.zip(TorchPickles.modelPickle(tensors), Map.of("0", f32le(1, 2)));
    claimRecordSize(zip, "archive/data/0", numel * 4);
    Throwable t = readWithinLimits(zip);
    assertThat(t)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor w ")
        .hasMessageContaining("archive/data/0");
  }

  // ---------------------------------------------------------------------------------------------
  // The findings of the fuzzing campaigns (src/test/resources/fuzz/*/crashes/)

  static Stream<Arguments> fuzzFindings() {
    return Stream.of(
        // Before the fix: a bare java.io.EOFException from java.util.zip.ZipFile.
        Arguments.of(
            "checkpoint/crashes/zip-end-record-past-the-file.pth",
            "not a valid zip archive: its directory points past the data (offset 1444)"),
        // Before the fix: java.io.CharConversionException "Invalid UTF-32 character" from
        // Jackson, which guessed the header's encoding from its first bytes "{\0\0\0".
        Arguments.of(
            "safetensors/crashes/header-read-as-utf32.safetensors",
            "safetensors header is not valid JSON: Illegal character ((CTRL-CHAR, code 0))"));
  }

  /**
   * Inputs on which Jazzer found the readers throwing an {@link IOException} other than {@link
   * CheckpointFormatException}: both now give the specific exception, with an offset.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fuzzFindings")
  void fuzzFindingsGiveAFormatExceptionWithAnOffset(String input, String message) throws Exception {
    Path file =
        UntrustedFiles.corpus(input.substring(0, input.indexOf('/'))).stream()
            .filter(f -> UntrustedFiles.name(f).equals(input.substring(input.indexOf('/') + 1)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no committed input " + input));
    Path copy =
        CheckpointFixtures.write(dir, file.getFileName().toString(), Files.readAllBytes(file));
    Throwable t = CheckpointFixtures.thrownWithin(() -> Checkpoints.read(copy));
    assertThat(t)
        .isExactlyInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(message);
    assertThat(((CheckpointFormatException) t).byteOffset()).isPresent();
  }

  // ---------------------------------------------------------------------------------------------
  // Every kind of bad file gets its specific exception, naming the tensor or the offset

  static Stream<Arguments> badFiles() {
    byte[] pickle = TorchPickles.modelPickle(one("w", p -> f32(p, "0", 4, 0, l(4), l(1))));
    byte[] zip = TorchPickles.zip(pickle, Map.of("0", f32le(1, 2, 3, 4)));
    byte[] shortRecord = TorchPickles.zip(pickle, Map.of("0", f32le(1, 2)));
    byte[] pastStorage =
        TorchPickles.zip(
            TorchPickles.modelPickle(one("w", p -> f32(p, "0", 4, 3, l(4), l(1)))),
            Map.of("0", f32le(1, 2, 3, 4)));
    byte[] legacy = CheckpointFixtures.bytes("small_legacy.pth");
    byte[] st = CheckpointFixtures.bytes("st_f32.safetensors");
    String twoTensors =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    String beyond = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    byte[] junk = "GIF89a not a checkpoint".getBytes(StandardCharsets.US_ASCII);
    return Stream.of(
        // name, file, content, message, tensor named (or null), byte offset (or -1)
        Arguments.of("zero-length .pth", "empty.pth", new byte[0], "file is empty", null, 0L),
        Arguments.of(
            "zero-length .safetensors",
            "empty.safetensors",
            new byte[0],
            "file is empty",
            null,
            0L),
        Arguments.of("wrong magic", "junk.pth", junk, "unrecognized checkpoint format", null, 0L),
        Arguments.of(
            "wrong magic named .safetensors",
            "junk.safetensors",
            junk,
            "exceeds the 15 bytes that follow it",
            null,
            0L),
        Arguments.of(
            "truncated zip",
            "cut.pth",
            Arrays.copyOf(zip, zip.length / 2),
            "not a valid zip archive",
            null,
            (long) zip.length / 2),
        Arguments.of(
            "zip with a truncated storage record",
            "short.pth",
            shortRecord,
            "of 8 bytes, but its 4 F32 elements need 16",
            "w",
            -1L),
        Arguments.of(
            "truncated legacy pickle",
            "cut_legacy.pth",
            Arrays.copyOf(legacy, 40),
            "pickle is truncated",
            null,
            -2L),
        Arguments.of(
            "truncated legacy storages",
            "cut_storages.pth",
            Arrays.copyOf(legacy, legacy.length - 7),
            "truncated",
            null,
            -2L),
        Arguments.of(
            "truncated safetensors",
            "cut.safetensors",
            Arrays.copyOf(st, st.length - 4),
            "beyond the data section",
            "",
            -1L),
        Arguments.of(
            "offset beyond the storage (.pth)", "past.pth", pastStorage, "storage", "w", -1L),
        Arguments.of(
            "overlapping offsets",
            "overlap.safetensors",
            CheckpointFixtures.safetensors(twoTensors, new byte[12]),
            "has data_offsets [4, 12] overlapping tensor a",
            "b",
            -1L),
        Arguments.of(
            "offsets beyond the data",
            "beyond.safetensors",
            CheckpointFixtures.safetensors(beyond, new byte[8]),
            "has data_offsets [0,16] beyond the data section of 8 bytes",
            "a",
            -1L),
        Arguments.of(
            "header length beyond the file",
            "length.safetensors",
            ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(1000)
                .put("{}  ".getBytes(StandardCharsets.US_ASCII))
                .array(),
            "safetensors header length 1000 exceeds the 4 bytes that follow it",
            null,
            0L),
        Arguments.of(
            "header that is not UTF-8",
            "latin1.safetensors",
            latin1Header(),
            "safetensors header is not valid UTF-8",
            null,
            10L));
  }

  /**
   * Each kind of bad file gives a {@link CheckpointFormatException} whose message says what is
   * wrong and that names the tensor concerned ({@code tensor}; {@code ""} for any tensor) or the
   * byte offset ({@code offset}; {@code -2} for any offset).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void everyKindOfBadFileGetsItsSpecificException(
      String what, String name, byte[] content, String message, String tensor, long offset)
      throws Exception {
    Path file = CheckpointFixtures.write(dir, name, content);
    Throwable t = CheckpointFixtures.thrownWithin(() -> Checkpoints.read(file));
    assertThat(t)
        .as(what)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(message);
    CheckpointFormatException e = (CheckpointFormatException) t;
    if (tensor != null) {
      assertThat(e.tensorName()).as(what + ": tensor named").isPresent();
      assertThat(e.tensorName().orElseThrow()).as(what).startsWith(tensor);
      assertThat(e.getMessage()).as(what).startsWith("tensor " + e.tensorName().orElseThrow());
    }
    if (offset >= 0) {
      assertThat(e.byteOffset()).as(what + ": byte offset").hasValue(offset);
      assertThat(e.getMessage()).as(what).endsWith("(offset " + offset + ")");
    } else if (offset == -2) {
      assertThat(e.byteOffset()).as(what + ": byte offset").isPresent();
    }
    assertThat(e.tensorName().isPresent() || e.byteOffset().isPresent())
        .as(what + ": names a tensor or an offset: " + e.getMessage())
        .isTrue();
  }

  // ---------------------------------------------------------------------------------------------

  /** A safetensors header whose third byte is a Latin-1 "é", not UTF-8. */
  private static byte[] latin1Header() {
    byte[] header = "{\"\u00e9\":{}}".getBytes(StandardCharsets.ISO_8859_1);
    return ByteBuffer.allocate(8 + header.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length)
        .put(header)
        .array();
  }

  private static Map<String, UnaryOperator<PickleBytes>> one(
      String name, UnaryOperator<PickleBytes> emit) {
    Map<String, UnaryOperator<PickleBytes>> m = new LinkedHashMap<>();
    m.put(name, emit);
    return m;
  }

  private Throwable readZipWithinLimits(byte[] pickle, Map<String, byte[]> records)
      throws Exception {
    return readWithinLimits(TorchPickles.zip(pickle, records));
  }

  /** Reads {@code content} as a checkpoint within the time and allocation limits. */
  private Throwable readWithinLimits(byte[] content) throws Exception {
    Path file = CheckpointFixtures.write(dir, "hostile.pth", content);
    Throwable[] thrown = new Throwable[1];
    UntrustedFiles.checkAllocation(
        "Checkpoints.read",
        Files.size(file),
        0,
        () -> {
          thrown[0] = null;
          try {
            Checkpoints.read(file);
          } catch (IOException e) {
            thrown[0] = e;
          }
        });
    return thrown[0];
  }

  /**
   * Rewrites the sizes of stored record {@code name} in the central directory (and its local
   * header) to {@code bytes}, leaving its data as it is.
   */
  private static void claimRecordSize(byte[] zip, String name, long bytes) {
    ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    int patched = 0;
    for (int i = 0; i + 46 < zip.length; i++) {
      int sig = buf.getInt(i);
      int nameAt;
      int sizesAt;
      if (sig == 0x02014b50) { // central directory file header
        nameAt = i + 46;
        sizesAt = i + 20;
        if (buf.getShort(i + 28) != wanted.length) {
          continue;
        }
      } else if (sig == 0x04034b50) { // local file header
        nameAt = i + 30;
        sizesAt = i + 18;
        if (buf.getShort(i + 26) != wanted.length) {
          continue;
        }
      } else {
        continue;
      }
      if (Arrays.equals(zip, nameAt, nameAt + wanted.length, wanted, 0, wanted.length)) {
        buf.putInt(sizesAt, (int) bytes).putInt(sizesAt + 4, (int) bytes);
        patched++;
      }
    }
    assertThat(patched).as("headers of " + name).isEqualTo(2);
  }
}
