package dev.ltrp.nd4j.internal.graph;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** Preparing a graph for training. */
public final class Gradients {

  /** Name SameDiff gives the backward graph of a graph with loss variables. */
  public static final String GRAD_FUNCTION = "grad";

  private Gradients() {}

  /**
   * Builds the backward graph of {@code sd} (its loss variables must be set) now rather than on the
   * first gradient call.
   *
   * <p>ND4J 1.0.0-M2.1 prints a line to {@code System.out} for every differentiated op while doing
   * this, which would corrupt the command line's JSON output; standard output is silenced for the
   * duration (a process-wide switch, so this is synchronized; other threads' output during the few
   * milliseconds is lost).
   */
  public static synchronized void prepare(SameDiff sd) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      sd.createGradFunction();
    } finally {
      System.setOut(out);
    }
  }
}
