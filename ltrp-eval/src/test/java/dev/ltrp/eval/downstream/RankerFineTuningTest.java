package dev.ltrp.eval.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.RequiresFashionMnist;
import dev.ltrp.eval.testing.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-ranker protocol end to end at toy size (untrained models, a few steps): one result line
 * per (ranker, ratio), the cached score maps, and a rerun that skips finished runs. The numbers of
 * untrained models mean nothing, so only their range and bookkeeping are checked here; the
 * protocol's real results are in docs/DOWNSTREAM.md.
 */
@Tag("slow")
class RankerFineTuningTest {

  @Test
  @RequiresFashionMnist
  void writesOneLinePerRankerAndRatioAndSkipsThemOnRerun(@TempDir Path dir) throws Exception {
    MaeConfig config = MaeConfig.of(28, 4, 1, 32, 1, 2, 32, 1, 2, 2.0);
    Path mae = dir.resolve("mae.safetensors");
    Path ranker = dir.resolve("ranker.safetensors");
    MaeWeights.random(config, 1).save(mae, DType.F32);
    RankerWeights.random(new RankerConfig(28, 4, 1, 32, 1, 2, 2.0), 2).save(ranker);
    Path out = dir.resolve("results.jsonl");
    String[] args = {
      FashionMnist.DIR.toString(),
      mae.toString(),
      ranker.toString(),
      out.toString(),
      "val",
      "96",
      "40",
      "3",
      "16",
      "1e-3",
      "0",
      "0.1,0.25",
      "all,random,hybrid,oracle,center,supervised"
    };
    RankerFineTuning.main(args);

    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String l : Files.readAllLines(out)) {
      lines.add(json.readTree(l));
    }
    // "all" runs once (ratio 1.0), every other ranker once per ratio
    assertThat(lines).hasSize(1 + 5 * 2);
    for (JsonNode l : lines) {
      assertThat(l.get("accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(l.get("k").asInt()).isIn(5, 12, 49);
      assertThat(l.get("eval_images").asInt()).isEqualTo(40);
    }
    assertThat(lines.stream().filter(l -> l.get("ranker").asText().equals("oracle")))
        .extracting(l -> l.get("k").asInt())
        .containsExactly(5, 12);
    assertThat(dir.resolve("results.jsonl.oracle-train96.bin")).exists();
    assertThat(dir.resolve("results.jsonl.supervised-seed0-val40.bin")).exists();

    RankerFineTuning.main(args);
    assertThat(Files.readAllLines(out)).hasSize(lines.size());
    // the same ranker and ratio on the other split is a different run, not a finished one
    String[] onTest = args.clone();
    onTest[4] = "test";
    onTest[11] = "0.1";
    onTest[12] = "random";
    RankerFineTuning.main(onTest);
    assertThat(Files.readAllLines(out)).hasSize(lines.size() + 1);

    // Seed 1's supervised ranker is seed 1's own all-patches classifier, trained for it, not seed
    // 0's maps still in memory from the same process.
    String[] seeds = args.clone();
    seeds[10] = "0,1";
    seeds[11] = "0.5";
    seeds[12] = "supervised";
    RankerFineTuning.main(seeds);
    Path seed0 = dir.resolve("results.jsonl.supervised-seed0-val40.bin");
    Path seed1 = dir.resolve("results.jsonl.supervised-seed1-val40.bin");
    assertThat(seed1).exists();
    assertThat(Files.readAllBytes(seed1)).isNotEqualTo(Files.readAllBytes(seed0));
  }
}
