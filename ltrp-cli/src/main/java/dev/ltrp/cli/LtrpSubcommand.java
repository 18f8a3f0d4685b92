package dev.ltrp.cli;

import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.nd4j.Backends;
import dev.ltrp.nd4j.DefaultModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code ltrp} subcommand: a subcommand implements {@link #run()}, writes its
 * result to {@link #out()} (standard output stays machine-readable) and its messages to {@link
 * #err()}, and reports a mistake in its arguments with {@link #usageError}. Failures follow {@link
 * ErrorPolicy}.
 *
 * <p>Adding a subcommand: subclass this with a {@code @Command(name = "…")} annotation and list the
 * class in {@link LtrpCommand}'s {@code subcommands}.
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
public abstract class LtrpSubcommand implements Callable<Integer> {

  /** Injected by picocli: this command's model and command line. */
  @Spec protected CommandSpec spec;

  /**
   * Runs the command.
   *
   * @return the exit code, normally 0
   * @throws IOException if a file cannot be read or written (reported with exit code 1)
   * @throws ParameterException from {@link #usageError} (reported with exit code 2)
   */
  protected abstract int run() throws IOException;

  /** Runs {@link #run()}; an {@link Error} is passed on to the error policy as an exception. */
  @Override
  public final Integer call() throws IOException {
    try {
      checkDevice();
      return run();
    } catch (LinkageError | OutOfMemoryError e) {
      // ND4J loads its native library on first use, so a missing or incompatible libnd4j shows up
      // here as an Error; picocli would let it escape as a stack trace.
      throw new ErrorPolicy.WrappedError(e);
    }
  }

  /** Fails unless ND4J's active backend is the one {@code --device} asks for. */
  private void checkDevice() {
    CommandLine root = spec.commandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    if (root.getCommand() instanceof LtrpCommand top && top.device() != null) {
      Backends.Device wanted;
      try {
        wanted = Backends.Device.parse(top.device());
      } catch (IllegalArgumentException e) {
        throw usageError("--device: " + e.getMessage());
      }
      Backends.require(wanted);
    }
  }

  /** Where results go: standard output, or the writer a test gave the command line. */
  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where messages go: standard error, or the writer a test gave the command line. */
  protected final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Standard error as a {@link PrintStream}, for the library's progress bars (which take one). Text
   * reaches {@link #err()} whenever the stream is flushed, as the progress bars do after each line.
   */
  protected final PrintStream errStream() {
    PrintWriter err = err();
    OutputStream forward =
        new OutputStream() {
          private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

          @Override
          public void write(int b) {
            pending.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
          }

          @Override
          public void flush() {
            err.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            err.flush();
          }
        };
    return new PrintStream(forward, true, StandardCharsets.UTF_8);
  }

  /**
   * A usage error to throw: reported like picocli's own parse errors, with exit code 2.
   *
   * @param message what is wrong, naming the option and the value
   */
  protected final ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Checks that {@code file}, given with {@code option}, is a readable regular file, so that the
   * message names the option rather than failing deep inside a loader.
   *
   * @throws NoSuchFileException if it does not exist or is a directory
   */
  protected static Path requireFile(String option, Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, option + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, option + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new IOException(option + ": cannot read " + file);
    }
    return file;
  }

  /**
   * Checks that {@code dir}, given with {@code option}, is a directory.
   *
   * @throws NoSuchFileException if it does not exist or is not a directory
   */
  protected static Path requireDirectory(String option, Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, option + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, option + ": not a directory");
    }
    return dir;
  }

  /**
   * Creates the directory that {@code file} will be written to, if it is missing.
   *
   * @return {@code file}
   */
  protected static Path createParentDirectories(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    return file;
  }

  /**
   * The MAE architecture given with {@code option}: null when {@code spec} is null (the loader then
   * infers it from the checkpoint), else a preset name or a JSON file.
   *
   * @throws ParameterException for an unknown preset name (a usage error)
   * @throws IOException if the JSON file is missing or not a valid configuration
   */
  protected final MaeConfig maeArchitecture(String option, String spec) throws IOException {
    if (spec == null) {
      return null;
    }
    if (spec.endsWith(".json")) {
      requireFile(option, Path.of(spec));
    }
    try {
      return MaeConfig.fromSpec(spec);
    } catch (IllegalArgumentException e) { // an unknown preset name; a bad file is an IOException
      throw usageError(option + ": " + e.getMessage());
    }
  }

  /**
   * The ranker architecture given with {@code option}: a preset name ({@code tiny}, {@code small},
   * {@code base}) or a JSON file.
   *
   * @throws ParameterException for an unknown preset name (a usage error)
   * @throws IOException if the JSON file is missing or not a valid configuration
   */
  protected final RankerConfig rankerArchitecture(String option, String spec) throws IOException {
    if (spec.endsWith(".json")) {
      requireFile(option, Path.of(spec));
    }
    try {
      return RankerConfig.fromSpec(spec);
    } catch (IllegalArgumentException e) {
      throw usageError(option + ": " + e.getMessage());
    }
  }

  /** A usage error unless {@code value} is at least 1. */
  protected final void requirePositive(String option, long value) {
    if (value < 1) {
      throw usageError(option + " must be positive, got " + value);
    }
  }

  /** The value of {@code --mae} that names the bundled MAE (ltrp-models) instead of a file. */
  static final String DEFAULT_MAE = "default";

  /**
   * Checks an {@code --mae} value before anything is loaded: {@value #DEFAULT_MAE} (the bundled
   * MAE, which takes no {@code --arch}) or an existing checkpoint file.
   */
  protected final void requireMae(String value, String arch) throws IOException {
    if (DEFAULT_MAE.equals(value)) {
      if (arch != null) {
        throw usageError(
            "--arch applies to an MAE checkpoint file, not to --mae "
                + DEFAULT_MAE
                + " (the bundled MAE carries its architecture)");
      }
      return;
    }
    requireFile("--mae", Path.of(value));
  }

  /**
   * The MAE an {@code --mae} value names: the bundled one for {@value #DEFAULT_MAE} ({@link
   * DefaultModels#mae()}), else the checkpoint file, with {@code arch} (or null to infer it).
   */
  protected static MaeWeights loadMae(String value, MaeConfig arch) throws IOException {
    return DEFAULT_MAE.equals(value) ? DefaultModels.mae() : MaeWeights.load(Path.of(value), arch);
  }

  /** {@code file}'s path with its extension replaced by {@code suffix}. */
  protected static Path besideOut(Path file, String suffix) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
  }
}
