package dev.ltrp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The error policy of every {@code ltrp} command: a failure is reported as one line on standard
 * error, {@code ltrp <command>: <message>}, never as an uncaught stack trace.
 *
 * <ul>
 *   <li>Usage errors (an unknown option, a missing or malformed argument, a value out of range)
 *       exit with {@value #EXIT_USAGE}; the line is picocli's message followed by a pointer to the
 *       command's {@code --help}.
 *   <li>Any other failure (a missing or corrupt file, a checkpoint that does not fit, an engine
 *       error) exits with {@value #EXIT_FAILURE}; the line is the exception's message. With {@code
 *       --verbose} the stack trace follows it.
 * </ul>
 *
 * <p>It is installed as {@link LtrpCommand}'s model transformer, which picocli runs while it builds
 * a {@link CommandLine} over the command, so that every command line over {@code LtrpCommand} (the
 * launcher's, a test's, an embedding application's) follows the same policy without extra set-up.
 * Stateless and thread-safe.
 */
public final class ErrorPolicy
    implements IModelTransformer, IParameterExceptionHandler, IExecutionExceptionHandler {

  /** Exit code of a failed command. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a command line that could not be understood (picocli's convention). */
  public static final int EXIT_USAGE = 2;

  /** Installs this policy's handlers on the command line being built. */
  @Override
  public CommandSpec transform(CommandSpec spec) {
    CommandLine commandLine = spec.commandLine();
    if (commandLine != null) {
      commandLine.setParameterExceptionHandler(this);
      commandLine.setExecutionExceptionHandler(this);
    }
    return spec;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    StringBuilder line = new StringBuilder(stripErrorPrefix(oneLine(ex.getMessage())));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append(" (see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help')");
    report(cmd, line.toString(), null);
    return EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    report(cmd, describe(ex), isVerbose(cmd) ? ex : null);
    return EXIT_FAILURE;
  }

  /**
   * Reports a failure that escaped picocli (the launcher's last resort).
   *
   * @return {@link #EXIT_FAILURE}
   */
  static int reportUncaught(PrintWriter err, String commandName, Throwable t, boolean verbose) {
    err.println(commandName + ": " + describe(t));
    if (verbose) {
      t.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }

  private static void report(CommandLine cmd, String message, Throwable trace) {
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
    if (trace != null) {
      trace.printStackTrace(err);
    }
    err.flush();
  }

  /** Whether {@code --verbose} was given; it is declared on the root and inherited downwards. */
  private static boolean isVerbose(CommandLine cmd) {
    return cmd.getCommandSpec().root().userObject() instanceof LtrpCommand root && root.verbose();
  }

  /**
   * A one-line description of a failure for a person: the message of the exception, with the
   * file-system exceptions (whose message is only a path) and message-less exceptions spelled out.
   */
  static String describe(Throwable t) {
    Throwable e = t;
    // Wrappers whose own message only repeats the cause's.
    while ((e instanceof UncheckedIOException || e instanceof WrappedError)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof NoSuchFileException f) {
      return (f.getReason() != null ? f.getReason() : "no such file") + ": " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "file already exists: " + f.getFile();
    }
    if (e instanceof NotDirectoryException f) {
      return "not a directory: " + f.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory ("
          + e.getMessage()
          + "); give the JVM more, e.g. LTRP_JAVA_OPTS=-Xmx16g";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass()
          .getSimpleName()
          .replaceAll("(?<=[a-z])(?=[A-Z])", " ")
          .toLowerCase(Locale.ROOT);
    }
    String text = oneLine(message);
    // An engine failure is wrapped with a generic message; its cause says what went wrong. The
    // library's IOExceptions already fold their cause into the message.
    Throwable cause = e.getCause();
    if (cause != null
        && cause.getMessage() != null
        && !text.contains(oneLine(cause.getMessage()))
        && !(e instanceof IOException)) {
      text += ": " + oneLine(cause.getMessage());
    }
    return text;
  }

  /**
   * Carries an {@link Error} that a command caught (a native library that failed to load, memory
   * exhausted) to {@link #handleExecutionException}, which picocli calls for exceptions only.
   */
  static final class WrappedError extends RuntimeException {
    WrappedError(Error cause) {
      super(cause.toString(), cause);
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String stripErrorPrefix(String message) {
    return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
  }
}
