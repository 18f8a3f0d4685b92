package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private ProgressBar.Builder bar(boolean interactive) {
    return ProgressBar.builder()
        .setTotal(400)
        .setLabel("train")
        .setOut(out)
        .optBarWidth(20)
        .optItemsPerStep(8, "img")
        .optInteractive(interactive)
        .optClock(clock::get);
  }

  @Test
  void terminalModeRedrawsInPlace() {
    ProgressBar progress = bar(true).build();

    clock.set(10 * SECOND);
    progress.update(100, Map.of("loss", 1.2341));
    clock.set(20 * SECOND);
    progress.update(200, Map.of("loss", 1.0));
    clock.set(35 * SECOND);
    progress.update(400, Map.of("loss", 0.5));
    clock.set(40 * SECOND);
    progress.finish();

    assertThat(output())
        .isEqualTo(
            "\rtrain  [====>               ] 100/400  loss 1.234  ETA --:--"
                + "\rtrain  [=========>          ] 200/400  loss 1.000  80.0 img/s  ETA 00:20"
                + "\rtrain  [====================] 400/400  loss 0.500  96.0 img/s  ETA 00:00"
                + "\rtrain  [====================] 400/400  loss 0.500  96.0 img/s  took 00:40"
                + "\n");
  }

  @Test
  void aShorterLineBlanksTheRestOfTheLongerOne() {
    ProgressBar progress = bar(true).build();
    progress.update(0, Map.of("loss", 1.0));
    String first = output();
    clock.set(SECOND);
    progress.update(1, Map.of());
    String second = output().substring(first.length());

    assertThat(second).startsWith("\rtrain  [                    ]   1/400  8.0 img/s  ETA 06:39");
    assertThat(second.length()).isEqualTo(first.length());
    assertThat(second).endsWith("ETA 06:39 "); // one blank over the longer line's last character
  }

  @Test
  void plainModePrintsALineEveryInterval() {
    ProgressBar progress =
        ProgressBar.builder()
            .setTotal(10)
            .setLabel("eval")
            .setOut(out)
            .optInteractive(false)
            .optClock(clock::get)
            .optBarWidth(10)
            .optPlainInterval(Duration.ofSeconds(30))
            .build();
    for (int step = 1; step <= 10; step++) {
      clock.set(step * 10 * SECOND);
      progress.update(step, Map.of());
    }
    clock.set(101 * SECOND);
    progress.finish();
    progress.finish();

    assertThat(output()).doesNotContain("\r");
    assertThat(output().split("\n"))
        .containsExactly(
            "eval  [>         ]  1/10  ETA --:--",
            "eval  [===>      ]  4/10  0.10 it/s  ETA 01:00",
            "eval  [======>   ]  7/10  0.10 it/s  ETA 00:30",
            "eval  [==========] 10/10  0.10 it/s  ETA 00:00",
            "eval  [==========] 10/10  0.10 it/s  took 01:41");
  }

  @Test
  void terminalRedrawsAreThrottledButTheLastStepIsDrawn() {
    ProgressBar progress = bar(true).setTotal(4).build();
    for (int step = 1; step <= 4; step++) {
      clock.set(step * 40_000_000L); // every 40 ms
      progress.update(step, Map.of());
    }
    // Drawn: step 1 (first), step 4 (last, 120 ms after the first); 2 and 3 are skipped.
    assertThat(output().chars().filter(c -> c == '\r').count()).isEqualTo(2);
    assertThat(output()).contains("4/4");
  }

  @Test
  void callerSuppliedItemCountsAndMetricOrder() {
    ProgressBar progress = bar(true).build();
    Map<String, Number> metrics = new LinkedHashMap<>();
    metrics.put("loss", 0.25);
    metrics.put("lr", 1.5e-4);
    metrics.put("k", 19);
    progress.update(0, 0, metrics);
    clock.set(2 * SECOND);
    progress.update(1, 7, metrics);
    assertThat(output()).endsWith("1/400  loss 0.250  lr 1.50e-04  k 19  3.5 img/s  ETA 13:18");
  }

  @Test
  void numberAndDurationFormats() {
    assertThat(ProgressBar.formatNumber(1.2341)).isEqualTo("1.234");
    assertThat(ProgressBar.formatNumber(1.5e-4)).isEqualTo("1.50e-04");
    assertThat(ProgressBar.formatNumber(123456.0)).isEqualTo("1.23e+05");
    assertThat(ProgressBar.formatNumber(0.0)).isEqualTo("0");
    assertThat(ProgressBar.formatNumber(-0.5)).isEqualTo("-0.500");
    assertThat(ProgressBar.formatNumber(42L)).isEqualTo("42");
    assertThat(ProgressBar.formatNumber(Double.NaN)).isEqualTo("nan");
    assertThat(ProgressBar.formatNumber(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(ProgressBar.formatDuration(0)).isEqualTo("00:00");
    assertThat(ProgressBar.formatDuration(151 * SECOND)).isEqualTo("02:31");
    assertThat(ProgressBar.formatDuration(3723 * SECOND)).isEqualTo("1:02:03");
  }

  @Test
  void lifecycle() {
    ProgressBar progress = bar(false).build();
    progress.finish();
    assertThat(output()).isEmpty();
    assertThatThrownBy(() -> progress.update(1, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("train");
    assertThatThrownBy(() -> bar(false).build().update(-1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProgressBar.builder().setLabel("x").setOut(out).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setTotal");
    assertThatThrownBy(() -> ProgressBar.builder().setTotal(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProgressBar.create(5, "x", out).toString()).contains("total=5");
  }
}
