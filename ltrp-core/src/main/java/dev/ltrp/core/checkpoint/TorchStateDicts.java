package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.PyDict;
import dev.ltrp.core.checkpoint.pickle.SafePickleReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state dict in a PyTorch checkpoint's object tree and materializes its tensors.
 *
 * <p>The state dict is the top-level dict itself if all its values are tensors, else the dict under
 * {@code "model"}, else under {@code "state_dict"}; other top-level entries (epoch, optimizer,
 * args, ...) are ignored and their storages never read. Inside the state dict a value may be a
 * tensor or a dict of tensors, flattened as {@code outer.inner} (one level only); any other value
 * is an error naming it. Stateless.
 */
final class TorchStateDicts {

  private TorchStateDicts() {}

  static StateDict extract(TorchArchive archive) throws IOException {
    PyDict stateDict = select(archive.root());
    List<TorchTensors.View> views = new ArrayList<>();
    for (Map.Entry<Object, Object> e : stateDict.asMap().entrySet()) {
      String name = key(e.getKey(), null);
      if (TorchTensors.isTensor(e.getValue())) {
        views.add(TorchTensors.view(name, e.getValue()));
      } else if (e.getValue() instanceof PyDict inner) {
        for (Map.Entry<Object, Object> ie : inner.asMap().entrySet()) {
          String innerName = name + "." + key(ie.getKey(), name);
          if (!TorchTensors.isTensor(ie.getValue())) {
            throw CheckpointFormatException.forTensor(
                innerName, "is a " + describe(ie.getValue()) + ", not a tensor");
          }
          views.add(TorchTensors.view(innerName, ie.getValue()));
        }
      } else {
        throw CheckpointFormatException.forTensor(
            name, "is a " + describe(e.getValue()) + ", not a tensor");
      }
    }
    return materialize(archive, views);
  }

  /**
   * Elements that views may repeat beyond the stored ones, over the whole file (4 MiB of float32):
   * room for an expanded bias or position table, not for a 1 GiB tensor made from one stored
   * element.
   */
  static final long MAX_REPEATED_ELEMENTS = 1 << 20;

  private static PyDict select(Object root) throws CheckpointFormatException {
    if (!(root instanceof PyDict top)) {
      throw new CheckpointFormatException(
          "checkpoint holds a " + describe(root) + ", not a dict of tensors");
    }
    if (top.size() > 0 && top.asMap().values().stream().allMatch(TorchTensors::isTensor)) {
      return top;
    }
    for (String key : new String[] {"model", "state_dict"}) {
      Object value = top.get(key).orElse(null);
      if (value instanceof PyDict d) {
        return d;
      }
      if (value != null) {
        throw new CheckpointFormatException(
            "checkpoint entry \"" + key + "\" is a " + describe(value) + ", not a dict of tensors");
      }
    }
    List<String> keys = new ArrayList<>();
    top.asMap().keySet().forEach(k -> keys.add(TorchPersistentIds.brief(k)));
    throw new CheckpointFormatException(
        "checkpoint has no state dict: its top-level dict is not a dict of tensors and has no"
            + " \"model\" or \"state_dict\" entry (keys: "
            + CheckpointMismatchException.list(keys)
            + ")");
  }

  /**
   * Loads each needed storage once, gathers the tensors in order, and drops each storage after its
   * last tensor, so that peak memory is the tensors plus the storages in use.
   */
  private static StateDict materialize(TorchArchive archive, List<TorchTensors.View> views)
      throws IOException {
    Map<String, Integer> remainingUses = new HashMap<>();
    for (TorchTensors.View v : views) {
      remainingUses.merge(v.storage().key(), 1, Integer::sum);
    }
    Map<String, float[]> loaded = new HashMap<>();
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    long storedElements = 0;
    long copiedElements = 0;
    for (TorchTensors.View v : views) {
      String key = v.storage().key();
      float[] data = loaded.get(key);
      if (data == null) {
        TorchStorageRef root =
            new TorchStorageRef(key, v.storage().dtype(), 0, archive.storageNumel(key));
        data = archive.loadStorage(root, v.name());
        loaded.put(key, data);
        storedElements += data.length;
      }
      // A view with stride 0 (what expand() leaves), or many tensors viewing the same part of a
      // storage, repeat stored elements: a few bytes of pickle could so ask for gigabytes
      // (issue 5). Views that share their whole storage are not copied and cost nothing; views
      // that split a storage (fused qkv weights, flat parameter buffers) cost what it stores,
      // and their storage is counted before them, so real checkpoints stay far below the limit.
      boolean shared =
          v.offset() == 0
              && v.numel() == data.length
              && TorchTensors.isContiguous(v.shape(), v.stride());
      copiedElements += shared ? 0 : v.numel();
      if (copiedElements > storedElements + MAX_REPEATED_ELEMENTS) {
        throw CheckpointFormatException.forTensor(
            v.name(),
            "is one of the views of storage "
                + key
                + " and others that together need "
                + copiedElements
                + " elements, more than"
                + " the "
                + storedElements
                + " stored elements read so far plus the "
                + MAX_REPEATED_ELEMENTS
                + " that views may repeat");
      }
      if (out.put(v.name(), TorchTensors.gather(v, data)) != null) {
        throw CheckpointFormatException.forTensor(v.name(), "occurs twice after flattening");
      }
      if (remainingUses.merge(key, -1, Integer::sum) == 0) {
        loaded.remove(key);
      }
    }
    return StateDict.wrap(out);
  }

  private static String key(Object key, String parent) throws CheckpointFormatException {
    if (key instanceof String s) {
      return s;
    }
    throw new CheckpointFormatException(
        "state dict key "
            + TorchPersistentIds.brief(key)
            + (parent == null ? "" : " in " + parent)
            + " is not a string");
  }

  private static String describe(Object v) {
    return SafePickleReader.typeName(v);
  }
}
