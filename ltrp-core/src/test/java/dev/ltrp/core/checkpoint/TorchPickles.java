package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.PickleBytes;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds PyTorch-style pickles and zip checkpoints by hand, for malformed-file tests. */
final class TorchPickles {

  private TorchPickles() {}

  /** A tensor rebuild call as torch.save emits it, appended to {@code p}. */
  static PickleBytes tensor(
      PickleBytes p,
      String key,
      String storageClass,
      long storageNumel,
      long offset,
      long[] size,
      long[] stride) {
    p.global("torch._utils", "_rebuild_tensor_v2")
        .mark()
        .mark()
        .str("storage")
        .global("torch", storageClass)
        .str(key)
        .str("cpu")
        .long1(storageNumel)
        .op('t')
        .op('Q');
    p.long1(offset);
    tuple(p, size);
    tuple(p, stride);
    p.op(0x89).global("collections", "OrderedDict").op(')').op('R');
    return p.op('t').op('R');
  }

  /** A float32 tensor viewing storage {@code key} of {@code numel} elements. */
  static PickleBytes f32(
      PickleBytes p, String key, long numel, long offset, long[] size, long[] stride) {
    return tensor(p, key, "FloatStorage", numel, offset, size, stride);
  }

  static PickleBytes tuple(PickleBytes p, long[] values) {
    p.mark();
    for (long v : values) {
      p.long1(v);
    }
    return p.op('t');
  }

  static long[] l(long... v) {
    return v;
  }

  /** {@code {"model": {names: tensors written by the emitters}}}. */
  static byte[] modelPickle(Map<String, java.util.function.UnaryOperator<PickleBytes>> tensors) {
    PickleBytes p = PickleBytes.proto(2).op('}').str("model").op('}').mark();
    tensors.forEach((name, emit) -> emit.apply(p.str(name)));
    return p.op('u').op('s').stop().bytes();
  }

  /** A zip checkpoint with folder {@code archive/}, the pickle, and the given records. */
  static byte[] zip(byte[] pickle, Map<String, byte[]> records) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", pickle);
    records.forEach((k, v) -> entries.put("archive/data/" + k, v));
    entries.put("archive/version", "3\n".getBytes());
    return CheckpointFixtures.zip(entries);
  }
}
