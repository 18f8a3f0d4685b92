package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.PersistentLoader;
import dev.ltrp.core.checkpoint.pickle.PyBytes;
import dev.ltrp.core.checkpoint.pickle.PyDict;
import dev.ltrp.core.checkpoint.pickle.PyList;
import dev.ltrp.core.checkpoint.pickle.SafePickleReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A pre-1.6 ("legacy") PyTorch checkpoint: five consecutive pickles — the magic number
 * 0x1950a86a20f9469cfc6c, the protocol version 1001, a sys-info dict, the object, the list of
 * storage keys — followed by one record per key in that order: an int64 element count and the raw
 * elements. PyTorch writes the counts and elements little-endian on every machine.
 */
final class TorchLegacyArchive implements TorchArchive {

  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  static final long PROTOCOL_VERSION = 1001;

  private final SeekableByteChannel channel;
  private final Object root;
  private final TorchPersistentIds ids = new TorchPersistentIds(true);

  /** File offset of each storage's elements. */
  private final Map<String, Long> dataOffsets = new HashMap<>();

  /**
   * @param channel the whole checkpoint, for the storage records
   * @param map the start of the same bytes (at most 2 GiB), where the pickles are parsed in place
   */
  private TorchLegacyArchive(SeekableByteChannel channel, ByteBuffer map) throws IOException {
    this.channel = channel;
    long size = channel.size();
    Object magic;
    try {
      magic = SafePickleReader.read(map, PersistentLoader.NONE);
    } catch (UnsafePickleException e) {
      throw e;
    } catch (CheckpointFormatException e) {
      throw new CheckpointFormatException(
          null,
          "file starts like a pickle but not like a legacy PyTorch checkpoint: " + e.detail(),
          e.byteOffset().orElse(-1),
          e);
    }
    if (!(magic instanceof BigInteger m && m.equals(MAGIC))) {
      throw CheckpointFormatException.atOffset(
          "legacy PyTorch magic number is missing (found "
              + TorchPersistentIds.brief(magic)
              + "): not a PyTorch checkpoint",
          0);
    }
    long at = map.position();
    Object protocol = SafePickleReader.read(map, PersistentLoader.NONE);
    if (!(protocol instanceof Long p && p == PROTOCOL_VERSION)) {
      throw CheckpointFormatException.atOffset(
          "unsupported legacy PyTorch protocol version " + TorchPersistentIds.brief(protocol), at);
    }
    at = map.position();
    if (!(SafePickleReader.read(map, PersistentLoader.NONE) instanceof PyDict)) {
      throw CheckpointFormatException.atOffset("legacy sys-info record is not a dict", at);
    }
    this.root = SafePickleReader.read(map, ids);
    at = map.position();
    Object keys = SafePickleReader.read(map, PersistentLoader.NONE);
    if (!(keys instanceof PyList keyList)) {
      throw CheckpointFormatException.atOffset("legacy storage key list is not a list", at);
    }
    indexRecords(keyList, map.position(), size);
  }

  static TorchLegacyArchive open(Path file) throws IOException {
    return open(FileChannel.open(file, StandardOpenOption.READ));
  }

  /** Reads the pickles of an open file; the archive owns {@code channel} and closes it. */
  static TorchLegacyArchive open(FileChannel channel) throws IOException {
    try {
      // The pickles come first and are small; map at most 2 GiB of the file to parse them.
      return new TorchLegacyArchive(
          channel,
          channel.map(
              FileChannel.MapMode.READ_ONLY, 0, Math.min(channel.size(), Integer.MAX_VALUE)));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Reads the pickles of a checkpoint held in memory. */
  static TorchLegacyArchive open(MemoryChannel channel) throws IOException {
    return new TorchLegacyArchive(channel, channel.contents());
  }

  /** Walks the storage records after the pickles, checking each against its declaration. */
  private void indexRecords(PyList keys, long start, long size) throws IOException {
    long at = start;
    ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (Object k : keys.items()) {
      String key =
          k instanceof String s
              ? s
              : k instanceof PyBytes b
                  ? new String(b.toByteArray(), StandardCharsets.US_ASCII)
                  : null;
      TorchStorageRef ref = key == null ? null : ids.roots().get(key);
      if (ref == null) {
        throw CheckpointFormatException.atOffset(
            "storage record "
                + TorchPersistentIds.brief(k)
                + " is listed but no tensor declares it",
            at);
      }
      if (dataOffsets.containsKey(key)) {
        throw CheckpointFormatException.atOffset("storage record " + key + " is listed twice", at);
      }
      if (size - at < 8) {
        throw CheckpointFormatException.atOffset(
            "file is truncated: storage record " + key + " is missing", at);
      }
      count.clear();
      channel.position(at);
      while (count.hasRemaining() && channel.read(count) > 0) {
        // reads until the 8 bytes are in
      }
      if (count.hasRemaining()) {
        throw CheckpointFormatException.atOffset("file shrank while being read", at);
      }
      long n = count.flip().getLong();
      if (n != ref.numel()) {
        throw CheckpointFormatException.atOffset(
            "storage record "
                + key
                + " holds "
                + n
                + " elements but is declared with "
                + ref.numel(),
            at);
      }
      if (n > (size - at - 8) / ref.dtype().byteSize()) {
        throw CheckpointFormatException.atOffset(
            "file is truncated: storage record "
                + key
                + " needs "
                + n
                + " "
                + ref.dtype()
                + " elements, only "
                + (size - at - 8)
                + " bytes remain",
            at);
      }
      dataOffsets.put(key, at + 8);
      at += 8 + n * ref.dtype().byteSize(); // within the file, by the check above
    }
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
  public float[] loadStorage(TorchStorageRef ref, String tensorName) throws IOException {
    Long offset = dataOffsets.get(ref.key());
    if (offset == null) {
      throw CheckpointFormatException.forTensor(
          tensorName, "refers to storage " + ref.key() + ", which has no data record");
    }
    if (ref.numel() > TorchTensors.MAX_ELEMENTS) {
      throw CheckpointFormatException.forTensor(
          tensorName, "has a storage of " + ref.numel() + " elements, too large for a Java array");
    }
    float[] out = new float[(int) ref.numel()];
    long bytes = ref.numel() * ref.dtype().byteSize();
    ElementDecoder.decode(
        ElementDecoder.slice(channel, offset, bytes),
        ref.dtype(),
        ByteOrder.LITTLE_ENDIAN,
        out,
        0,
        out.length,
        tensorName);
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
