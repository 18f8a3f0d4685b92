package dev.ltrp.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A one-line progress display for long runs:
 *
 * <pre>
 * train  [========&gt;                     ] 120/400  loss 1.234  3.1 img/s  ETA 02:31
 * </pre>
 *
 * <p>On a terminal the line is redrawn in place ({@code '\r'}, at most every {@link
 * Builder#optRedrawInterval redraw interval}); otherwise (a log file, CI output) a plain line is
 * printed at the first update, then at most once per {@link Builder#optPlainInterval plain
 * interval} (default 30 s), and at the end. {@link #create(long, String, PrintStream)} decides by
 * whether the JVM has an interactive console ({@code System.console()}, and on Java 22 or later
 * {@code Console.isTerminal()}), which is meaningful when {@code out} is {@code System.out} or
 * {@code System.err}; the builder can force either mode.
 *
 * <p>The rate ({@code items/s}) and the ETA come from a moving window over the last {@link
 * Builder#optWindow window} updates (default 20), so they follow the current speed rather than the
 * average since the start (which includes warm-up and compilation). Items per step (for example the
 * batch size, unit {@code "img"}) are set with {@link Builder#optItemsPerStep}; a caller whose
 * count varies passes it to {@link #update(long, long, Map)}. Metrics are printed in the map's
 * iteration order: values in {@code [0.01, 10⁴)} with 3 decimals, other non-zero values as {@code
 * 1.50e-04}, integers ({@code Integer}, {@code Long}) as integers. Times are {@code mm:ss}, or
 * {@code h:mm:ss} from one hour.
 *
 * <p>The clock ({@link Builder#optClock}, nanoseconds like {@link System#nanoTime()}) and the
 * stream are injectable, so the output is deterministic in tests.
 *
 * <pre>{@code
 * ProgressBar bar = ProgressBar.builder()
 *     .setTotal(totalSteps).setLabel("train").setOut(System.err)
 *     .optItemsPerStep(256, "img")
 *     .build();
 * bar.update(step + 1, Map.of("loss", loss));
 * bar.finish();
 * }</pre>
 *
 * <p>Safe for concurrent calls (updates are serialized); the stream is not closed.
 */
public final class ProgressBar {

  private final long total;
  private final String label;
  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier clock;
  private final long plainIntervalNanos;
  private final long redrawIntervalNanos;
  private final int barWidth;
  private final long itemsPerStep;
  private final String unit;
  private final int window;

  private final long startNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, step, items}
  private long lastPrintNanos;
  private boolean printedOnce;
  private int lastLength;
  private Map<String, Number> lastMetrics = Map.of();
  private long lastStep = -1;
  private boolean finished;

  private ProgressBar(Builder b) {
    this.total = b.total;
    this.label = b.label;
    this.out = b.out;
    this.interactive = b.interactive == null ? detectTerminal() : b.interactive;
    this.clock = b.clock;
    this.plainIntervalNanos = b.plainInterval.toNanos();
    this.redrawIntervalNanos = b.redrawInterval.toNanos();
    this.barWidth = b.barWidth;
    this.itemsPerStep = b.itemsPerStep;
    this.unit = b.unit;
    this.window = b.window;
    this.startNanos = clock.getAsLong();
  }

  /**
   * A bar over {@code total} steps printed to {@code out}, one item per step (unit {@code "it"}),
   * in place if the JVM has an interactive console and as plain lines every 30 s otherwise.
   *
   * @throws IllegalArgumentException if {@code total} is not positive
   */
  public static ProgressBar create(long total, String label, PrintStream out) {
    return builder().setTotal(total).setLabel(label).setOut(out).build();
  }

  /** A builder; {@code setTotal}, {@code setLabel} and {@code setOut} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the line is redrawn in place (terminal mode). */
  public boolean interactive() {
    return interactive;
  }

  /**
   * Reports that {@code step} steps of {@link Builder#setTotal total} are done, with {@code step ·
   * itemsPerStep} items.
   *
   * @param metrics values to show, in iteration order (not retained)
   * @throws IllegalArgumentException if {@code step} is negative
   * @throws IllegalStateException if {@link #finish()} was called
   */
  public void update(long step, Map<String, ? extends Number> metrics) {
    update(step, step * itemsPerStep, metrics);
  }

  /**
   * Reports that {@code step} steps and {@code items} items (cumulative, on the same footing as
   * {@code step}) are done.
   *
   * @param metrics values to show, in iteration order (not retained)
   * @throws IllegalArgumentException if {@code step} or {@code items} is negative
   * @throws IllegalStateException if {@link #finish()} was called
   */
  public synchronized void update(long step, long items, Map<String, ? extends Number> metrics) {
    Objects.requireNonNull(metrics, "metrics");
    if (step < 0 || items < 0) {
      throw new IllegalArgumentException(
          "step and items must not be negative, got " + step + " and " + items);
    }
    if (finished) {
      throw new IllegalStateException("progress bar '" + label + "' is finished");
    }
    long now = clock.getAsLong();
    samples.addLast(new long[] {now, step, items});
    while (samples.size() > window) {
      samples.removeFirst();
    }
    lastMetrics = new LinkedHashMap<>(metrics);
    lastStep = step;
    boolean due;
    if (interactive) {
      due = !printedOnce || step >= total || now - lastPrintNanos >= redrawIntervalNanos;
    } else {
      due = !printedOnce || now - lastPrintNanos >= plainIntervalNanos;
    }
    if (due) {
      print(render(step, lastMetrics, -1), now);
    }
  }

  /**
   * Prints the final line (the last update's, with the time since the bar was built instead of the
   * ETA) and ends it; idempotent. Prints nothing if there was no update.
   */
  public synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (lastStep < 0) {
      return;
    }
    long now = clock.getAsLong();
    print(render(lastStep, lastMetrics, now - startNanos), now);
    if (interactive) {
      out.print('\n');
    }
    out.flush();
  }

  private void print(String line, long now) {
    if (interactive) {
      int pad = Math.max(0, lastLength - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastLength = line.length();
    } else {
      out.print(line + "\n");
    }
    out.flush();
    lastPrintNanos = now;
    printedOnce = true;
  }

  /**
   * The line for {@code step}, without carriage return or newline; ends with the ETA, or with the
   * elapsed time when {@code elapsedNanos ≥ 0} (the final line).
   */
  private String render(long step, Map<String, ? extends Number> metrics, long elapsedNanos) {
    StringBuilder sb = new StringBuilder(label).append("  [");
    long shown = Math.min(step, total);
    int filled = (int) (shown * barWidth / total);
    if (filled >= barWidth) {
      sb.append("=".repeat(barWidth));
    } else if (filled > 0) {
      sb.append("=".repeat(filled - 1)).append('>').append(" ".repeat(barWidth - filled));
    } else {
      sb.append(" ".repeat(barWidth));
    }
    String totalText = Long.toString(total);
    String stepText = Long.toString(step);
    sb.append("] ")
        .append(" ".repeat(Math.max(0, totalText.length() - stepText.length())))
        .append(stepText)
        .append('/')
        .append(totalText);
    for (Map.Entry<String, ? extends Number> e : metrics.entrySet()) {
      sb.append("  ").append(e.getKey()).append(' ').append(formatNumber(e.getValue()));
    }
    double itemRate = rate(2);
    if (!Double.isNaN(itemRate)) {
      sb.append("  ").append(formatRate(itemRate)).append(' ').append(unit).append("/s");
    }
    double stepRate = rate(1);
    if (elapsedNanos >= 0) {
      sb.append("  took ").append(formatDuration(elapsedNanos));
    } else if (step >= total) {
      sb.append("  ETA 00:00");
    } else if (Double.isNaN(stepRate) || stepRate <= 0) {
      sb.append("  ETA --:--");
    } else {
      sb.append("  ETA ").append(formatDuration((long) ((total - step) / stepRate * 1e9)));
    }
    return sb.toString();
  }

  /** Units (column 1: steps, 2: items) per second over the window, or NaN without two samples. */
  private double rate(int column) {
    if (samples.size() < 2) {
      return Double.NaN;
    }
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    long dt = last[0] - first[0];
    if (dt <= 0) {
      return Double.NaN;
    }
    return (last[column] - first[column]) / (dt / 1e9);
  }

  static String formatNumber(Number value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return value.toString();
    }
    double v = value.doubleValue();
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    return a >= 0.01 && a < 1e4
        ? String.format(Locale.ROOT, "%.3f", v)
        : String.format(Locale.ROOT, "%.2e", v);
  }

  private static String formatRate(double rate) {
    return rate >= 100
        ? String.format(Locale.ROOT, "%.0f", rate)
        : rate >= 1
            ? String.format(Locale.ROOT, "%.1f", rate)
            : String.format(Locale.ROOT, "%.2f", rate);
  }

  /** {@code mm:ss}, or {@code h:mm:ss} from one hour; rounded to whole seconds. */
  static String formatDuration(long nanos) {
    long seconds = Math.max(0, Math.round(nanos / 1e9));
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%02d:%02d", m, s);
  }

  private static boolean detectTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ returns a console even when redirected; isTerminal() tells the truth there.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "ProgressBar[" + label + ", total=" + total + ", interactive=" + interactive + "]";
  }

  /** Builds a {@link ProgressBar}; not thread-safe. */
  public static final class Builder {

    private long total = -1;
    private String label;
    private PrintStream out;
    private Boolean interactive;
    private LongSupplier clock = System::nanoTime;
    private Duration plainInterval = Duration.ofSeconds(30);
    private Duration redrawInterval = Duration.ofMillis(100);
    private int barWidth = 30;
    private long itemsPerStep = 1;
    private String unit = "it";
    private int window = 20;

    private Builder() {}

    /**
     * Sets the number of steps of the run (required).
     *
     * @throws IllegalArgumentException if {@code total} is not positive
     */
    public Builder setTotal(long total) {
      if (total <= 0) {
        throw new IllegalArgumentException("total must be positive, got " + total);
      }
      this.total = total;
      return this;
    }

    /** Sets the text at the start of the line (required), for example {@code "train"}. */
    public Builder setLabel(String label) {
      this.label = Objects.requireNonNull(label, "label");
      return this;
    }

    /** Sets the stream to print to (required); it is flushed after each print, never closed. */
    public Builder setOut(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * Forces terminal mode ({@code true}) or plain-line mode ({@code false}) instead of detecting.
     */
    public Builder optInteractive(boolean interactive) {
      this.interactive = interactive;
      return this;
    }

    /**
     * Sets the clock, in nanoseconds with an arbitrary origin (default {@code System::nanoTime}).
     */
    public Builder optClock(LongSupplier nanos) {
      this.clock = Objects.requireNonNull(nanos, "nanos");
      return this;
    }

    /**
     * Sets the least time between two plain lines (default 30 s).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder optPlainInterval(Duration interval) {
      this.plainInterval = checkInterval(interval);
      return this;
    }

    /**
     * Sets the least time between two in-place redraws (default 100 ms; the last step is always
     * drawn).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder optRedrawInterval(Duration interval) {
      this.redrawInterval = checkInterval(interval);
      return this;
    }

    /**
     * Sets the bar's width in characters between the brackets (default 30).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder optBarWidth(int width) {
      if (width <= 0) {
        throw new IllegalArgumentException("bar width must be positive, got " + width);
      }
      this.barWidth = width;
      return this;
    }

    /**
     * Sets how many items a step processes and their unit, for the rate (default 1 {@code "it"});
     * for training, the batch size and {@code "img"}.
     *
     * @throws IllegalArgumentException if {@code itemsPerStep} is negative
     */
    public Builder optItemsPerStep(long itemsPerStep, String unit) {
      if (itemsPerStep < 0) {
        throw new IllegalArgumentException(
            "itemsPerStep must not be negative, got " + itemsPerStep);
      }
      this.itemsPerStep = itemsPerStep;
      this.unit = Objects.requireNonNull(unit, "unit");
      return this;
    }

    /**
     * Sets how many recent updates the rate and ETA average over (default 20).
     *
     * @throws IllegalArgumentException if less than 2
     */
    public Builder optWindow(int updates) {
      if (updates < 2) {
        throw new IllegalArgumentException("window must be at least 2, got " + updates);
      }
      this.window = updates;
      return this;
    }

    /**
     * Builds the bar; the clock's current reading is the start of the run (for the elapsed time).
     *
     * @throws IllegalStateException if a required setting is missing
     */
    public ProgressBar build() {
      if (total < 0) {
        throw new IllegalStateException("setTotal is required");
      }
      if (label == null) {
        throw new IllegalStateException("setLabel is required");
      }
      if (out == null) {
        throw new IllegalStateException("setOut is required");
      }
      return new ProgressBar(this);
    }

    private static Duration checkInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative, got " + interval);
      }
      return interval;
    }
  }
}
