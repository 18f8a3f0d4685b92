package dev.ltrp.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ltrp} command line: {@code ltrp <subcommand> [options]}, run by {@code bin/ltrp}.
 *
 * <pre>{@code
 * int exitCode = new CommandLine(new LtrpCommand()).execute("oracle", "--help");
 * }</pre>
 *
 * <p>Standard output carries only results (one JSON object per line where a command prints one);
 * messages go to standard error. Exit codes: 0 on success, {@value ErrorPolicy#EXIT_FAILURE} when
 * the command failed, {@value ErrorPolicy#EXIT_USAGE} when the command line could not be
 * understood; a failure is one line on standard error (see {@link ErrorPolicy}), followed by the
 * stack trace only under {@code --verbose}.
 *
 * <p>Subcommands extend {@link LtrpSubcommand} and are listed in {@code subcommands} below.
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(
    name = "ltrp",
    mixinStandardHelpOptions = true,
    // Subcommands inherit --help, --version and --verbose, so they may follow the subcommand.
    scope = ScopeType.INHERIT,
    versionProvider = LtrpCommand.ManifestVersion.class,
    modelTransformer = ErrorPolicy.class,
    description =
        "Learning to rank patches (LTRP): score and rank image patches with a masked"
            + " autoencoder.",
    subcommands = {
      OracleCommand.class,
      ScoreMapsCommand.class,
      TrainCommand.class,
      KeepCommand.class,
      PretrainCommand.class,
      EvalCommand.class,
      ConvertCommand.class,
      InfoCommand.class
    },
    usageHelpAutoWidth = true)
public final class LtrpCommand {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace too.")
  private boolean verbose;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      scope = ScopeType.INHERIT,
      description =
          "Require the models to run on cpu or cuda (cuda needs a build with -Pcuda and"
              + " an NVIDIA driver). bin/ltrp also passes the choice to ND4J through the environment"
              + " (BACKEND_PRIORITY_CPU / BACKEND_PRIORITY_GPU), which it reads once at start-up."
              + " Default: whichever ND4J picks, CUDA when available.")
  private String device;

  /** The {@code --device} given, or null. */
  public String device() {
    return device;
  }

  /** Whether {@code --verbose} was given (before or after the subcommand). */
  public boolean verbose() {
    return verbose;
  }

  /**
   * Runs the command line and exits the JVM with its exit code (which also ends ND4J's worker
   * threads).
   */
  public static void main(String[] args) {
    int exitCode;
    try {
      exitCode = new CommandLine(new LtrpCommand()).execute(args);
    } catch (Throwable t) {
      // Picocli handles exceptions from the commands; this catches what escapes it (an Error
      // thrown while parsing or while building the command line).
      exitCode =
          ErrorPolicy.reportUncaught(
              new PrintWriter(System.err, true),
              "ltrp",
              t,
              Arrays.asList(args).contains("--verbose"));
    }
    System.exit(exitCode);
  }

  /**
   * The version: the {@code Implementation-Version} of the jar this class was loaded from, or
   * {@code dev} when it runs from compiled classes (tests, an IDE).
   */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ltrp " + version()};
    }

    static String version() {
      String v = LtrpCommand.class.getPackage().getImplementationVersion();
      return v != null ? v : "dev";
    }
  }
}
