package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.PyInstance;
import dev.ltrp.core.checkpoint.pickle.PyTuple;
import java.util.Arrays;
import java.util.Set;

/**
 * Interprets PyTorch's tensor rebuild calls ({@code _rebuild_tensor_v2}, {@code _rebuild_tensor},
 * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state}) as strided views of a storage,
 * checks them against the storage's size, and gathers their elements. Stateless.
 */
final class TorchTensors {

  /** Largest Java array: a few elements below {@code Integer.MAX_VALUE}. */
  static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /** Highest rank accepted (PyTorch's own limit is 64). */
  static final int MAX_RANK = 64;

  private static final Set<String> TENSORS =
      Set.of("torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor");
  private static final Set<String> PARAMETERS =
      Set.of("torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");

  private TorchTensors() {}

  /**
   * A validated strided view: element {@code (i0, ..., ik-1)} of the tensor is element {@code
   * offset + Σ ij·stride[j]} of the storage record, where {@code offset} already includes the
   * storage reference's own offset.
   */
  record View(
      String name, TorchStorageRef storage, long offset, int[] shape, long[] stride, int numel) {}

  /** Whether {@code value} is a tensor or parameter rebuild call. */
  static boolean isTensor(Object value) {
    return value instanceof PyInstance call
        && (TENSORS.contains(call.type().qualifiedName())
            || PARAMETERS.contains(call.type().qualifiedName()));
  }

  /**
   * Reads and validates the view that rebuild call {@code value} describes.
   *
   * @param name the tensor's name, for messages
   * @throws CheckpointFormatException naming the tensor if the arguments are malformed or the view
   *     reaches outside its storage
   */
  static View view(String name, Object value) throws CheckpointFormatException {
    PyInstance call = (PyInstance) value;
    if (PARAMETERS.contains(call.type().qualifiedName())) {
      // _rebuild_parameter(data, requires_grad, backward_hooks[, state]): unwrap once.
      Object data = call.args().size() >= 1 ? call.args().get(0) : null;
      if (!(data instanceof PyInstance inner && TENSORS.contains(inner.type().qualifiedName()))) {
        throw bad(name, call.type().name() + " does not wrap a tensor");
      }
      call = inner;
    }
    PyTuple args = call.args();
    boolean v2 = call.type().name().equals("_rebuild_tensor_v2");
    if (v2 ? args.size() < 6 || args.size() > 7 : args.size() != 4) {
      throw bad(name, call.type().name() + " has " + args.size() + " arguments");
    }
    if (!(args.get(0) instanceof TorchStorageRef storage)) {
      throw bad(
          name,
          "is not backed by a storage reference but by " + TorchPersistentIds.brief(args.get(0)));
    }
    long offset = nonNegative(name, args.get(1), "storage offset");
    long[] size = longs(name, args.get(2), "size");
    long[] stride = longs(name, args.get(3), "stride");
    if (size.length != stride.length) {
      throw bad(
          name, "has size " + Arrays.toString(size) + " but stride " + Arrays.toString(stride));
    }
    if (size.length > MAX_RANK) {
      throw bad(name, "has rank " + size.length + ", above " + MAX_RANK);
    }
    int[] shape = new int[size.length];
    long numel = 1;
    boolean empty = false;
    for (int i = 0; i < size.length; i++) {
      if (size[i] > Integer.MAX_VALUE) {
        throw bad(name, "has dimension " + size[i] + ", too large for a Java array");
      }
      shape[i] = (int) size[i];
      empty |= size[i] == 0;
    }
    long lastIndex = offset; // index of the last element, relative to the storage reference
    if (!empty) {
      for (int i = 0; i < size.length; i++) {
        numel = numel > MAX_ELEMENTS / size[i] ? Long.MAX_VALUE : numel * size[i];
        if (numel > MAX_ELEMENTS) {
          throw bad(name, "has shape " + Arrays.toString(size) + ", too large for a Java array");
        }
        lastIndex = addExact(name, lastIndex, multiplyExact(name, size[i] - 1, stride[i]));
      }
      if (lastIndex >= storage.numel()) {
        throw bad(
            name,
            "with storage offset "
                + offset
                + ", size "
                + Arrays.toString(size)
                + " and stride "
                + Arrays.toString(stride)
                + " reaches element "
                + lastIndex
                + " of storage "
                + storage.key()
                + ", which has "
                + storage.numel()
                + " elements");
      }
    } else {
      numel = 0;
    }
    return new View(name, storage, storage.offset() + offset, shape, stride, (int) numel);
  }

  /**
   * The tensor's elements gathered from the whole storage record {@code data}. Shares {@code data}
   * when the view is all of it in order (safe: tensors and decoded storages are never written).
   */
  static Tensor gather(View v, float[] data) {
    int rank = v.shape().length;
    if (v.numel() == 0) {
      return Tensor.wrap(v.shape(), new float[0], v.storage().dtype()); // offset never checked
    }
    if (isContiguous(v.shape(), v.stride())) {
      if (v.offset() == 0 && v.numel() == data.length) {
        return Tensor.wrap(v.shape(), data, v.storage().dtype());
      }
      int from = (int) v.offset();
      return Tensor.wrap(
          v.shape(), Arrays.copyOfRange(data, from, from + v.numel()), v.storage().dtype());
    }
    float[] out = new float[v.numel()];
    int[] index = new int[rank];
    long at = v.offset();
    for (int i = 0; i < out.length; i++) {
      out[i] = data[(int) at];
      for (int d = rank - 1; d >= 0; d--) {
        at += v.stride()[d];
        if (++index[d] < v.shape()[d]) {
          break;
        }
        at -= v.stride()[d] * v.shape()[d];
        index[d] = 0;
      }
    }
    return Tensor.wrap(v.shape(), out, v.storage().dtype());
  }

  /** Row-major contiguity; dimensions of size 1 may have any stride. */
  static boolean isContiguous(int[] shape, long[] stride) {
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  private static long[] longs(String name, Object v, String what) throws CheckpointFormatException {
    if (!(v instanceof PyTuple t)) {
      throw bad(name, "has a " + what + " that is not a tuple: " + TorchPersistentIds.brief(v));
    }
    if (t.size() > MAX_RANK) {
      throw bad(name, "has a " + what + " of " + t.size() + " dimensions, above " + MAX_RANK);
    }
    long[] out = new long[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = nonNegative(name, t.get(i), what);
    }
    return out;
  }

  private static long nonNegative(String name, Object v, String what)
      throws CheckpointFormatException {
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    throw bad(
        name,
        "has a " + what + " that is not a non-negative integer: " + TorchPersistentIds.brief(v));
  }

  private static long multiplyExact(String name, long a, long b) throws CheckpointFormatException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw bad(name, "has an extent that overflows 64 bits");
    }
  }

  private static long addExact(String name, long a, long b) throws CheckpointFormatException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw bad(name, "has an extent that overflows 64 bits");
    }
  }

  private static CheckpointFormatException bad(String name, String detail) {
    return CheckpointFormatException.forTensor(name, detail);
  }
}
