package dev.ltrp.eval.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Summarizes {@link RankerFineTuning}'s JSON lines: downstream accuracy per ranker and keep ratio,
 * mean ± sample standard deviation over the seeds present, as a Markdown table and as the {@code
 * accuracy} object of {@code results.json} ({@code {RANKER: {"0.10": {"mean":…, "std":…, "n":…}}}},
 * accuracy as a fraction). Every line of the input counts; nothing is filtered.
 *
 * <pre>{@code DownstreamReport RESULTS.jsonl SPLIT [OUT.json]}</pre>
 */
public final class DownstreamReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DownstreamReport() {}

  /** Accuracies by ranker, then ratio key ({@code "0.10"}), of one split. */
  static Map<String, Map<String, List<Double>>> collect(List<String> lines, String split)
      throws IOException {
    Map<String, Map<String, List<Double>>> out =
        new TreeMap<>(
            (a, b) ->
                Integer.compare(order(a), order(b)) != 0
                    ? Integer.compare(order(a), order(b))
                    : a.compareTo(b));
    for (String l : lines) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode j = JSON.readTree(l);
      if (!j.get("split").asText().equals(split)) {
        continue;
      }
      out.computeIfAbsent(j.get("ranker").asText(), r -> new TreeMap<>())
          .computeIfAbsent(ratioKey(j.get("ratio").asDouble()), r -> new ArrayList<>())
          .add(j.get("accuracy").asDouble());
    }
    return out;
  }

  static String ratioKey(double ratio) {
    return String.format(Locale.ROOT, "%.2f", ratio);
  }

  private static int order(String ranker) {
    int i = RankerFineTuning.RANKERS.indexOf(ranker);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** The mean of {@code v}; NaN for none. */
  public static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sample standard deviation; 0 for a single value. */
  public static double std(List<Double> v) {
    if (v.size() < 2) {
      return 0;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.size() - 1));
  }

  /** The Markdown table: one row per ranker, one column per ratio, percent. */
  static String markdown(Map<String, Map<String, List<Double>>> acc) {
    TreeSet<String> ratios = new TreeSet<>();
    acc.values().forEach(m -> ratios.addAll(m.keySet()));
    ratios.remove("1.00");
    StringBuilder b = new StringBuilder("| ranker |");
    ratios.forEach(
        r -> b.append(" keep ").append(Math.round(Double.parseDouble(r) * 100)).append("% |"));
    b.append("\n|---|");
    ratios.forEach(r -> b.append("---|"));
    b.append('\n');
    for (Map.Entry<String, Map<String, List<Double>>> e : acc.entrySet()) {
      b.append("| ").append(e.getKey()).append(" |");
      if (e.getValue().containsKey("1.00")) {
        b.append(' ').append(cell(e.getValue().get("1.00"))).append(" (all patches) |");
        ratios.stream().skip(1).forEach(r -> b.append(" |"));
      } else {
        for (String r : ratios) {
          List<Double> v = e.getValue().get(r);
          b.append(' ').append(v == null ? "—" : cell(v)).append(" |");
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String cell(List<Double> v) {
    return String.format(Locale.ROOT, "%.1f ± %.1f (n=%d)", 100 * mean(v), 100 * std(v), v.size());
  }

  static ObjectNode json(Map<String, Map<String, List<Double>>> acc) {
    ObjectNode out = JSON.createObjectNode();
    acc.forEach(
        (ranker, byRatio) -> {
          ObjectNode r = out.putObject(ranker);
          byRatio.forEach(
              (ratio, v) ->
                  r.putObject(ratio).put("mean", mean(v)).put("std", std(v)).put("n", v.size()));
        });
    return out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: DownstreamReport RESULTS.jsonl SPLIT [OUT.json]");
      System.exit(2);
    }
    Map<String, Map<String, List<Double>>> acc =
        collect(Files.readAllLines(Path.of(args[0])), args[1]);
    System.out.print(markdown(acc));
    if (args.length > 2) {
      ObjectNode root = JSON.createObjectNode();
      root.put("dataset", "fashion-mnist").put("split", args[1]);
      root.set("accuracy", json(acc));
      Files.writeString(
          Path.of(args[2]), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
  }
}
