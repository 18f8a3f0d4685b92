package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One run of the {@code ltrp} command line with in-memory standard output and error.
 *
 * @param exitCode the exit code
 * @param out what the command printed to standard output
 * @param err what the command printed to standard error
 */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code ltrp args...}. */
  static CliRun ltrp(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] strings = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      strings[i] = String.valueOf(args[i]);
    }
    int code =
        new CommandLine(new LtrpCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(strings);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The non-empty lines of standard error. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * Asserts the error policy: exit code {@code exitCode}, nothing on standard output, and one line
   * on standard error, {@code ltrp <command>: ...}, containing {@code expected} and no stack trace.
   */
  void assertOneLineError(int exitCode, String expected) {
    assertThat(exitCode()).as(err).isEqualTo(exitCode);
    assertThat(out).isEmpty();
    assertThat(errLines()).as(err).hasSize(1);
    assertThat(err).startsWith("ltrp").contains(expected).doesNotContain("\tat ", "Exception");
  }
}
