package dev.ltrp.core.checkpoint.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.UnsafePickleException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafePickleReaderTest {

  private static final Duration LIMIT = Duration.ofSeconds(5);

  static byte[] plainPickle(int protocol) throws Exception {
    try (InputStream in =
        SafePickleReaderTest.class.getResourceAsStream("/checkpoints/plain_pickles.json")) {
      JsonNode json = new ObjectMapper().readTree(in);
      return HexFormat.of().parseHex(json.get("protocol_" + protocol).textValue());
    }
  }

  private static Object read(byte[] pickle) throws CheckpointFormatException {
    return assertTimeoutPreemptively(LIMIT, () -> SafePickleReader.read(pickle));
  }

  private static Object field(PyDict d, Object key) {
    return d.get(key).orElseThrow(() -> new AssertionError("no key " + key));
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {2, 3, 4, 5})
  void readsEveryPlainValueThatCPythonPickles(int protocol) throws Exception {
    PyDict d = (PyDict) read(plainPickle(protocol));

    assertThat(d.asMap().keySet())
        .containsExactly(
            "none",
            "true",
            "false",
            "ints",
            "floats",
            "str",
            "long_str",
            "empty_str",
            "bytes",
            "long_bytes",
            "empty_bytes",
            "tuples",
            "set",
            "frozenset",
            "nested",
            "shared",
            "ordered",
            5L);
    assertThat(field(d, "none")).isSameAs(PyNone.NONE);
    assertThat(field(d, "true")).isEqualTo(true);
    assertThat(field(d, "false")).isEqualTo(false);
    assertThat(((PyList) field(d, "ints")).items())
        .containsExactly(
            0L,
            1L,
            -1L,
            255L,
            256L,
            65535L,
            65536L,
            -(1L << 31),
            (1L << 31) - 1,
            1L << 31,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            BigInteger.TWO.pow(64),
            BigInteger.TWO.pow(70).negate().subtract(BigInteger.valueOf(5)));
    List<Object> floats = ((PyList) field(d, "floats")).items();
    assertThat(floats).containsExactly(0.0, -0.0, 1.5, 1e-300, Double.POSITIVE_INFINITY);
    assertThat(Double.doubleToRawLongBits((Double) floats.get(1))).isEqualTo(1L << 63);
    assertThat(field(d, "str")).isEqualTo("h\u00e9llo \u2713");
    assertThat(field(d, "long_str")).isEqualTo("x".repeat(300));
    assertThat(field(d, "empty_str")).isEqualTo("");
    assertThat(field(d, "bytes"))
        .isEqualTo(PyBytes.of(new byte[] {0, (byte) 0xff, ' ', 'a', 'b', 'c'}));
    byte[] longBytes = new byte[512];
    for (int i = 0; i < 512; i++) {
      longBytes[i] = (byte) i;
    }
    assertThat(field(d, "long_bytes")).isEqualTo(PyBytes.of(longBytes));
    assertThat(field(d, "empty_bytes")).isEqualTo(PyBytes.of(new byte[0]));
    assertThat(((PyList) field(d, "tuples")).items())
        .containsExactly(
            PyTuple.of(),
            PyTuple.of(1L),
            PyTuple.of(1L, 2L),
            PyTuple.of(1L, 2L, 3L),
            PyTuple.of(1L, 2L, 3L, 4L));
    PySet set = (PySet) field(d, "set");
    assertThat(set.isFrozen()).isFalse();
    assertThat(set.items()).containsExactly(3L);
    PySet frozen = (PySet) field(d, "frozenset");
    assertThat(frozen.isFrozen()).isTrue();
    assertThat(frozen.items()).containsExactly(4L);

    PyDict inner = (PyDict) ((PyList) field((PyDict) field(d, "nested"), "a")).get(0);
    assertThat(field(inner, "b")).isEqualTo(PyTuple.of(PyNone.NONE));
    PyList shared = (PyList) field(d, "shared");
    assertThat(shared.get(0)).isSameAs(shared.get(1)); // the memo preserves sharing
    assertThat(((PyList) shared.get(0)).items()).containsExactly(1L, 2L);
    PyDict ordered = (PyDict) field(d, "ordered");
    assertThat(ordered.asMap()).containsExactly(Map.entry("z", 1L), Map.entry("a", 2L));
    assertThat(field(d, 5L)).isEqualTo("int key");
  }

  @Test
  void leavesTheBufferAfterStopSoThatPicklesCanBeChained() throws Exception {
    byte[] one = PickleBytes.proto(2).integer(7).stop().bytes();
    byte[] two = PickleBytes.proto(2).str("next").stop().bytes();
    ByteBuffer buf = ByteBuffer.allocate(one.length + two.length + 3).put(one).put(two);
    buf.flip();
    assertThat(SafePickleReader.read(buf, PersistentLoader.NONE)).isEqualTo(7L);
    assertThat(buf.position()).isEqualTo(one.length);
    assertThat(SafePickleReader.read(buf, PersistentLoader.NONE)).isEqualTo("next");
    assertThat(buf.position()).isEqualTo(one.length + two.length);
  }

  @Test
  void recordsAllowListedCallsWithoutRunningThem() throws Exception {
    byte[] p =
        PickleBytes.proto(2)
            .global("argparse", "Namespace")
            .op(')')
            .op(0x81) // NEWOBJ
            .op('}')
            .str("lr")
            .op('G')
            .raw(0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a)
            .op('s')
            .op('b') // BUILD
            .stop()
            .bytes();
    PyInstance ns = (PyInstance) read(p);
    assertThat(ns.type().qualifiedName()).isEqualTo("argparse.Namespace");
    assertThat(ns.args().size()).isZero();
    assertThat(field((PyDict) ns.state().orElseThrow(), "lr")).isEqualTo(0.1);
    assertThat(ns.toString()).isEqualTo("argparse.Namespace() with state {'lr': 0.1}");
  }

  @Test
  void passesPersistentIdsToTheLoader() throws Exception {
    byte[] p = PickleBytes.proto(2).mark().str("storage").integer(3).op('t').op('Q').stop().bytes();
    List<Object> seen = new ArrayList<>();
    Object result =
        SafePickleReader.read(
            ByteBuffer.wrap(p),
            (pid, offset) -> {
              seen.add(pid);
              seen.add(offset);
              return "loaded";
            });
    assertThat(result).isEqualTo("loaded");
    assertThat(seen).containsExactly(PyTuple.of("storage", 3L), 18L);
    assertThatThrownBy(() -> SafePickleReader.read(p))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("unexpected persistent id");
  }

  static Stream<Arguments> hostileGlobals() {
    return Stream.of(
        Arguments.of(
            PickleBytes.proto(2).global("os", "system").str("true").op(0x85).op('R').stop().bytes(),
            "os.system",
            2),
        Arguments.of(
            PickleBytes.proto(2)
                .global("posix", "system")
                .str("id")
                .op(0x85)
                .op('R')
                .stop()
                .bytes(),
            "posix.system",
            2),
        Arguments.of(
            PickleBytes.proto(4).shortStr("builtins").shortStr("eval").op(0x93).stop().bytes(),
            "builtins.eval",
            18),
        Arguments.of(
            PickleBytes.proto(2).global("__builtin__", "eval").stop().bytes(),
            "__builtin__.eval",
            2),
        Arguments.of(
            PickleBytes.proto(2).global("builtins", "getattr").stop().bytes(),
            "builtins.getattr",
            2),
        Arguments.of(
            PickleBytes.proto(2).global("subprocess", "Popen").stop().bytes(),
            "subprocess.Popen",
            2),
        Arguments.of(
            PickleBytes.proto(2).global("torch.storage", "_load_from_bytes").stop().bytes(),
            "torch.storage._load_from_bytes",
            2),
        Arguments.of(
            PickleBytes.proto(2).global("numpy.core.multiarray", "_reconstruct").stop().bytes(),
            "numpy.core.multiarray._reconstruct",
            2),
        // attribute paths are not followed, even from an allowed module
        Arguments.of(
            PickleBytes.proto(4)
                .shortStr("collections")
                .shortStr("OrderedDict.__init__.__globals__")
                .op(0x93)
                .stop()
                .bytes(),
            "collections.OrderedDict.__init__.__globals__",
            49),
        // an allowed global after a disallowed one is never reached
        Arguments.of(
            PickleBytes.proto(2)
                .global("collections", "OrderedDict")
                .op(')')
                .op('R')
                .str("k")
                .global("os", "system")
                .stop()
                .bytes(),
            "os.system",
            35));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("hostileGlobals")
  void rejectsGlobalsOutsideTheAllowList(byte[] pickle, String global, long offset) {
    Throwable t = assertTimeoutPreemptively(LIMIT, () -> catchIt(pickle));
    assertThat(t)
        .isInstanceOf(UnsafePickleException.class)
        .hasMessage("pickle global " + global + " is not allowed (offset " + offset + ")");
    assertThat(((UnsafePickleException) t).global()).isEqualTo(global);
    assertThat(((UnsafePickleException) t).byteOffset()).hasValue(offset);
  }

  @Test
  void escapesControlCharactersInRejectedNames() {
    byte[] p = PickleBytes.proto(4).shortStr("os\u0007").shortStr("system").op(0x93).stop().bytes();
    assertThat(catchIt(p))
        .isInstanceOf(UnsafePickleException.class)
        .hasMessageContaining("os\\x07.system");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty", new byte[0], "truncated"),
        Arguments.of("no STOP", PickleBytes.proto(2).integer(1).bytes(), "truncated"),
        Arguments.of(
            "truncated BININT", PickleBytes.proto(2).op('J').raw(1, 2).bytes(), "truncated"),
        Arguments.of(
            "protocol 6",
            PickleBytes.proto(6).op('N').stop().bytes(),
            "unsupported pickle protocol 6"),
        Arguments.of(
            "invalid opcode", PickleBytes.proto(2).op(0xff).bytes(), "invalid pickle opcode 0xff"),
        Arguments.of(
            "text opcode",
            PickleBytes.empty().op('I').raw("1\n".getBytes()).bytes(),
            "text-mode pickle opcode 'I'"),
        Arguments.of(
            "extension code",
            PickleBytes.proto(2).op(0x82).raw(1).stop().bytes(),
            "extension codes"),
        Arguments.of(
            "stack underflow", PickleBytes.proto(2).op('0').stop().bytes(), "stack underflow"),
        Arguments.of("STOP on empty stack", PickleBytes.proto(2).stop().bytes(), "stack underflow"),
        Arguments.of(
            "pop below a mark",
            PickleBytes.proto(2).integer(1).mark().op('a').bytes(),
            "stack underflow"),
        Arguments.of(
            "APPENDS without MARK", PickleBytes.proto(2).op(']').op('e').bytes(), "needs a MARK"),
        Arguments.of(
            "APPEND to a dict",
            PickleBytes.proto(2).op('}').integer(1).op('a').bytes(),
            "APPEND on a dict"),
        Arguments.of(
            "SETITEMS with odd items",
            PickleBytes.proto(2).op('}').mark().integer(1).op('u').bytes(),
            "odd number of items"),
        Arguments.of(
            "list as dict key",
            PickleBytes.proto(2).op('}').op(']').integer(1).op('s').bytes(),
            "unsupported dict key of type list"),
        Arguments.of(
            "tuple as dict key",
            PickleBytes.proto(2).op('}').op(')').integer(1).op('s').bytes(),
            "unsupported dict key of type tuple"),
        Arguments.of(
            "undefined memo index",
            PickleBytes.proto(2).op('h').raw(3).stop().bytes(),
            "memo index 3 is not defined"),
        Arguments.of(
            "absurd memo index",
            PickleBytes.proto(2).op('j').u32(0xFFFFFFFFL).stop().bytes(),
            "memo index 4294967295 is not defined"),
        Arguments.of(
            "BINUNICODE longer than the data",
            PickleBytes.proto(2).op('X').u32(0xFFFFFFF0L).raw('a').bytes(),
            "4294967280 bytes needed, 1 remain"),
        Arguments.of(
            "BINUNICODE8 of 2^64-1",
            PickleBytes.proto(4).op(0x8d).u64(-1).bytes(),
            "exceeds the data"),
        Arguments.of(
            "BINBYTES8 longer than the data",
            PickleBytes.proto(4).op(0x8e).u64(1L << 40).bytes(),
            "truncated"),
        Arguments.of(
            "negative BINSTRING",
            PickleBytes.proto(2).op('T').u32(0xFFFFFFFFL).bytes(),
            "negative length"),
        Arguments.of(
            "invalid UTF-8",
            PickleBytes.proto(2).op('X').u32(2).raw(0xc3, 0x28).stop().bytes(),
            "not valid UTF-8"),
        Arguments.of(
            "huge LONG4",
            PickleBytes.proto(2).op(0x8b).u32(0x7FFFFFFF).bytes(),
            "integer of 2147483647 bytes exceeds the limit"),
        Arguments.of(
            "frame longer than the data",
            PickleBytes.proto(4).op(0x95).u64(1000).op('N').stop().bytes(),
            "frame of 1000 bytes exceeds"),
        Arguments.of(
            "GLOBAL without newline",
            PickleBytes.proto(2).op('c').raw("os".getBytes()).bytes(),
            "truncated inside a GLOBAL operand"),
        Arguments.of(
            "GLOBAL operand too long",
            PickleBytes.proto(2).op('c').raw("a".repeat(10_000).getBytes()).raw('\n').bytes(),
            "longer than 512 bytes"),
        Arguments.of(
            "STACK_GLOBAL of ints",
            PickleBytes.proto(4).integer(1).integer(2).op(0x93).bytes(),
            "STACK_GLOBAL needs two strings"),
        Arguments.of(
            "REDUCE on a string",
            PickleBytes.proto(2).str("os.system").op(')').op('R').bytes(),
            "REDUCE on a str"),
        Arguments.of(
            "REDUCE with a list of arguments",
            PickleBytes.proto(2).global("argparse", "Namespace").op(']').op('R').bytes(),
            "arguments must be a tuple"),
        Arguments.of(
            "calling a storage class",
            PickleBytes.proto(2).global("torch", "FloatStorage").op(')').op('R').bytes(),
            "torch.FloatStorage cannot be called"),
        Arguments.of(
            "OrderedDict with arguments",
            PickleBytes.proto(2)
                .global("collections", "OrderedDict")
                .integer(1)
                .op(0x85)
                .op('R')
                .bytes(),
            "with arguments is not supported"),
        Arguments.of(
            "codecs.encode other than latin1",
            PickleBytes.proto(2)
                .global("_codecs", "encode")
                .str("x")
                .str("rot13")
                .op(0x86)
                .op('R')
                .bytes(),
            "only supported as encode(str, 'latin1')"),
        Arguments.of(
            "BUILD on a list",
            PickleBytes.proto(2).op(']').op('}').op('b').bytes(),
            "BUILD on a list"),
        Arguments.of(
            "NEWOBJ_EX with kwargs",
            PickleBytes.proto(4)
                .global("argparse", "Namespace")
                .op(')')
                .op('}')
                .str("k")
                .integer(1)
                .op('s')
                .op(0x92)
                .bytes(),
            "keyword arguments"),
        Arguments.of("out-of-band buffer", PickleBytes.proto(5).op(0x97).bytes(), "out-of-band"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedPicklesWithASpecificMessage(String what, byte[] pickle, String message) {
    Throwable t = assertTimeoutPreemptively(LIMIT, () -> catchIt(pickle));
    assertThat(t)
        .as(what)
        .isExactlyInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("(offset ");
  }

  @Test
  void rejectsDeepMarkNesting() {
    PickleBytes p = PickleBytes.proto(2);
    for (int i = 0; i < 100_000; i++) {
      p.mark();
    }
    assertThat(catchIt(p.bytes()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("deeper than 256 MARKs");
  }

  @Test
  void rejectsDeepObjectNestingBuiltWithoutMarks() {
    // One byte per level: TUPLE1 wraps the top of the stack again and again.
    PickleBytes p = PickleBytes.proto(2).op('N');
    for (int i = 0; i < 1_000_000; i++) {
      p.op(0x85);
    }
    assertThat(catchIt(p.stop().bytes()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("nest deeper than 256 levels");
  }

  @Test
  void rejectsDeepNestingBuiltThroughTheMemo() {
    // Lists created first, then each appended to the previous one: depth grows after creation.
    int n = 10_000;
    PickleBytes p = PickleBytes.proto(2);
    for (int i = 0; i < n; i++) {
      p.op(']').op('r').u32(i).op('0');
    }
    for (int i = 0; i + 1 < n; i++) {
      p.op('j').u32(i).op('j').u32(i + 1).op('a').op('0');
    }
    p.op('j').u32(0).stop();
    assertThat(catchIt(p.bytes()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("nest deeper than 256 levels");
  }

  @Test
  void rejectsReferenceCycles() {
    byte[] p = PickleBytes.proto(2).op(']').op('q').raw(0).op('h').raw(0).op('a').stop().bytes();
    assertThat(catchIt(p))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("reference cycle");
  }

  @Test
  void acceptsSharedStructureInLinearTimeAndPrintsItBriefly() throws Exception {
    // t(k) = (t(k-1), t(k-1)): 2^200 paths, 200 objects.
    PickleBytes p = PickleBytes.proto(2).op('N');
    for (int i = 0; i < 200; i++) {
      p.op('2').op(0x86);
    }
    Object tree = read(p.stop().bytes());
    assertThat(tree.toString()).hasSizeLessThan(200);
  }

  /**
   * Found by fuzzing: nested frozensets of one 480-digit integer printed as 87,560 characters from
   * 344 bytes. Here: a tuple of 8 tuples of 8 tuples of 8 such integers, 246,000 characters before
   * the fix. The text now stops at {@link PyRepr#MAX_LENGTH}.
   */
  @Test
  void printsATreeOfLongIntegersBriefly() throws Exception {
    byte[] digits = new byte[200];
    java.util.Arrays.fill(digits, (byte) 0x5A);
    PickleBytes p =
        PickleBytes.proto(2).op(0x8A).raw(digits.length).raw(digits).op('q').raw(0).op('0');
    for (int level = 0; level < 3; level++) {
      p.mark();
      for (int i = 0; i < 8; i++) {
        p.op('h').raw(level);
      }
      p.op('t');
      if (level < 2) {
        p.op('q').raw(level + 1).op('0');
      }
    }
    Object tree = read(p.stop().bytes());
    assertThat(tree.toString())
        .hasSizeLessThanOrEqualTo(PyRepr.MAX_LENGTH + 3)
        .endsWith("...")
        .startsWith("(((" + new java.math.BigInteger(1, digits));
  }

  @Test
  void capsTheStack() {
    PickleBytes p = PickleBytes.proto(2);
    for (int i = 0; i < (1 << 20) + 1; i++) {
      p.op('N');
    }
    assertThat(catchIt(p.bytes()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("stack exceeds 1048576 items");
  }

  @Test
  void capsTheNumberOfValues() {
    // A flat list of five million small ints, in APPENDS batches as CPython writes lists.
    PickleBytes p = PickleBytes.proto(2).op(']');
    for (int batch = 0; batch < 5000; batch++) {
      p.mark();
      for (int i = 0; i < 1000; i++) {
        p.integer(i & 0x7F);
      }
      p.op('e');
    }
    assertThat(catchIt(p.stop().bytes()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("creates more than 4194304 values");
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {2, 4})
  void everyTruncationFailsCleanly(int protocol) throws Exception {
    byte[] whole = plainPickle(protocol);
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int n = 0; n < whole.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, n);
            assertThat(catchIt(prefix))
                .as("prefix of %d bytes", n)
                .isInstanceOf(CheckpointFormatException.class);
          }
        });
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
    byte[] whole = plainPickle(4);
    SplittableRandom random = new SplittableRandom(20240601);
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int trial = 0; trial < 5000; trial++) {
            byte[] mutated = whole.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
              mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            Throwable t = catchIt(mutated);
            if (t != null && !(t instanceof CheckpointFormatException)) {
              throw new AssertionError("trial " + trial + " threw " + t, t);
            }
          }
        });
  }

  private static Throwable catchIt(byte[] pickle) {
    try {
      SafePickleReader.read(pickle);
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
