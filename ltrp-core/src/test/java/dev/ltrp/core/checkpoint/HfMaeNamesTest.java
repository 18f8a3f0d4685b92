package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HfMaeNamesTest {

  private static StateDict hf() throws Exception {
    return Checkpoints.read(CheckpointFixtures.path("hf_mae_tiny.safetensors"));
  }

  @Test
  void convertsToTheReferenceNamesAsPyTorchDoes() throws Exception {
    StateDict converted = HfMaeNames.toReference(hf());
    StateDict reference =
        Checkpoints.read(CheckpointFixtures.path("hf_mae_tiny_reference.safetensors"));
    assertThat(converted).isEqualTo(reference);
    assertThat(converted.names()).containsExactlyInAnyOrderElementsOf(reference.names());
    assertThat(converted.names())
        .startsWith(
            "cls_token",
            "pos_embed",
            "patch_embed.proj.weight",
            "patch_embed.proj.bias",
            "blocks.0.attn.qkv.weight",
            "blocks.0.attn.qkv.bias");
  }

  @Test
  void stacksQueryKeyValueRowsInThatOrder() throws Exception {
    StateDict hf = hf();
    StateDict ref = HfMaeNames.toReference(hf);
    for (String[] layer :
        new String[][] {
          {"vit.encoder.layer.1.", "blocks.1."},
          {"decoder.decoder_layers.0.", "decoder_blocks.0."}
        }) {
      Tensor qkv = ref.require(layer[1] + "attn.qkv.weight");
      Tensor bias = ref.require(layer[1] + "attn.qkv.bias");
      String[] parts = {"query", "key", "value"};
      int d = hf.require(layer[0] + "attention.attention.query.weight").dim(0);
      assertThat(qkv.shape()).containsExactly(3 * d, d);
      assertThat(bias.shape()).containsExactly(3 * d);
      for (int p = 0; p < 3; p++) {
        Tensor w = hf.require(layer[0] + "attention.attention." + parts[p] + ".weight");
        Tensor b = hf.require(layer[0] + "attention.attention." + parts[p] + ".bias");
        for (int r = 0; r < d; r++) {
          assertThat(bias.get(p * d + r)).isEqualTo(b.get(r));
          for (int c = 0; c < d; c++) {
            assertThat(qkv.get(p * d + r, c))
                .as("%s row %d col %d", parts[p], r, c)
                .isEqualTo(w.get(r, c));
          }
        }
      }
    }
  }

  @Test
  void detectsHuggingFaceNames() throws Exception {
    assertThat(HfMaeNames.isHfMae(hf())).isTrue();
    StateDict ref = HfMaeNames.toReference(hf());
    assertThat(HfMaeNames.isHfMae(ref)).isFalse();
    assertThat(HfMaeNames.toReferenceIfHf(ref)).isSameAs(ref);
    assertThat(HfMaeNames.toReferenceIfHf(hf())).isEqualTo(ref);
  }

  @Test
  void mapsSingleNames() {
    assertThat(HfMaeNames.referenceName("vit.encoder.layer.11.layernorm_after.bias"))
        .hasValue("blocks.11.norm2.bias");
    assertThat(HfMaeNames.referenceName("vit.encoder.layer.3.output.dense.weight"))
        .hasValue("blocks.3.mlp.fc2.weight");
    assertThat(HfMaeNames.referenceName("vit.encoder.layer.3.intermediate.dense.bias"))
        .hasValue("blocks.3.mlp.fc1.bias");
    assertThat(HfMaeNames.referenceName("decoder.decoder_layers.7.attention.output.dense.weight"))
        .hasValue("decoder_blocks.7.attn.proj.weight");
    assertThat(HfMaeNames.referenceName("decoder.decoder_layers.0.attention.attention.key.bias"))
        .hasValue("decoder_blocks.0.attn.qkv.bias");
    assertThat(HfMaeNames.referenceName("decoder.mask_token")).hasValue("mask_token");
    assertThat(HfMaeNames.referenceName("vit.encoder.layer.01.output.dense.weight")).isEmpty();
    assertThat(HfMaeNames.referenceName("vit.pooler.dense.weight")).isEmpty();
  }

  @Test
  void convertsAnEncoderOnlyCheckpoint() throws Exception {
    StateDict encoder = hf().filter(n -> n.startsWith("vit."));
    StateDict ref = HfMaeNames.toReference(encoder);
    assertThat(ref.contains("blocks.1.attn.qkv.weight")).isTrue();
    assertThat(ref.contains("decoder_embed.weight")).isFalse();
  }

  private static StateDict with(StateDict base, String name, Tensor t) {
    Map<String, Tensor> m = new LinkedHashMap<>(base.asMap());
    m.put(name, t);
    return StateDict.of(m);
  }

  @Test
  void reportsUnknownTensorsInsteadOfDroppingThem() throws Exception {
    StateDict extra =
        with(
            with(hf(), "vit.pooler.dense.weight", Tensor.scalar(1)),
            "classifier.bias",
            Tensor.scalar(1));
    assertThatThrownBy(() -> HfMaeNames.toReference(extra))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.UNEXPECTED))
        .hasMessage(
            "checkpoint has 2 unexpected tensors (not Hugging Face ViTMAEForPreTraining"
                + " tensors): [vit.pooler.dense.weight, classifier.bias]");
  }

  @Test
  void namesAMissingKeyOrValue() throws Exception {
    String key = "vit.encoder.layer.1.attention.attention.key.weight";
    StateDict noKey = hf().filter(n -> !n.equals(key));
    assertThatThrownBy(() -> HfMaeNames.toReference(noKey))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.MISSING))
        .hasMessageStartingWith(
            "tensor vit.encoder.layer.1.attention.attention.key.weight is" + " missing");
  }

  @Test
  void namesAValueOfTheWrongShape() throws Exception {
    StateDict bad =
        with(
            hf(),
            "vit.encoder.layer.0.attention.attention.value.weight",
            Tensor.of(new int[] {8, 4}, new float[32]));
    assertThatThrownBy(() -> HfMaeNames.toReference(bad))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.WRONG_SHAPE))
        .hasMessage(
            "tensor vit.encoder.layer.0.attention.attention.value.weight has shape"
                + " [8, 4], expected [8, 8]");
  }

  @Test
  void keepsValuesAndSourceTypes() throws Exception {
    StateDict ref = HfMaeNames.toReference(hf());
    assertThat(ref.require("pos_embed").toArray())
        .isEqualTo(hf().require("vit.embeddings.position_embeddings").toArray());
    assertThat(
            Arrays.stream(ref.names().toArray(String[]::new))
                .allMatch(n -> ref.asMap().get(n).sourceDType() == DType.F32))
        .isTrue();
  }
}
