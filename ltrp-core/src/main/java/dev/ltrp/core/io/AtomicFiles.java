package dev.ltrp.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a run restarted after a crash, sees either the old contents or
 * the complete new ones, never a torn file: checkpoints, their metadata, summaries.
 *
 * <p>{@link #write(Path, IoConsumer)} writes to a new temporary file {@code .<name>.<random>.tmp}
 * in the target's folder (same file system, so the final rename is atomic), forces it to disk
 * ({@code fsync}), renames it over the target with {@link StandardCopyOption#ATOMIC_MOVE} (falling
 * back to {@link StandardCopyOption#REPLACE_EXISTING} on file systems that cannot move atomically),
 * then forces the folder so that the rename itself survives a power loss (skipped silently on
 * platforms, such as Windows, where a folder cannot be opened). If anything fails before the
 * rename, including the caller's writer throwing, the temporary file is deleted and the target is
 * left as it was. The new file gets the default permissions of a newly created file; a symbolic
 * link at the target is replaced by the file, not followed.
 *
 * <pre>{@code
 * AtomicFiles.writeString(runDir.resolve("state.json"), stateJson);
 * AtomicFiles.write(runDir.resolve("weights.bin"), out -> out.write(weightBytes));
 * }</pre>
 *
 * <p>Stateless and thread-safe; concurrent writes to the same target leave one complete version.
 */
public final class AtomicFiles {

  private static final int BUFFER = 1 << 16;

  private AtomicFiles() {}

  /**
   * Atomically replaces (or creates) {@code target} with what {@code writer} writes. The stream
   * passed to the writer is buffered; closing it is allowed and does nothing.
   *
   * @throws IOException if the writer or the file system fails; the target is then unchanged
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(writer, "writer");
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || absolute.getFileName() == null) {
      throw new IllegalArgumentException("target has no parent folder: " + target);
    }
    Path temp = createTemp(dir, absolute.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
        writer.accept(
            new FilterOutputStream(buffered) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                flush(); // the channel stays open until it has been forced
              }
            });
        buffered.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException suppressed) {
          // The original failure matters more; a stray hidden .tmp file is harmless.
        }
      }
    }
    forceDirectory(dir);
  }

  /** Atomically replaces (or creates) {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    Objects.requireNonNull(text, "text");
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    write(target, out -> out.write(bytes));
  }

  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
      // Keep the name within the usual 255-byte limit however long the target's name is.
      int cut =
          Character.isHighSurrogate(name.charAt(Math.min(name.length(), 128) - 1)) ? 127 : 128;
      String stem = name.length() > cut ? name.substring(0, cut) : name;
      Path temp = dir.resolve("." + stem + "." + suffix + ".tmp");
      try {
        // CREATE_NEW, not createTempFile: the file keeps the default (umask) permissions.
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** fsync of the folder, so the rename is durable; not possible everywhere (Windows). */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the data file itself is already on disk.
    }
  }
}
