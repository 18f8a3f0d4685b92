package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ltrp.core.checkpoint.pickle.SafePickleReader;
import dev.ltrp.core.reliability.UntrustedFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the checkpoint readers with Jazzer, and the replay of the committed
 * corpora ({@code src/test/resources/fuzz/{checkpoint,safetensors,pickle}/}: the seeds made from
 * the real fixtures, the inputs the campaigns added, and every input that once failed).
 *
 * <p>The property, for every input: the reader returns a state dict whose tensors are consistent,
 * or throws a {@link CheckpointFormatException} (an {@link UnsafePickleException} for a global
 * outside the allow-list). Anything else is a finding: another exception, an error such as {@link
 * OutOfMemoryError} or {@link StackOverflowError}, more allocation than the input's size justifies
 * ({@link UntrustedFiles#checkAllocation}), or a run past the timeout.
 *
 * <p>A plain build runs the corpus replays below and the {@code @FuzzTest} methods in Jazzer's
 * regression mode (their one empty input). {@code scripts/fuzz/run-campaign.sh} fuzzes them ({@code
 * JAZZER_FUZZ=1}), seeded with the corpora; see docs/RELIABILITY.md.
 */
class CheckpointReadersFuzzTest {

  private static final Path WORK = tempDir();

  // ---------------------------------------------------------------------------------------------
  // Fuzz targets

  /** Any file handed to {@link Checkpoints#read}: zip and legacy PyTorch, safetensors, junk. */
  @FuzzTest(maxDuration = "30s")
  void anyCheckpoint(byte[] data) {
    checkCheckpoint(data);
  }

  /** A file named {@code .safetensors}, read by {@link SafetensorsReader}. */
  @FuzzTest(maxDuration = "30s")
  void safetensors(byte[] data) {
    checkSafetensors(data);
  }

  /**
   * A bare {@code data.pkl}: the pickle machine, PyTorch's persistent ids and the tensor views,
   * without the zip container between the mutations and the pickle.
   */
  @FuzzTest(maxDuration = "30s")
  void pickle(byte[] data) {
    checkPickle(data);
  }

  // ---------------------------------------------------------------------------------------------
  // Corpus replays: every committed input, in every build

  static Stream<Arguments> checkpointCorpus() {
    return UntrustedFiles.corpus("checkpoint").stream()
        .map(f -> Arguments.of(UntrustedFiles.name(f), f));
  }

  static Stream<Arguments> safetensorsCorpus() {
    return UntrustedFiles.corpus("safetensors").stream()
        .map(f -> Arguments.of(UntrustedFiles.name(f), f));
  }

  static Stream<Arguments> pickleCorpus() {
    return UntrustedFiles.corpus("pickle").stream()
        .map(f -> Arguments.of(UntrustedFiles.name(f), f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpointCorpus")
  void replaysTheCheckpointCorpus(String name, Path file) throws IOException {
    checkCheckpoint(Files.readAllBytes(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("safetensorsCorpus")
  void replaysTheSafetensorsCorpus(String name, Path file) throws IOException {
    checkSafetensors(Files.readAllBytes(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pickleCorpus")
  void replaysThePickleCorpus(String name, Path file) throws IOException {
    checkPickle(Files.readAllBytes(file));
  }

  // ---------------------------------------------------------------------------------------------
  // The properties

  static void checkCheckpoint(byte[] data) {
    Path file = write("input.pth", data);
    check("Checkpoints.read", data, () -> Checkpoints.read(file));
    check("Checkpoints.load(InputStream)", data, () -> streamAgreesWithFile(data, file));
  }

  static void checkSafetensors(byte[] data) {
    Path file = write("input.safetensors", data);
    check(
        "SafetensorsReader.read",
        data,
        () -> {
          Map<String, String> metadata = SafetensorsReader.readMetadata(file);
          assertThat(metadata).doesNotContainValue(null);
          return SafetensorsReader.read(file);
        });
    check("Checkpoints.load(InputStream)", data, () -> streamAgreesWithFile(data, file));
  }

  /**
   * Reads {@code data} as a stream and checks that the result is what reading {@code file} (the
   * same bytes) gives: the same checkpoint, or a {@link CheckpointFormatException} with the same
   * message; a zip archive, which needs random access, is refused. Returns the stream's tensors.
   */
  private static StateDict streamAgreesWithFile(byte[] data, Path file) throws IOException {
    String name = file.getFileName().toString();
    Object viaFile = outcome(() -> Checkpoints.load(file));
    Object viaStream = outcome(() -> Checkpoints.load(new ByteArrayInputStream(data), name));
    if (viaFile instanceof Checkpoint c && c.format() == CheckpointFormat.TORCH_ZIP
        || data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
      assertThat(viaStream).asString().contains("cannot be read from a stream");
    } else {
      assertThat(viaStream).isEqualTo(viaFile);
    }
    return Checkpoints.load(new ByteArrayInputStream(data), name).tensors();
  }

  /** A read's checkpoint, or its format exception's class and message. */
  private static Object outcome(Load load) throws IOException {
    try {
      return load.load();
    } catch (CheckpointFormatException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** A load of untrusted bytes. */
  @FunctionalInterface
  interface Load {
    Checkpoint load() throws IOException;
  }

  static void checkPickle(byte[] data) {
    check("the pickle reader", data, () -> TorchStateDicts.extract(new PickleOnlyArchive(data)));
  }

  /** A read of untrusted bytes. */
  @FunctionalInterface
  interface Read {
    StateDict read() throws IOException;
  }

  /**
   * Runs {@code read}: a consistent state dict or a {@link CheckpointFormatException} with a
   * message, within the allocation its input justifies; anything else fails.
   */
  private static void check(String what, byte[] data, Read read) {
    StateDict[] result = new StateDict[1];
    try {
      UntrustedFiles.checkAllocation(
          what,
          data.length,
          0,
          () -> {
            result[0] = null;
            try {
              result[0] = read.read();
            } catch (CheckpointFormatException expected) {
              checkMessage(expected);
            }
          });
    } catch (IOException e) {
      throw new AssertionError(
          what + ": a malformed file must give a CheckpointFormatException", e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    checkConsistent(result[0]);
  }

  private static void checkConsistent(StateDict dict) {
    if (dict == null) {
      return;
    }
    dict.asMap()
        .forEach(
            (name, tensor) -> {
              assertThat(name).isNotNull();
              long product = 1;
              for (int d : tensor.shape()) {
                product *= d;
              }
              assertThat(tensor.size()).as(name).isEqualTo(product);
              assertThat((long) tensor.toArray().length).as(name).isEqualTo(product);
            });
  }

  private static void checkMessage(CheckpointFormatException e) {
    assertThat(e.getMessage()).isNotBlank();
    if (e instanceof UnsafePickleException unsafe) {
      assertThat(unsafe.global()).isNotBlank();
      assertThat(e.getMessage()).contains(unsafe.global());
    }
  }

  /**
   * The pickle of a zip checkpoint with every storage record present and zero, as long as it is
   * small: the readers' own checks decide everything else, as for a real archive.
   */
  private static final class PickleOnlyArchive implements TorchArchive {
    /** Largest storage given back; a real archive would need its bytes in the file. */
    private static final int MAX_FAKE_ELEMENTS = 1 << 12;

    private final TorchPersistentIds ids = new TorchPersistentIds(false);
    private final Object root;

    PickleOnlyArchive(byte[] pickle) throws CheckpointFormatException {
      this.root = SafePickleReader.read(ByteBuffer.wrap(pickle), ids);
      // Printing a hostile tree must stay bounded too (messages and test failures do it).
      assertThat(String.valueOf(root).length()).isLessThan(1 << 16);
    }

    @Override
    public Object root() {
      return root;
    }

    @Override
    public long storageNumel(String key) {
      TorchStorageRef ref = ids.roots().get(key);
      return ref == null ? -1 : ref.numel();
    }

    @Override
    public float[] loadStorage(TorchStorageRef ref, String tensorName)
        throws CheckpointFormatException {
      if (ref.numel() > MAX_FAKE_ELEMENTS) {
        throw CheckpointFormatException.forTensor(tensorName, "storage record not in the file");
      }
      return new float[(int) ref.numel()];
    }

    @Override
    public void close() {}
  }

  private static Path write(String name, byte[] data) {
    try {
      Path file = WORK.resolve(name);
      file.toFile().deleteOnExit(); // after the folder's registration, so deleted before it
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("ltrp-fuzz-checkpoint");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
