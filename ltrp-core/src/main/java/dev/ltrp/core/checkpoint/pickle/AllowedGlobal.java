package dev.ltrp.core.checkpoint.pickle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Python globals a checkpoint pickle may name, and what calling each one means here. Nothing is
 * ever called: each entry has a fixed, data-only interpretation implemented by the reader.
 */
enum AllowedGlobal {
  ORDERED_DICT("collections", "OrderedDict", Behavior.DICT),

  REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", Behavior.RECORD),
  REBUILD_TENSOR("torch._utils", "_rebuild_tensor", Behavior.RECORD),
  REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", Behavior.RECORD),
  REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state", Behavior.RECORD),

  FLOAT_STORAGE("torch", "FloatStorage", Behavior.NAME_ONLY),
  HALF_STORAGE("torch", "HalfStorage", Behavior.NAME_ONLY),
  BFLOAT16_STORAGE("torch", "BFloat16Storage", Behavior.NAME_ONLY),
  DOUBLE_STORAGE("torch", "DoubleStorage", Behavior.NAME_ONLY),
  LONG_STORAGE("torch", "LongStorage", Behavior.NAME_ONLY),
  INT_STORAGE("torch", "IntStorage", Behavior.NAME_ONLY),
  SHORT_STORAGE("torch", "ShortStorage", Behavior.NAME_ONLY),
  CHAR_STORAGE("torch", "CharStorage", Behavior.NAME_ONLY),
  BYTE_STORAGE("torch", "ByteStorage", Behavior.NAME_ONLY),
  BOOL_STORAGE("torch", "BoolStorage", Behavior.NAME_ONLY),

  TORCH_SIZE("torch", "Size", Behavior.TUPLE),

  // Inert data objects found in official training checkpoints: recorded, never constructed.
  NAMESPACE("argparse", "Namespace", Behavior.RECORD),
  NUMPY_SCALAR("numpy.core.multiarray", "scalar", Behavior.RECORD),
  NUMPY2_SCALAR("numpy._core.multiarray", "scalar", Behavior.RECORD),
  NUMPY_DTYPE("numpy", "dtype", Behavior.RECORD),

  // How protocol-2 pickles spell bytes and sets; interpreted here, not called.
  CODECS_ENCODE("_codecs", "encode", Behavior.LATIN1_BYTES),
  BYTES("builtins", "bytes", Behavior.EMPTY_BYTES),
  SET("builtins", "set", Behavior.SET),
  FROZENSET("builtins", "frozenset", Behavior.FROZENSET);

  /** What a REDUCE or NEWOBJ on the global produces. */
  enum Behavior {
    /** An empty {@link PyDict}; arguments must be empty. */
    DICT,
    /** A {@link PyInstance} recording the call. */
    RECORD,
    /** Not callable: the global only names a type (a PyTorch storage class). */
    NAME_ONLY,
    /** A {@link PyTuple} of the single tuple or list argument. */
    TUPLE,
    /** {@code _codecs.encode(text, "latin1")}: the bytes of a string of code points below 256. */
    LATIN1_BYTES,
    /** {@code bytes()}: empty bytes; arguments must be empty. */
    EMPTY_BYTES,
    /** A mutable {@link PySet} of the optional single iterable argument. */
    SET,
    /** A frozen {@link PySet} of the optional single iterable argument. */
    FROZENSET
  }

  private static final Map<String, AllowedGlobal> BY_NAME = new HashMap<>();

  static {
    for (AllowedGlobal g : values()) {
      BY_NAME.put(g.module + "." + g.name, g);
    }
  }

  final String module;
  final String name;
  final Behavior behavior;

  AllowedGlobal(String module, String name, Behavior behavior) {
    this.module = module;
    this.name = name;
    this.behavior = behavior;
  }

  /**
   * The entry for {@code module.name}; Python 2 module names that Python 3 maps on load ({@code
   * __builtin__}) are mapped the same way. Exact names only: no attribute paths are followed.
   */
  static Optional<AllowedGlobal> find(String module, String name) {
    String m = module.equals("__builtin__") ? "builtins" : module;
    return Optional.ofNullable(BY_NAME.get(m + "." + name));
  }

  PyGlobal toGlobal() {
    return new PyGlobal(module, name);
  }
}
