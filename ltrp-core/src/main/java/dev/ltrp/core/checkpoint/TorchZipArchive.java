package dev.ltrp.core.checkpoint;

import dev.ltrp.core.checkpoint.pickle.SafePickleReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch ≥ 1.6 checkpoint: a zip archive with one top folder (any name) holding {@code
 * data.pkl}, the storages as {@code data/<key>} records, {@code version} and optionally {@code
 * byteorder} ({@code little} or {@code big}; little when absent). PyTorch stores the records
 * uncompressed; deflated records are read as well.
 */
final class TorchZipArchive implements TorchArchive {

  /** Largest {@code data.pkl} accepted: the pickle of a large model is well under 1 MiB. */
  static final int MAX_PICKLE_BYTES = 64 << 20;

  /** DEFLATE cannot expand data by more than about 1032:1. */
  private static final long MAX_DEFLATE_RATIO = 1100;

  private final ZipFile zip;

  /** The archive's size: no record can hold more bytes than this. */
  private final long fileBytes;

  private final String folder;
  private final ByteOrder order;
  private final TorchPersistentIds ids = new TorchPersistentIds(false);
  private final Object root;

  private TorchZipArchive(
      ZipFile zip, long fileBytes, String folder, ByteOrder order, byte[] pickle)
      throws CheckpointFormatException {
    this.zip = zip;
    this.fileBytes = fileBytes;
    this.folder = folder;
    this.order = order;
    this.root = SafePickleReader.read(ByteBuffer.wrap(pickle), ids);
  }

  static TorchZipArchive open(Path file) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException | EOFException | IllegalArgumentException e) {
      // java.util.zip reports an end record that points past the file with a bare EOFException
      // (found by fuzzing, issue 5): that too is a malformed file, not a failure to read one.
      // java.util.zip reads the directory back from the end of the file and reports no position;
      // the end of the file is where a truncated archive (the usual case) went wrong.
      throw new CheckpointFormatException(
          null,
          "not a valid zip archive: "
              + (e.getMessage() != null ? e.getMessage() : "its directory points past the data"),
          Files.size(file),
          e);
    }
    try {
      String folder = findFolder(zip);
      ByteOrder order = byteOrder(zip, folder);
      byte[] pickle = readSmallEntry(zip, zip.getEntry(folder + "data.pkl"), MAX_PICKLE_BYTES);
      return new TorchZipArchive(zip, Files.size(file), folder, order, pickle);
    } catch (IllegalArgumentException e) {
      // java.util.zip reports entry names that are not valid in their charset this way.
      zip.close();
      throw new CheckpointFormatException("not a valid zip archive: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /** The top folder with its slash, such as {@code "archive/"}. */
  private static String findFolder(ZipFile zip) throws CheckpointFormatException {
    String found = null;
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      String name = entries.nextElement().getName();
      int slash = name.indexOf('/');
      if (slash > 0 && name.equals(name.substring(0, slash + 1) + "data.pkl")) {
        if (found != null) {
          throw new CheckpointFormatException(
              "zip archive has more than one top folder with a data.pkl: "
                  + found
                  + " and "
                  + name.substring(0, slash + 1));
        }
        found = name.substring(0, slash + 1);
      }
    }
    if (found == null) {
      throw new CheckpointFormatException(
          "zip archive has no <folder>/data.pkl record, so it is not a PyTorch checkpoint");
    }
    return found;
  }

  private static ByteOrder byteOrder(ZipFile zip, String folder) throws IOException {
    ZipEntry entry = zip.getEntry(folder + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN; // written only since PyTorch 2.1; older files are little
    }
    String text = new String(readSmallEntry(zip, entry, 64), StandardCharsets.US_ASCII).trim();
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw new CheckpointFormatException(
              "byteorder record says \""
                  + TorchPersistentIds.brief(text)
                  + "\", expected little or big");
    };
  }

  private static byte[] readSmallEntry(ZipFile zip, ZipEntry entry, int max) throws IOException {
    if (entry.getSize() > max) {
      throw new CheckpointFormatException(
          "record "
              + entry.getName()
              + " has "
              + entry.getSize()
              + " bytes, more than the "
              + max
              + " accepted");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(max + 1); // grows with the data actually present
      if (bytes.length > max) {
        throw new CheckpointFormatException(
            "record " + entry.getName() + " has more than the " + max + " bytes accepted");
      }
      return bytes;
    } catch (ZipException | EOFException e) {
      throw new CheckpointFormatException(
          "record " + entry.getName() + " is corrupt: " + e.getMessage(), e);
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
    String record = folder + "data/" + ref.key();
    ZipEntry entry = zip.getEntry(record);
    if (entry == null) {
      throw CheckpointFormatException.forTensor(
          tensorName, "refers to storage record " + record + ", which the archive lacks");
    }
    // The central directory's sizes are claims: a stored record of 2 GiB in a 400-byte file
    // would otherwise cost a 2 GiB array before its data turned out missing (issue 5).
    long storedBytes =
        entry.getMethod() == ZipEntry.STORED ? entry.getSize() : entry.getCompressedSize();
    if (storedBytes > fileBytes) {
      throw CheckpointFormatException.forTensor(
          tensorName,
          "has storage record "
              + record
              + " that claims "
              + storedBytes
              + " stored bytes, more than the archive's "
              + fileBytes);
    }
    if (ref.numel() > TorchTensors.MAX_ELEMENTS) {
      throw CheckpointFormatException.forTensor(
          tensorName, "has a storage of " + ref.numel() + " elements, too large for a Java array");
    }
    long bytes = ref.numel() * ref.dtype().byteSize();
    if (entry.getSize() != bytes) {
      throw CheckpointFormatException.forTensor(
          tensorName,
          "has storage record "
              + record
              + " of "
              + entry.getSize()
              + " bytes, but its "
              + ref.numel()
              + " "
              + ref.dtype()
              + " elements need "
              + bytes);
    }
    if (entry.getMethod() != ZipEntry.STORED
        && bytes > Math.max(entry.getCompressedSize(), 0) * MAX_DEFLATE_RATIO + 1024) {
      throw CheckpointFormatException.forTensor(
          tensorName,
          "has compressed storage record "
              + record
              + " of "
              + entry.getCompressedSize()
              + " bytes that claims "
              + bytes
              + " bytes");
    }
    float[] out = new float[(int) ref.numel()];
    try (InputStream in = zip.getInputStream(entry)) {
      ElementDecoder.decode(
          Channels.newChannel(in), ref.dtype(), order, out, 0, out.length, tensorName);
    } catch (ZipException | EOFException e) {
      throw new CheckpointFormatException(
          tensorName, "has a corrupt storage record " + record + ": " + e.getMessage(), -1, e);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
