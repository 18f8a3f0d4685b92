package dev.ltrp.core.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What the reliability and fuzz tests of untrusted files share: the committed corpora under {@code
 * src/test/resources/fuzz/<target>/}, and a probe of how many bytes the current thread allocates
 * while a reader runs, to check that no input makes a reader allocate more than its size justifies.
 */
public final class UntrustedFiles {

  /**
   * Bytes a reader may allocate per input byte: the pickle machine creates at most one small object
   * per opcode byte (an empty list is ~100 bytes of Java objects), Jackson's tree about as much per
   * header byte, and a decoded uint8 or bool tensor 4 bytes of float32 per stored byte.
   */
  public static final long ALLOCATION_PER_BYTE = 256;

  /** Bytes a reader may allocate whatever its input: buffers, zip tables, class initialization. */
  public static final long ALLOCATION_SLACK = 8L << 20;

  /**
   * Longest a reader may take on one input. The fuzz inputs are at most a few KiB and take well
   * under a millisecond; a generous limit keeps a loaded CI machine from failing spuriously.
   */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  /**
   * Where the reads run, so that a hang is reported after {@link #TIME_LIMIT} instead of stalling
   * the fuzzer or the build (JUnit's own {@code @Timeout} would limit a whole fuzzing run).
   */
  private static final ExecutorService WORKER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "untrusted-input-reader");
            t.setDaemon(true);
            return t;
          });

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private UntrustedFiles() {}

  /** The files of corpus {@code target} ({@code fuzz/<target>/} and its folders), sorted. */
  public static List<Path> corpus(String target) {
    URL url = UntrustedFiles.class.getResource("/fuzz/" + target);
    if (url == null) {
      throw new IllegalStateException("no corpus fuzz/" + target + " on the test class path");
    }
    try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file's name relative to the corpus folder, for test names. */
  public static String name(Path file) {
    Path parent = file.getParent();
    return parent.getFileName() + "/" + file.getFileName();
  }

  /** Bytes allocated so far by the current thread (monotonic; unaffected by collection). */
  public static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** A reader run on one input, whose outcome the caller checks. */
  @FunctionalInterface
  public interface Run {
    void run() throws Exception;
  }

  /**
   * Runs {@code run} and fails if it allocates more than an input of {@code inputBytes} justifies:
   * {@link #ALLOCATION_PER_BYTE} per byte plus {@link #ALLOCATION_SLACK} plus {@code extra}. A run
   * over the limit is repeated once and only the repetition counts, because the first use of a code
   * path also allocates for class loading and Jazzer's instrumentation; the readers are
   * deterministic, so a real excess repeats. The run happens on a worker thread and fails after
   * {@link #TIME_LIMIT}.
   */
  public static void checkAllocation(String what, long inputBytes, long extra, Run run)
      throws Exception {
    Future<?> done =
        WORKER.submit(
            () -> {
              measure(what, inputBytes, extra, run);
              return null;
            });
    try {
      done.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The reader thread stays stuck; the finding is reported and the run ends.
      throw new AssertionError(
          what
              + " took more than "
              + TIME_LIMIT.toSeconds()
              + " s on an input of "
              + inputBytes
              + " bytes");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static void measure(String what, long inputBytes, long extra, Run run) throws Exception {
    long limit = ALLOCATION_PER_BYTE * inputBytes + ALLOCATION_SLACK + extra;
    long allocated = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
      long before = allocatedBytes();
      run.run();
      allocated = allocatedBytes() - before;
      if (allocated <= limit) {
        return;
      }
    }
    throw new AssertionError(
        what
            + " allocated "
            + allocated
            + " bytes for an input of "
            + inputBytes
            + " bytes, more than the "
            + limit
            + " it justifies");
  }
}
