package dev.ltrp.core.checkpoint;

import java.io.Closeable;
import java.io.IOException;

/**
 * An opened PyTorch checkpoint: its unpickled object tree and access to its storage records. One
 * implementation per file layout (zip, legacy). Not thread-safe; used by one read and closed.
 */
interface TorchArchive extends Closeable {

  /** The unpickled top-level object; storages appear as {@link TorchStorageRef}s. */
  Object root();

  /**
   * Loads the whole storage record {@code key} as float32.
   *
   * @param root the reference with offset 0 and the storage's full element count
   * @param tensorName the tensor that needs it, for messages
   * @throws CheckpointFormatException naming the tensor if the record is missing or truncated
   */
  float[] loadStorage(TorchStorageRef root, String tensorName) throws IOException;

  /** The declared element count of storage {@code key}, or -1 if no persistent id names it. */
  long storageNumel(String key);
}
