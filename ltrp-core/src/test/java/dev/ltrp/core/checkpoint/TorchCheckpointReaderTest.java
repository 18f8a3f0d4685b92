package dev.ltrp.core.checkpoint;

import static dev.ltrp.core.checkpoint.CheckpointFixtures.f32le;
import static dev.ltrp.core.checkpoint.CheckpointFixtures.thrownWithin;
import static dev.ltrp.core.checkpoint.TorchPickles.f32;
import static dev.ltrp.core.checkpoint.TorchPickles.l;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.checkpoint.pickle.PickleBytes;
import dev.ltrp.core.checkpoint.pickle.PyDict;
import dev.ltrp.core.checkpoint.pickle.PyInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointReaderTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "small_zip.pth",
        "small_legacy.pth",
        "small_deflated.pth",
        "views.pth",
        "views_legacy.pth",
        "views_bigendian.pth"
      })
  void readsEveryTensorExactly(String file) throws Exception {
    StateDict sd = TorchCheckpointReader.read(CheckpointFixtures.path(file));
    CheckpointFixtures.assertMatchesExpected(sd, file);
  }

  @Test
  void rebuildsViewsOfOneStorage() throws Exception {
    StateDict sd = TorchCheckpointReader.read(CheckpointFixtures.path("views.pth"));
    Tensor base = sd.require("base", 4, 6);
    Tensor transposed = sd.require("transposed", 6, 4);
    Tensor evenColumns = sd.require("even_columns", 4, 3);
    Tensor rows = sd.require("rows_from_2", 2, 6);
    Tensor column = sd.require("column_3", 4);
    for (int i = 0; i < 4; i++) {
      assertThat(column.get(i)).isEqualTo(base.get(i, 3));
      for (int j = 0; j < 6; j++) {
        assertThat(transposed.get(j, i)).isEqualTo(base.get(i, j));
      }
      for (int j = 0; j < 3; j++) {
        assertThat(evenColumns.get(i, j)).isEqualTo(base.get(i, 2 * j));
      }
    }
    assertThat(rows.toArray()).isEqualTo(Arrays.copyOfRange(base.toArray(), 12, 24));
    assertThat(sd.require("half_tail", 3).toArray())
        .isEqualTo(Arrays.copyOfRange(sd.require("half", 5).toArray(), 1, 4));
    assertThat(sd.require("half").sourceDType()).isEqualTo(DType.F16);
    assertThat(sd.require("bf16").sourceDType()).isEqualTo(DType.BF16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_zip.pth", "small_legacy.pth"})
  void exposesTheObjectTree(String file) throws Exception {
    PyDict root = (PyDict) TorchCheckpointReader.readObjectTree(CheckpointFixtures.path(file));
    assertThat(root.asMap().keySet()).containsExactly("model", "epoch", "args");
    assertThat(root.get("epoch")).hasValue(3L);
    PyInstance args = (PyInstance) root.get("args").orElseThrow();
    assertThat(args.type().qualifiedName()).isEqualTo("argparse.Namespace");
    PyDict state = (PyDict) args.state().orElseThrow();
    assertThat(state.asMap()).containsEntry("lr", 0.1).containsEntry("model", "tiny");
    PyDict model = (PyDict) root.get("model").orElseThrow();
    PyInstance weight = (PyInstance) model.get("linear.weight").orElseThrow();
    assertThat(weight.type().qualifiedName()).isEqualTo("torch._utils._rebuild_tensor_v2");
    TorchStorageRef storage = (TorchStorageRef) weight.args().get(0);
    assertThat(storage.dtype()).isEqualTo(DType.F32);
    assertThat(storage.numel()).isEqualTo(12);
    PyInstance param = (PyInstance) model.get("param").orElseThrow();
    assertThat(param.type().qualifiedName()).isEqualTo("torch._utils._rebuild_parameter");
  }

  static Stream<Arguments> hostileFiles() {
    return Stream.of(
        Arguments.of("hostile_os_system.pth", "os.system", 2L),
        Arguments.of("hostile_eval.pth", "builtins.eval", 29L),
        Arguments.of("hostile_popen.pth", "subprocess.Popen", 2L),
        Arguments.of("hostile_nested.pth", "os.system", 69L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFiles")
  void refusesHostileCheckpoints(String file, String global, long offset) {
    Path path = CheckpointFixtures.path(file);
    for (Throwable t :
        new Throwable[] {
          thrownWithin(() -> TorchCheckpointReader.read(path)),
          thrownWithin(() -> TorchCheckpointReader.readObjectTree(path)),
          thrownWithin(() -> Checkpoints.read(path))
        }) {
      assertThat(t)
          .isInstanceOf(UnsafePickleException.class)
          .hasMessage("pickle global " + global + " is not allowed (offset " + offset + ")");
    }
  }

  private Throwable readZip(byte[] pickle, Map<String, byte[]> records) throws Exception {
    Path p = CheckpointFixtures.write(dir, "crafted.pth", TorchPickles.zip(pickle, records));
    return thrownWithin(() -> TorchCheckpointReader.read(p));
  }

  private static Map<String, UnaryOperator<PickleBytes>> one(
      String name, UnaryOperator<PickleBytes> emit) {
    Map<String, UnaryOperator<PickleBytes>> m = new LinkedHashMap<>();
    m.put(name, emit);
    return m;
  }

  @Test
  void readsAHandWrittenCheckpoint() throws Exception {
    byte[] pickle = TorchPickles.modelPickle(one("w", p -> f32(p, "0", 6, 0, l(2, 3), l(3, 1))));
    Path p =
        CheckpointFixtures.write(
            dir, "ok.pth", TorchPickles.zip(pickle, Map.of("0", f32le(1, 2, 3, 4, 5, 6))));
    Tensor w = TorchCheckpointReader.read(p).require("w", 2, 3);
    assertThat(w.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  static Stream<Arguments> badTensors() {
    return Stream.of(
        Arguments.of(
            "view beyond its storage",
            one("blocks.0.w", p -> f32(p, "0", 4, 0, l(2, 3), l(3, 1))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "tensor blocks.0.w with storage offset 0, size [2, 3] and stride [3, 1] reaches"
                + " element 5 of storage 0, which has 4 elements"),
        Arguments.of(
            "storage offset beyond its storage",
            one("w", p -> f32(p, "0", 4, 10, l(1), l(1))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "tensor w with storage offset 10"),
        Arguments.of(
            "record missing",
            one("w", p -> f32(p, "7", 4, 0, l(4), l(1))),
            Map.of(),
            "tensor w refers to storage record archive/data/7, which the archive lacks"),
        Arguments.of(
            "record shorter than declared",
            one("w", p -> f32(p, "0", 4, 0, l(4), l(1))),
            Map.of("0", f32le(1, 2, 3)),
            "tensor w has storage record archive/data/0 of 12 bytes, but its 4 F32 elements"
                + " need 16"),
        Arguments.of(
            "storage too large for an array",
            one("w", p -> f32(p, "0", 0xFFFFFFFFL, 0, l(1), l(1))),
            Map.of("0", f32le(1)),
            "tensor w has a storage of 4294967295 elements, too large for a Java array"),
        Arguments.of(
            "size and stride of different rank",
            one("w", p -> f32(p, "0", 4, 0, l(2, 2), l(1))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "tensor w has size [2, 2] but stride [1]"),
        Arguments.of(
            "negative stride",
            one("w", p -> f32(p, "0", 4, 0, l(2), l(-1))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "tensor w has a stride that is not a non-negative integer: -1"),
        Arguments.of(
            "shape too large for an array",
            one("w", p -> f32(p, "0", 4, 0, l(0x7FFFFFFF, 0x7FFFFFFF), l(0, 0))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "too large for a Java array"),
        Arguments.of(
            "extent overflowing 64 bits",
            one(
                "w",
                p ->
                    f32(
                        p,
                        "0",
                        4,
                        0,
                        l(0x7FFFFFFF, 2, 2, 2),
                        l(0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "too large for a Java array"),
        Arguments.of(
            "not a storage class",
            one("w", p -> TorchPickles.tensor(p, "0", "Size", 4, 0, l(4), l(1))),
            Map.of("0", f32le(1, 2, 3, 4)),
            "torch.Size, which is not a storage class"),
        Arguments.of(
            "empty view far beyond its storage reads nothing",
            one("w", p -> f32(p, "0", 1, 1000, l(0, 3), l(3, 1))),
            Map.of("0", f32le(1)),
            null),
        Arguments.of(
            "non-tensor in the state dict",
            one("step", p -> p.integer(5)),
            Map.of(),
            "tensor step is a int, not a tensor"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTensors")
  void rejectsMalformedTensorsNamingThem(
      String what,
      Map<String, UnaryOperator<PickleBytes>> tensors,
      Map<String, byte[]> records,
      String message)
      throws Exception {
    Throwable t = readZip(TorchPickles.modelPickle(tensors), records);
    if (message == null) {
      assertThat(t).as(what).isNull();
    } else {
      assertThat(t)
          .as(what)
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining(message);
    }
  }

  @Test
  void rejectsConflictingStorageDeclarations() throws Exception {
    Map<String, UnaryOperator<PickleBytes>> m = one("a", p -> f32(p, "0", 4, 0, l(4), l(1)));
    m.put("b", p -> TorchPickles.tensor(p, "0", "HalfStorage", 4, 0, l(4), l(1)));
    assertThat(readZip(TorchPickles.modelPickle(m), Map.of("0", f32le(1, 2, 3, 4))))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("storage 0 is declared as 4 F32 elements and as 4 F16 elements");
  }

  @Test
  void readsOnlyTheStoragesOfTheStateDict() throws Exception {
    // An optimizer state whose storage record is absent: never needed, never read.
    PickleBytes p = PickleBytes.proto(2).op('}').str("model").op('}').str("w");
    f32(p, "0", 2, 0, l(2), l(1)).op('s').op('s');
    p.str("optimizer").op('}').str("m");
    f32(p, "1", 1000, 0, l(1000), l(1)).op('s').op('s').stop();
    Path file =
        CheckpointFixtures.write(
            dir, "opt.pth", TorchPickles.zip(p.bytes(), Map.of("0", f32le(5, 6))));
    assertThat(TorchCheckpointReader.read(file).require("w").toArray()).containsExactly(5, 6);
  }

  @Test
  void findsTheStateDictAtTheTopOrUnderModelOrStateDict() throws Exception {
    PickleBytes top = PickleBytes.proto(2).op('}').str("w");
    f32(top, "0", 2, 0, l(2), l(1)).op('s').stop();
    Path topFile =
        CheckpointFixtures.write(
            dir, "top.pth", TorchPickles.zip(top.bytes(), Map.of("0", f32le(1, 2))));
    assertThat(TorchCheckpointReader.read(topFile).names()).containsExactly("w");

    PickleBytes sd =
        PickleBytes.proto(2)
            .op('}')
            .str("epoch")
            .integer(1)
            .op('s')
            .str("state_dict")
            .op('}')
            .str("w");
    f32(sd, "0", 2, 0, l(2), l(1)).op('s').op('s').stop();
    Path sdFile =
        CheckpointFixtures.write(
            dir, "sd.pth", TorchPickles.zip(sd.bytes(), Map.of("0", f32le(1, 2))));
    assertThat(TorchCheckpointReader.read(sdFile).names()).containsExactly("w");
  }

  @Test
  void flattensOneLevelOfNestedDicts() throws Exception {
    PickleBytes p =
        PickleBytes.proto(2).op('}').str("model").op('}').str("encoder").op('}').str("w");
    f32(p, "0", 2, 0, l(2), l(1)).op('s').op('s');
    p.str("head");
    f32(p, "0", 2, 1, l(1), l(1)).op('s').op('s').stop();
    Path file =
        CheckpointFixtures.write(
            dir, "nested.pth", TorchPickles.zip(p.bytes(), Map.of("0", f32le(1, 2))));
    StateDict sd = TorchCheckpointReader.read(file);
    assertThat(sd.names()).containsExactly("encoder.w", "head");
    assertThat(sd.require("head").toArray()).containsExactly(2);
  }

  static Stream<Arguments> badArchives() {
    byte[] okPickle = TorchPickles.modelPickle(one("w", p -> f32(p, "0", 1, 0, l(1), l(1))));
    Map<String, byte[]> twoFolders = new LinkedHashMap<>();
    twoFolders.put("a/data.pkl", okPickle);
    twoFolders.put("b/data.pkl", okPickle);
    Map<String, byte[]> badOrder = new LinkedHashMap<>();
    badOrder.put("a/data.pkl", okPickle);
    badOrder.put("a/byteorder", "middle".getBytes());
    return Stream.of(
        Arguments.of(
            "no data.pkl",
            CheckpointFixtures.zip(Map.of("a/version", new byte[] {'3'})),
            "has no <folder>/data.pkl record"),
        Arguments.of("two folders", CheckpointFixtures.zip(twoFolders), "more than one top folder"),
        Arguments.of(
            "bad byteorder", CheckpointFixtures.zip(badOrder), "byteorder record says \"middle\""),
        Arguments.of(
            "a list at the top",
            TorchPickles.zip(PickleBytes.proto(2).op(']').stop().bytes(), Map.of()),
            "checkpoint holds a list, not a dict of tensors"),
        Arguments.of(
            "no state dict",
            TorchPickles.zip(
                PickleBytes.proto(2).op('}').str("epoch").integer(3).op('s').stop().bytes(),
                Map.of()),
            "checkpoint has no state dict"),
        Arguments.of(
            "model is not a dict",
            TorchPickles.zip(
                PickleBytes.proto(2).op('}').str("model").integer(3).op('s').stop().bytes(),
                Map.of()),
            "checkpoint entry \"model\" is a int, not a dict of tensors"),
        Arguments.of(
            "persistent id of the wrong shape",
            TorchPickles.zip(PickleBytes.proto(2).str("x").op('Q').stop().bytes(), Map.of()),
            "persistent id x is not a storage reference"),
        Arguments.of("not a zip or pickle", "hello world".getBytes(), "not a PyTorch checkpoint"),
        Arguments.of("empty", new byte[0], "file is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArchives")
  void rejectsMalformedArchives(String what, byte[] file, String message) throws Exception {
    Path p = CheckpointFixtures.write(dir, "bad.pth", file);
    assertThat(thrownWithin(() -> TorchCheckpointReader.read(p)))
        .as(what)
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_zip.pth", "small_legacy.pth", "views_legacy.pth"})
  void everyTruncationFailsCleanly(String file) throws Exception {
    byte[] whole = CheckpointFixtures.bytes(file);
    Path p = dir.resolve("truncated.pth");
    for (int n = 0; n < whole.length; n += file.contains("zip") ? 7 : 1) {
      Files.write(p, Arrays.copyOf(whole, n));
      assertThat(thrownWithin(() -> TorchCheckpointReader.read(p)))
          .as("%s cut to %d bytes", file, n)
          .isInstanceOf(CheckpointFormatException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_zip.pth", "small_legacy.pth", "views.pth"})
  void randomCorruptionFailsCleanlyOrReadsSomething(String file) throws Exception {
    byte[] whole = CheckpointFixtures.bytes(file);
    Path p = dir.resolve("corrupt.pth");
    SplittableRandom random = new SplittableRandom(file.hashCode());
    for (int trial = 0; trial < Integer.getInteger("fuzz.trials", 400); trial++) {
      byte[] mutated = whole.clone();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      Files.write(p, mutated);
      Throwable t = thrownWithin(() -> TorchCheckpointReader.read(p));
      if (t != null && !(t instanceof CheckpointFormatException)) {
        throw new AssertionError(file + " trial " + trial + " threw " + t, t);
      }
    }
  }
}
