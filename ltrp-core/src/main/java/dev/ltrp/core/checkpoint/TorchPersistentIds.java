package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.PersistentLoader;
import dev.ltrp.core.checkpoint.pickle.PyBytes;
import dev.ltrp.core.checkpoint.pickle.PyGlobal;
import dev.ltrp.core.checkpoint.pickle.PyNone;
import dev.ltrp.core.checkpoint.pickle.PyTuple;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The persistent-id loader of PyTorch pickles: turns {@code ('storage', <storage class>, key,
 * location, numel)} (zip files) or {@code ('storage', <storage class>, root_key, location, numel,
 * view_metadata)} (legacy files) into {@link TorchStorageRef}s, and remembers each storage's
 * declared type and size so that conflicting declarations are caught. Single-use, not thread-safe.
 */
final class TorchPersistentIds implements PersistentLoader {

  private static final Map<String, DType> STORAGE_TYPES =
      Map.of(
          "torch.FloatStorage", DType.F32,
          "torch.HalfStorage", DType.F16,
          "torch.BFloat16Storage", DType.BF16,
          "torch.DoubleStorage", DType.F64,
          "torch.LongStorage", DType.I64,
          "torch.IntStorage", DType.I32,
          "torch.ShortStorage", DType.I16,
          "torch.CharStorage", DType.I8,
          "torch.ByteStorage", DType.U8,
          "torch.BoolStorage", DType.BOOL);

  private final boolean legacy;
  private final Map<String, TorchStorageRef> roots = new HashMap<>();

  TorchPersistentIds(boolean legacy) {
    this.legacy = legacy;
  }

  /** The storages named so far, by key, each with offset 0 and its full size. */
  Map<String, TorchStorageRef> roots() {
    return roots;
  }

  @Override
  public Object load(Object pid, long offset) throws CheckpointFormatException {
    int arity = legacy ? 6 : 5;
    if (!(pid instanceof PyTuple t) || t.size() != arity || !"storage".equals(ascii(t.get(0)))) {
      throw CheckpointFormatException.atOffset(
          "persistent id "
              + brief(pid)
              + " is not a storage reference "
              + (legacy
                  ? "('storage', type, key, location, numel, view)"
                  : "('storage', type, key, location, numel)"),
          offset);
    }
    DType dtype = t.get(1) instanceof PyGlobal g ? STORAGE_TYPES.get(g.qualifiedName()) : null;
    if (dtype == null) {
      throw CheckpointFormatException.atOffset(
          "persistent id names storage type " + brief(t.get(1)) + ", which is not a storage class",
          offset);
    }
    String key = ascii(t.get(2));
    if (key == null || key.isEmpty() || key.length() > 256) {
      throw CheckpointFormatException.atOffset("invalid storage key " + brief(t.get(2)), offset);
    }
    long numel = nonNegative(t.get(4), "storage size", offset);
    TorchStorageRef root = new TorchStorageRef(key, dtype, 0, numel);
    TorchStorageRef known = roots.putIfAbsent(key, root);
    if (known != null && !known.equals(root)) {
      throw CheckpointFormatException.atOffset(
          "storage "
              + key
              + " is declared as "
              + known.numel()
              + " "
              + known.dtype()
              + " elements and as "
              + numel
              + " "
              + dtype
              + " elements",
          offset);
    }
    if (legacy && !(t.get(5) instanceof PyNone)) {
      // Pre-0.4 storage view: (view_key, offset, size) within the root storage.
      if (!(t.get(5) instanceof PyTuple view) || view.size() != 3) {
        throw CheckpointFormatException.atOffset("invalid storage view " + brief(t.get(5)), offset);
      }
      long viewOffset = nonNegative(view.get(1), "storage view offset", offset);
      long viewNumel = nonNegative(view.get(2), "storage view size", offset);
      if (viewOffset > numel || viewNumel > numel - viewOffset) {
        throw CheckpointFormatException.atOffset(
            "storage view ["
                + viewOffset
                + ", "
                + viewOffset
                + " + "
                + viewNumel
                + ") exceeds storage "
                + key
                + " of "
                + numel
                + " elements",
            offset);
      }
      return new TorchStorageRef(key, dtype, viewOffset, viewNumel);
    }
    return root;
  }

  /** A short description of a value from the file, for messages. */
  static String brief(Object v) {
    String s = String.valueOf(v);
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** A str, or ASCII bytes as Python 2 pickles spell strings; null otherwise. */
  private static String ascii(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof PyBytes b) {
      return new String(b.toByteArray(), StandardCharsets.US_ASCII);
    }
    return null;
  }

  private static long nonNegative(Object v, String what, long offset)
      throws CheckpointFormatException {
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    throw CheckpointFormatException.atOffset(
        what + " " + brief(v) + " is not a non-negative integer", offset);
  }
}
