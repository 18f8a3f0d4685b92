package dev.ltrp.eval.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary of the per-ranker fine-tuning results: grouping, mean, sample std, order. */
class DownstreamReportTest {

  private static String line(long seed, String split, String ranker, double ratio, double acc) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"seed\":%d,\"split\":\"%s\",\"ranker\":\"%s\",\"ratio\":%s,\"k\":5,\"accuracy\":%s}",
        seed,
        split,
        ranker,
        ratio,
        acc);
  }

  @Test
  void groupsBySplitRankerAndRatioWithMeanAndSampleStd() throws IOException {
    List<String> lines =
        List.of(
            line(0, "val", "random", 0.1, 0.50),
            line(1, "val", "random", 0.1, 0.60),
            line(2, "val", "random", 0.1, 0.70),
            line(0, "val", "ltrp", 0.25, 0.80),
            line(0, "test", "ltrp", 0.25, 0.10),
            line(0, "val", "all", 1.0, 0.90),
            "");
    Map<String, Map<String, List<Double>>> acc = DownstreamReport.collect(lines, "val");
    // report order is RankerFineTuning.RANKERS', not the file's
    assertThat(acc.keySet()).containsExactly("ltrp", "random", "all");
    assertThat(acc.get("ltrp").get("0.25")).containsExactly(0.80);
    List<Double> random = acc.get("random").get("0.10");
    assertThat(DownstreamReport.mean(random)).isCloseTo(0.60, within(1e-12));
    assertThat(DownstreamReport.std(random)).isCloseTo(0.10, within(1e-12));
    assertThat(DownstreamReport.std(List.of(0.3))).isZero();

    String table = DownstreamReport.markdown(acc);
    assertThat(table)
        .contains("| ranker | keep 10% | keep 25% |")
        .contains("| random | 60.0 ± 10.0 (n=3) | — |")
        .contains("| all | 90.0 ± 0.0 (n=1) (all patches) | |");
    assertThat(DownstreamReport.json(acc).get("random").get("0.10").get("n").asInt()).isEqualTo(3);
  }
}
