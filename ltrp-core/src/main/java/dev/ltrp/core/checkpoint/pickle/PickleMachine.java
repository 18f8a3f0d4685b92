package dev.ltrp.core.checkpoint.pickle;

import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.UnsafePickleException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * One run of the pickle virtual machine over one pickle. Single-use and not thread-safe; {@link
 * SafePickleReader} creates one per call.
 *
 * <p>Every length read from the input is checked against the bytes that remain before anything is
 * allocated, every opcode consumes at least one byte, and the stack, mark stack, memo and the
 * number of values pushed have hard caps, so memory is linear in the input (and capped) and the run
 * ends after at most one step per input byte. The machine itself is a loop; object-graph depth is
 * checked at STOP.
 */
final class PickleMachine {

  /** Largest stack: real pickles batch APPENDS/SETITEMS by 1000, so this is far above need. */
  static final int MAX_STACK = 1 << 20;

  /** Largest number of memo entries (a large model's state dict needs a few thousand). */
  static final int MAX_MEMO = 1 << 20;

  /**
   * Most values pushed in one run: bounds the objects a pickle can create, and so the memory it can
   * claim, well below what the input length alone would allow (a 16 MB pickle of one-byte opcodes
   * could otherwise create 16 million objects).
   */
  static final int MAX_VALUES = 1 << 22;

  /**
   * Most values copied by calls in one run. {@code torch.Size(list)}, {@code set(list)} and {@code
   * _codecs.encode(str, 'latin1')} copy their argument, and a pickle can apply them to the same
   * memoized large value over and over at a few bytes a call; without this cap that is quadratic
   * work from linear input (issue 5). Real checkpoints copy a few hundred values.
   */
  static final int MAX_COPIED = 1 << 22;

  /** Deepest MARK nesting and deepest object nesting. */
  static final int MAX_DEPTH = ObjectGraphCheck.MAX_DEPTH;

  /** Longest integer in LONG1/LONG4, in bytes (checkpoints hold at most 64-bit integers). */
  static final int MAX_LONG_BYTES = 256;

  /** Longest GLOBAL line (module or name), in bytes. */
  static final int MAX_LINE = 512;

  /** Highest pickle protocol. */
  static final int MAX_PROTOCOL = 5;

  private final ByteBuffer in;
  private final int limit;
  private final PersistentLoader loader;
  private int pos;
  private int opStart;
  private int pushed;
  private long copied;

  private final ArrayList<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final HashMap<Long, Object> memo = new HashMap<>();

  PickleMachine(ByteBuffer in, PersistentLoader loader) {
    this.in = in;
    this.pos = in.position();
    this.limit = in.limit();
    this.loader = loader;
  }

  /** Runs to STOP; leaves {@code in}'s position just after it. */
  Object run() throws CheckpointFormatException {
    while (true) {
      if (pos >= limit) {
        throw fail("pickle is truncated: the data ends before a STOP opcode");
      }
      opStart = pos;
      int op = in.get(pos++) & 0xFF;
      switch (op) {
        case 0x80 -> { // PROTO
          int version = u8();
          if (version > MAX_PROTOCOL) {
            throw fail("unsupported pickle protocol " + version);
          }
        }
        case 0x95 -> { // FRAME: only a read-ahead hint; its length must still be honest
          long n = u64();
          if (n > limit - pos) {
            throw fail(
                "frame of " + n + " bytes exceeds the " + (limit - pos) + " bytes that remain");
          }
        }
        case '.' -> { // STOP
          Object result = pop();
          in.position(pos);
          ObjectGraphCheck.check(result, opStart);
          return result;
        }
        case '(' -> pushMark();
        case '0' -> popOrDropMark(); // POP
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(peek()); // DUP
        case 'N' -> push(PyNone.NONE);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'J' -> push((long) i32()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) u16()); // BININT2
        case 0x8a -> push(integer(u8())); // LONG1
        case 0x8b -> { // LONG4: the size limit comes before the (possibly huge) length check
          int n = i32();
          if (n < 0) {
            throw fail("LONG4 has negative length " + n);
          }
          push(integer(n));
        }
        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(u64Raw()))); // BINFLOAT, BE
        case 'X' -> push(text(length(u32(), "BINUNICODE")));
        case 0x8c -> push(text(u8())); // SHORT_BINUNICODE
        case 0x8d -> push(text(length(u64(), "BINUNICODE8")));
        case 'T' -> push(text(length(i32(), "BINSTRING"))); // Python 2 str, read as UTF-8
        case 'U' -> push(text(u8())); // SHORT_BINSTRING
        case 'B' -> push(bytes(length(u32(), "BINBYTES")));
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e -> push(bytes(length(u64(), "BINBYTES8")));
        case 0x96 -> push(bytes(length(u64(), "BYTEARRAY8")));
        case ')' -> push(PyTuple.EMPTY);
        case 0x85 -> push(tupleOfTop(1));
        case 0x86 -> push(tupleOfTop(2));
        case 0x87 -> push(tupleOfTop(3));
        case 't' -> push(PyTuple.wrap(popMark()));
        case ']' -> push(new PyList());
        case 'l' -> { // LIST
          PyList list = new PyList();
          list.addAll(popMark());
          push(list);
        }
        case '}' -> push(new PyDict());
        case 'd' -> { // DICT
          PyDict dict = new PyDict();
          putAll(dict, popMark());
          push(dict);
        }
        case 0x8f -> push(new PySet(false)); // EMPTY_SET
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark();
          PySet set = peekAs(PySet.class, "ADDITEMS");
          if (set.isFrozen()) {
            throw fail("ADDITEMS on a frozenset");
          }
          set.addAll(items);
        }
        case 0x91 -> { // FROZENSET
          PySet set = new PySet(true);
          set.addAll(popMark());
          push(set);
        }
        case 'a' -> { // APPEND
          Object value = pop();
          peekAs(PyList.class, "APPEND").add(value);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          peekAs(PyList.class, "APPENDS").addAll(items);
        }
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          PyDict dict = peekAs(PyDict.class, "SETITEM");
          dict.put(checkKey(key), value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          putAll(peekAs(PyDict.class, "SETITEMS"), items);
        }
        case 'q' -> memoPut(u8()); // BINPUT
        case 'r' -> memoPut(u32()); // LONG_BINPUT
        case 0x94 -> memoPut(memo.size()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(u32())); // LONG_BINGET
        case 'c' -> { // GLOBAL
          String module = line();
          String name = line();
          push(resolve(module, name));
        }
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw fail(
                "STACK_GLOBAL needs two strings, got "
                    + typeName(module)
                    + " and "
                    + typeName(name));
          }
          push(resolve(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          Object callable = pop();
          push(call(callable, args, "REDUCE"));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          Object cls = pop();
          push(call(cls, args, "NEWOBJ"));
        }
        case 0x92 -> { // NEWOBJ_EX
          Object kwargs = pop();
          Object args = pop();
          Object cls = pop();
          if (!(kwargs instanceof PyDict d) || d.size() != 0) {
            throw fail("NEWOBJ_EX with keyword arguments is not supported");
          }
          push(call(cls, args, "NEWOBJ_EX"));
        }
        case 'b' -> build(pop(), peek()); // BUILD
        case 'Q' -> { // BINPERSID
          Object pid = pop();
          Object value = loader.load(pid, opStart);
          if (value == null) {
            throw fail("persistent id " + pid + " resolved to nothing");
          }
          push(value);
        }
        case 0x82, 0x83, 0x84 ->
            throw fail("pickle extension codes (EXT1/EXT2/EXT4) are not supported");
        case 0x97, 0x98 -> throw fail("out-of-band pickle buffers are not supported");
        case 'I', 'L', 'F', 'S', 'V', 'P', 'g', 'p', 'i', 'o' ->
            throw fail("text-mode pickle opcode '" + (char) op + "' (protocol 0) is not supported");
        default -> throw fail(String.format("invalid pickle opcode 0x%02x", op));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stack, marks, memo

  private void push(Object value) throws CheckpointFormatException {
    if (stack.size() >= MAX_STACK) {
      throw fail("pickle stack exceeds " + MAX_STACK + " items");
    }
    if (++pushed > MAX_VALUES) {
      throw fail("pickle creates more than " + MAX_VALUES + " values");
    }
    stack.add(value);
  }

  private int markBase() {
    return markCount == 0 ? 0 : marks[markCount - 1];
  }

  private Object pop() throws CheckpointFormatException {
    if (stack.size() <= markBase()) {
      throw fail("pickle stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws CheckpointFormatException {
    if (stack.size() <= markBase()) {
      throw fail("pickle stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private <T> T peekAs(Class<T> type, String opcode) throws CheckpointFormatException {
    Object top = peek();
    if (!type.isInstance(top)) {
      throw fail(opcode + " on a " + typeName(top));
    }
    return type.cast(top);
  }

  /** Python's POP: the top item, or the mark itself when nothing is above the last mark. */
  private void popOrDropMark() throws CheckpointFormatException {
    if (stack.size() > markBase()) {
      stack.remove(stack.size() - 1);
    } else if (markCount > 0) {
      markCount--;
    } else {
      throw fail("pickle stack underflow");
    }
  }

  private void pushMark() throws CheckpointFormatException {
    if (markCount >= MAX_DEPTH) {
      throw fail("pickle nests deeper than " + MAX_DEPTH + " MARKs");
    }
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  /** The items above the last mark, removed together with the mark. */
  private ArrayList<Object> popMark() throws CheckpointFormatException {
    if (markCount == 0) {
      throw fail("pickle opcode needs a MARK but there is none");
    }
    int base = marks[--markCount];
    List<Object> top = stack.subList(base, stack.size());
    ArrayList<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private PyTuple tupleOfTop(int n) throws CheckpointFormatException {
    ArrayList<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(null);
    }
    for (int i = n - 1; i >= 0; i--) {
      items.set(i, pop());
    }
    return PyTuple.wrap(items);
  }

  private void memoPut(long index) throws CheckpointFormatException {
    if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
      throw fail("pickle memo exceeds " + MAX_MEMO + " entries");
    }
    memo.put(index, peek());
  }

  private Object memoGet(long index) throws CheckpointFormatException {
    Object value = memo.get(index);
    if (value == null) {
      throw fail("pickle memo index " + index + " is not defined");
    }
    return value;
  }

  private void putAll(PyDict dict, List<Object> items) throws CheckpointFormatException {
    if (items.size() % 2 != 0) {
      throw fail("odd number of items (" + items.size() + ") for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      dict.put(checkKey(items.get(i)), items.get(i + 1));
    }
  }

  private Object checkKey(Object key) throws CheckpointFormatException {
    if (key instanceof String
        || key instanceof Long
        || key instanceof BigInteger
        || key instanceof Double
        || key instanceof Boolean
        || key instanceof PyNone
        || key instanceof PyBytes) {
      return key;
    }
    throw fail("unsupported dict key of type " + typeName(key));
  }

  // ---------------------------------------------------------------------------------------------
  // Globals and calls: resolved against the allow-list, interpreted, never executed

  private PyGlobal resolve(String module, String name) throws CheckpointFormatException {
    return AllowedGlobal.find(module, name)
        .orElseThrow(() -> new UnsafePickleException(printable(module + "." + name), opStart))
        .toGlobal();
  }

  private Object call(Object callable, Object args, String opcode)
      throws CheckpointFormatException {
    if (!(callable instanceof PyGlobal global)) {
      throw fail(opcode + " on a " + typeName(callable) + ", not a class or function");
    }
    if (!(args instanceof PyTuple tuple)) {
      throw fail(opcode + " arguments must be a tuple, got " + typeName(args));
    }
    AllowedGlobal allowed =
        AllowedGlobal.find(global.module(), global.name())
            .orElseThrow(() -> new UnsafePickleException(global.qualifiedName(), opStart));
    switch (allowed.behavior) {
      case DICT -> {
        requireNoArgs(global, tuple);
        return new PyDict();
      }
      case RECORD -> {
        return new PyInstance(global, tuple);
      }
      case TUPLE -> {
        if (tuple.size() == 1 && tuple.get(0) instanceof PyTuple inner) {
          return inner;
        }
        if (tuple.size() == 1 && tuple.get(0) instanceof PyList list) {
          charge(list.size());
          return PyTuple.wrap(new ArrayList<>(list.items()));
        }
        if (tuple.size() == 0) {
          return PyTuple.EMPTY;
        }
        throw fail(global.qualifiedName() + " needs one tuple or list argument");
      }
      case LATIN1_BYTES -> {
        return latin1(global, tuple);
      }
      case EMPTY_BYTES -> {
        requireNoArgs(global, tuple);
        return PyBytes.wrap(new byte[0]);
      }
      case SET, FROZENSET -> {
        PySet set = new PySet(allowed.behavior == AllowedGlobal.Behavior.FROZENSET);
        if (tuple.size() == 1 && tuple.get(0) instanceof PyList list) {
          charge(list.size());
          set.addAll(list.items());
        } else if (tuple.size() == 1 && tuple.get(0) instanceof PyTuple items) {
          charge(items.size());
          set.addAll(items.items());
        } else if (tuple.size() != 0) {
          throw fail(global.qualifiedName() + " needs no argument or one list");
        }
        return set;
      }
      case NAME_ONLY -> throw fail(global.qualifiedName() + " cannot be called in a pickle");
      default -> throw new AssertionError(allowed.behavior);
    }
  }

  /** Counts {@code n} values about to be copied by a call, against {@link #MAX_COPIED}. */
  private void charge(long n) throws CheckpointFormatException {
    copied += n;
    if (copied > MAX_COPIED) {
      throw fail(
          "pickle copies more than "
              + MAX_COPIED
              + " values in calls (the same large value converted over and over?)");
    }
  }

  private void requireNoArgs(PyGlobal global, PyTuple args) throws CheckpointFormatException {
    if (args.size() != 0) {
      throw fail(global.qualifiedName() + " with arguments is not supported");
    }
  }

  private PyBytes latin1(PyGlobal global, PyTuple args) throws CheckpointFormatException {
    if (args.size() != 2
        || !(args.get(0) instanceof String text)
        || !(args.get(1) instanceof String encoding)
        || !(encoding.equals("latin1") || encoding.equals("latin-1"))) {
      throw fail(global.qualifiedName() + " is only supported as encode(str, 'latin1')");
    }
    charge(text.length());
    byte[] out = new byte[text.length()];
    for (int i = 0; i < out.length; i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        throw fail("character U+" + Integer.toHexString(c) + " is not latin-1");
      }
      out[i] = (byte) c;
    }
    return PyBytes.wrap(out);
  }

  private void build(Object state, Object target) throws CheckpointFormatException {
    if (target instanceof PyInstance instance) {
      instance.setState(state);
    } else if (target instanceof PyDict) {
      // OrderedDict instance attributes (torch's _metadata): validated, then dropped.
      if (!(state instanceof PyDict || state instanceof PyTuple || state instanceof PyNone)) {
        throw fail("BUILD on a dict with state of type " + typeName(state));
      }
    } else {
      throw fail("BUILD on a " + typeName(target));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  private void need(long n) throws CheckpointFormatException {
    if (n > limit - pos) {
      throw fail("pickle is truncated: " + n + " bytes needed, " + (limit - pos) + " remain");
    }
  }

  private int u8() throws CheckpointFormatException {
    need(1);
    return in.get(pos++) & 0xFF;
  }

  private int u16() throws CheckpointFormatException {
    need(2);
    int v = (in.get(pos) & 0xFF) | (in.get(pos + 1) & 0xFF) << 8;
    pos += 2;
    return v;
  }

  private int i32() throws CheckpointFormatException {
    need(4);
    int v =
        (in.get(pos) & 0xFF)
            | (in.get(pos + 1) & 0xFF) << 8
            | (in.get(pos + 2) & 0xFF) << 16
            | (in.get(pos + 3) & 0xFF) << 24;
    pos += 4;
    return v;
  }

  private long u32() throws CheckpointFormatException {
    return i32() & 0xFFFFFFFFL;
  }

  /** Eight bytes, little-endian, as read (may be negative). */
  private long u64Raw() throws CheckpointFormatException {
    long lo = u32();
    long hi = u32();
    return lo | hi << 32;
  }

  /** An unsigned 64-bit length; values of 2^63 and above are reported as too large. */
  private long u64() throws CheckpointFormatException {
    long v = u64Raw();
    if (v < 0) {
      throw fail("length " + Long.toUnsignedString(v) + " exceeds the data");
    }
    return v;
  }

  private int length(long n, String opcode) throws CheckpointFormatException {
    if (n < 0) {
      throw fail(opcode + " has negative length " + n);
    }
    need(n);
    return (int) n;
  }

  private Object integer(int n) throws CheckpointFormatException {
    if (n > MAX_LONG_BYTES) {
      throw fail("integer of " + n + " bytes exceeds the limit of " + MAX_LONG_BYTES);
    }
    need(n);
    if (n == 0) {
      return 0L;
    }
    byte[] bigEndian = new byte[n];
    for (int i = 0; i < n; i++) {
      bigEndian[n - 1 - i] = in.get(pos + i);
    }
    pos += n;
    BigInteger v = new BigInteger(bigEndian);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private String text(int n) throws CheckpointFormatException {
    need(n);
    ByteBuffer slice = in.duplicate();
    slice.limit(pos + n).position(pos);
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(slice);
      pos += n;
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw fail("string is not valid UTF-8");
    }
  }

  private PyBytes bytes(int n) throws CheckpointFormatException {
    need(n);
    byte[] out = new byte[n];
    in.get(pos, out);
    pos += n;
    return PyBytes.wrap(out);
  }

  /** One newline-terminated line (GLOBAL operands), at most {@link #MAX_LINE} bytes. */
  private String line() throws CheckpointFormatException {
    int max = Math.min(limit, pos + MAX_LINE + 1);
    for (int i = pos; i < max; i++) {
      if (in.get(i) == '\n') {
        String s = text(i - pos);
        pos++; // the newline
        return s;
      }
    }
    throw fail(
        max == limit
            ? "pickle is truncated inside a GLOBAL operand"
            : "GLOBAL operand longer than " + MAX_LINE + " bytes");
  }

  // ---------------------------------------------------------------------------------------------

  private CheckpointFormatException fail(String detail) {
    return CheckpointFormatException.atOffset(detail, opStart);
  }

  /** A name fit for a message: control characters escaped, long names shortened. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return s.length() > 200 ? sb + "..." : sb.toString();
  }

  /** Python's name for the type of an unpickled value. */
  static String typeName(Object v) {
    if (v instanceof String) {
      return "str";
    } else if (v instanceof Long || v instanceof BigInteger) {
      return "int";
    } else if (v instanceof Double) {
      return "float";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof PyNone) {
      return "NoneType";
    } else if (v instanceof PyBytes) {
      return "bytes";
    } else if (v instanceof PyTuple) {
      return "tuple";
    } else if (v instanceof PyList) {
      return "list";
    } else if (v instanceof PyDict) {
      return "dict";
    } else if (v instanceof PySet s) {
      return s.isFrozen() ? "frozenset" : "set";
    } else if (v instanceof PyGlobal g) {
      return "global " + g.qualifiedName();
    } else if (v instanceof PyInstance o) {
      return o.type().qualifiedName() + " object";
    }
    return v == null ? "null" : v.getClass().getSimpleName();
  }
}
