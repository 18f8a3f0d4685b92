package dev.ltrp.eval.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.eval.data.LabeledDataset;
import dev.ltrp.eval.testing.FashionMnist;
import dev.ltrp.eval.testing.IdxFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on a small synthetic IDX dataset, with a teacher and a ranker trained
 * here at a budget of seconds: every file it promises, every ranker in results.json, and a rerun
 * that finds nothing left to do. It checks bookkeeping, not which ranker is better.
 */
@Tag("slow")
class DownstreamEvaluationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aNewDatasetIsEvaluatedWithATeacherAndRankerTrainedForIt() throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("blobs-images-idx3-ubyte.gz"),
        dir.resolve("blobs-labels-idx1-ubyte.gz"),
        240,
        14,
        3,
        7);
    LabeledDataset data = LabeledDataset.open("idx:" + dir.resolve("blobs"), FashionMnist.DIR);
    DownstreamEvaluation.Preset tiny =
        new DownstreamEvaluation.Preset("tiny", 96, 40, 4, 16, 2e-3, List.of(0.25), 1, 4, 4);
    Path out = dir.resolve("out");
    DownstreamEvaluation.Options options =
        new DownstreamEvaluation.Options(
            data, tiny, 1, "val", out, false, RankerFineTuning.RANKERS, List.of(0.25));
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Path results = DownstreamEvaluation.run(options, new PrintStream(log, true));

    JsonNode json = JSON.readTree(results.toFile());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .contains(
            "dataset",
            "preset",
            "split",
            "seeds",
            "models",
            "accuracy",
            "teacher",
            "unseen",
            "ablation",
            "seconds");
    assertThat(json.get("models").asText()).isEqualTo("trained");
    assertThat(json.get("split").asText()).isEqualTo("val");
    List<String> rankers = new ArrayList<>();
    json.get("accuracy").fieldNames().forEachRemaining(rankers::add);
    assertThat(rankers).containsExactlyElementsOf(RankerFineTuning.RANKERS);
    assertThat(json.get("accuracy").get("ltrp").get("0.25").get("n").asInt()).isEqualTo(1);
    assertThat(json.get("accuracy").get("all").has("1.00")).isTrue();
    double accuracy = json.get("accuracy").get("random").get("0.25").get("mean").asDouble();
    assertThat(accuracy).isBetween(0.0, 1.0);
    assertThat(json.get("teacher").get("recon_error").asDouble()).isPositive();
    assertThat(json.get("teacher").get("nearest_visible_error").asDouble()).isPositive();
    for (String file :
        List.of(
            "RESULTS.md",
            "accuracy.png",
            "downstream.jsonl",
            "mae.safetensors",
            "ranker.safetensors")) {
      assertThat(out.resolve(file)).as(file).exists();
    }
    String md = Files.readString(out.resolve("RESULTS.md"));
    assertThat(md)
        .contains("idx:" + dir.resolve("blobs"))
        .contains("| ltrp |")
        .contains("ltrp − random")
        .contains("validation split");
    List<String> lines = Files.readAllLines(out.resolve("downstream.jsonl"));
    assertThat(lines).hasSize(RankerFineTuning.RANKERS.size());

    // A rerun reuses the models and skips every finished classifier.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    DownstreamEvaluation.run(options, new PrintStream(again, true));
    assertThat(again.toString()).contains("reusing the teacher").contains("reusing the ranker");
    assertThat(Files.readAllLines(out.resolve("downstream.jsonl"))).isEqualTo(lines);

    // Other settings into the same results are refused rather than mixed into one table.
    DownstreamEvaluation.Preset longer =
        new DownstreamEvaluation.Preset("tiny", 96, 40, 5, 16, 2e-3, List.of(0.25), 1, 4, 4);
    DownstreamEvaluation.Options other =
        new DownstreamEvaluation.Options(
            data, longer, 1, "val", out, false, List.of("ltrp"), List.of(0.25));
    assertThatThrownBy(() -> DownstreamEvaluation.run(other, new PrintStream(again, true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("other settings");

    // A named teacher (a point of the teacher-quality curve) gets a ranker trained for it.
    Path curve = dir.resolve("curve");
    DownstreamEvaluation.Options named =
        new DownstreamEvaluation.Options(
            data,
            tiny,
            1,
            "val",
            curve,
            false,
            List.of("ltrp"),
            List.of(0.25),
            out.resolve("mae.safetensors"));
    JsonNode point =
        JSON.readTree(DownstreamEvaluation.run(named, new PrintStream(again, true)).toFile());
    assertThat(point.get("models").asText()).startsWith("teacher ").endsWith("ranker trained");
    assertThat(curve.resolve("ranker.safetensors")).exists();
    assertThat(curve.resolve("mae.safetensors")).doesNotExist();
    Path foreign = dir.resolve("fashion-teacher.safetensors");
    dev.ltrp.eval.EvalModels.fashionMnistTeacher()
        .save(foreign, dev.ltrp.core.checkpoint.DType.F32);
    DownstreamEvaluation.Options mismatch =
        new DownstreamEvaluation.Options(
            data,
            tiny,
            1,
            "val",
            dir.resolve("mismatch"),
            false,
            List.of("ltrp"),
            List.of(0.25),
            foreign);
    assertThatThrownBy(() -> DownstreamEvaluation.run(mismatch, new PrintStream(again, true)))
        .hasMessageContaining("grid");
  }

  @Test
  void anInterruptedTeacherPretrainingContinuesToTheSameTeacher() throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("blobs-images-idx3-ubyte.gz"),
        dir.resolve("blobs-labels-idx1-ubyte.gz"),
        120,
        14,
        3,
        7);
    LabeledDataset data = LabeledDataset.open("idx:" + dir.resolve("blobs"), FashionMnist.DIR);
    DownstreamEvaluation.Preset tiny =
        new DownstreamEvaluation.Preset("tiny", 48, 20, 2, 8, 2e-3, List.of(0.25), 1, 16, 2);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
    DownstreamEvaluation.Options whole =
        new DownstreamEvaluation.Options(
            data, tiny, 1, "val", dir.resolve("whole"), false, List.of("ltrp"), List.of(0.25));
    DownstreamEvaluation.Options split =
        new DownstreamEvaluation.Options(
            data, tiny, 1, "val", dir.resolve("split"), false, List.of("ltrp"), List.of(0.25));
    Files.createDirectories(whole.out());
    Files.createDirectories(split.out());

    var uninterrupted = DownstreamEvaluation.pretrainedTeacher(whole, quiet, Long.MAX_VALUE);
    // Stopped after 5 of 16 steps, then continued.
    assertThat(DownstreamEvaluation.pretrainedTeacher(split, quiet, 5)).isNull();
    assertThat(split.out().resolve("mae.ckpt.safetensors")).exists();
    assertThat(split.out().resolve("mae-step5.safetensors")).exists();
    assertThat(split.out().resolve("mae.safetensors")).doesNotExist();
    var continued = DownstreamEvaluation.pretrainedTeacher(split, quiet, Long.MAX_VALUE);

    assertThat(continued.stateDict().names()).isEqualTo(uninterrupted.stateDict().names());
    for (String name : uninterrupted.stateDict().names()) {
      assertThat(continued.tensor(name).toArray())
          .as(name)
          .containsExactly(uninterrupted.tensor(name).toArray());
    }
    assertThat(Files.readAllLines(split.out().resolve("mae.metrics.jsonl"))).hasSize(16);
  }

  @Test
  void unseenClassesAreSelectedByModelsThatLearnedTheOtherClasses() throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("four-images-idx3-ubyte.gz"),
        dir.resolve("four-labels-idx1-ubyte.gz"),
        300,
        14,
        4,
        9);
    LabeledDataset data = LabeledDataset.open("idx:" + dir.resolve("four"), FashionMnist.DIR);
    DownstreamEvaluation.Preset tiny =
        new DownstreamEvaluation.Preset("tiny", 80, 30, 3, 16, 2e-3, List.of(0.25), 1, 3, 3);
    Path out = dir.resolve("out");
    List<String> rankers = List.of("ltrp", "supervised", "random", "all");
    DownstreamEvaluation.Options options =
        new DownstreamEvaluation.Options(
            data, tiny, 1, "val", out, false, rankers, List.of(0.25), null, true);

    JsonNode json =
        JSON.readTree(
            DownstreamEvaluation.run(options, new PrintStream(new ByteArrayOutputStream(), true))
                .toFile());

    List<String> unseen = new ArrayList<>();
    json.get("unseen").fieldNames().forEachRemaining(unseen::add);
    assertThat(unseen).containsExactlyInAnyOrderElementsOf(rankers);
    Path u = out.resolve("unseen");
    assertThat(u.resolve("mae.safetensors")).exists();
    assertThat(u.resolve("ranker.safetensors")).exists();
    assertThat(u.resolve("seen-oracle-train80.bin")).exists();
    // Only classes 2-3 are evaluated (30 of the validation images at most), and the supervised
    // ranker's classifier learned classes 0-1.
    for (String l : Files.readAllLines(u.resolve("downstream.jsonl"))) {
      assertThat(JSON.readTree(l).get("eval_images").asInt())
          .isEqualTo(Math.min(30, data.withClasses(2, 4).val().size()));
    }
    assertThat(data.withClasses(2, 4).train().label(0)).isIn(2, 3);
    assertThat(Files.readString(out.resolve("RESULTS.md")))
        .contains("## Unseen classes")
        .contains("classes 0–1");
    assertThatThrownBy(() -> data.withClasses(3, 3)).hasMessageContaining("[3, 3)");
  }

  @Test
  void optionsRefuseWhatTheProtocolDoesNotDefine() throws IOException {
    IdxFiles.writeBlobs(
        dir.resolve("b-images-idx3-ubyte"), dir.resolve("b-labels-idx1-ubyte"), 36, 14, 3, 1);
    LabeledDataset data = LabeledDataset.open("idx:" + dir.resolve("b"), FashionMnist.DIR);
    DownstreamEvaluation.Preset quick = DownstreamEvaluation.Preset.quick();
    assertThatThrownBy(
            () ->
                new DownstreamEvaluation.Options(
                    data, quick, 1, "train", dir, false, List.of("ltrp"), List.of(0.25)))
        .hasMessageContaining("val or test");
    assertThatThrownBy(
            () ->
                new DownstreamEvaluation.Options(
                    data, quick, 1, "val", dir, false, List.of("attention"), List.of(0.25)))
        .hasMessageContaining("'attention'");
    assertThatThrownBy(
            () ->
                new DownstreamEvaluation.Options(
                    data, quick, 1, "val", dir, false, List.of("ltrp"), List.of(1.0)))
        .hasMessageContaining("(0, 1)");
    assertThatThrownBy(
            () ->
                new DownstreamEvaluation.Options(
                    data, quick, 0, "val", dir, false, List.of("ltrp"), List.of(0.25)))
        .hasMessageContaining("seeds");
    assertThatThrownBy(() -> DownstreamEvaluation.Preset.named("huge"))
        .hasMessageContaining("quick or full");
  }
}
