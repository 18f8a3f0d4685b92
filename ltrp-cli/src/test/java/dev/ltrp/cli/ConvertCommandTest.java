package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.checkpoint.CheckpointFormat;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.ModelProvenance;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ltrp convert}: any readable checkpoint to safetensors, value for value. */
class ConvertCommandTest {

  private static final Path PTH = RepoFiles.tinyMae("mae.pth");

  private static StateDict source;

  @BeforeAll
  static void read() throws IOException {
    source = Checkpoints.read(PTH);
  }

  @Test
  void pthToF32SafetensorsKeepsEveryTensorExactly(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("mae.safetensors");
    CliRun run = CliRun.ltrp("convert", PTH, out);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Checkpoints.detect(out)).isEqualTo(CheckpointFormat.SAFETENSORS);
    StateDict converted = Checkpoints.read(out);
    assertThat(converted).isEqualTo(source);
    assertThat(converted.names()).containsExactlyElementsOf(source.names());
    assertThat(converted.asMap().values()).allMatch(t -> t.sourceDType() == DType.F32);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("ltrp convert: wrote " + out + ": " + source.size() + " tensors, ")
        .contains(
            String.format("%,d parameters", source.totalElements()),
            "F32",
            String.format("%,d bytes", Files.size(out)));
  }

  @Test
  void pthToBf16SafetensorsRoundsEveryValueToNearestEven(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("mae-bf16.safetensors");
    CliRun run = CliRun.ltrp("convert", PTH, out, "--dtype", "bf16");

    assertThat(run.exitCode()).as(run.err()).isZero();
    StateDict converted = Checkpoints.read(out);
    assertThat(converted).isEqualTo(map(source, ConvertCommandTest::roundToBf16));
    assertThat(converted.asMap().values()).allMatch(t -> t.sourceDType() == DType.BF16);
    assertThat(run.err()).contains("BF16");
    // Two bytes per value plus a header: about half the float32 file.
    assertThat(Files.size(out)).isLessThan(2 * source.totalElements() + 16_384);
  }

  @Test
  void referenceNamesConvertsAHuggingFaceCheckpoint(@TempDir Path dir) throws IOException {
    // The same tiny MAE under ViTMAEForPreTraining names, written by the reference script.
    Path hf = RepoFiles.tinyMae("mae_hf.safetensors");
    Path out = dir.resolve("reference.safetensors");

    CliRun run = CliRun.ltrp("convert", hf, out, "--reference-names");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Checkpoints.read(out)).isEqualTo(source);
    assertThat(run.err()).contains("names converted from Hugging Face ViTMAE");
  }

  @Test
  void referenceNamesKeepsReferenceNames(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("mae.safetensors");
    CliRun run = CliRun.ltrp("convert", PTH, out, "--reference-names");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Checkpoints.read(out)).isEqualTo(source);
    assertThat(run.err()).contains("names kept");
  }

  @Test
  void convertingKeepsTheTrainingProvenanceAndRecordsItsOwn(@TempDir Path dir) throws IOException {
    Path trained = dir.resolve("ranker.safetensors");
    String settings = "{\"steps\":12,\"image_names_hash\":99}";
    RankerWeights.random(CliFixtures.TINY_RANKER, 1)
        .withProvenance(
            ModelProvenance.training(12, settings)
                .withWriter("0.0.1", "feed", Instant.parse("2020-01-01T00:00:00Z")))
        .save(trained);
    Path out = dir.resolve("ranker-f16.safetensors");

    CliRun run = CliRun.ltrp("convert", trained, out, "--dtype", "f16");

    assertThat(run.exitCode()).as(run.err()).isZero();
    ModelProvenance p = ModelProvenance.fromMetadata(Checkpoints.load(out).metadata());
    assertThat(p.trainingSteps()).hasValue(12);
    assertThat(p.trainingSettings()).hasValue(settings);
    // The writer is this conversion, not the training run's ltrp.
    assertThat(p.writtenAt())
        .hasValueSatisfying(t -> assertThat(t).isAfter(Instant.parse("2020-01-01T00:00:00Z")));
    assertThat(p.commit()).isNotEqualTo(java.util.Optional.of("feed"));
    assertThat(p.version()).isPresent();
  }

  /** Round to nearest, ties to even, on the upper 16 bits of the float32 (finite values). */
  private static float roundToBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(rounded & 0xFFFF0000);
  }

  private interface FloatOp {
    float apply(float v);
  }

  private static StateDict map(StateDict sd, FloatOp op) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    sd.asMap()
        .forEach(
            (name, t) -> {
              float[] data = t.toArray();
              for (int i = 0; i < data.length; i++) {
                data[i] = op.apply(data[i]);
              }
              out.put(name, Tensor.of(t.shape(), data));
            });
    return StateDict.of(out);
  }
}
