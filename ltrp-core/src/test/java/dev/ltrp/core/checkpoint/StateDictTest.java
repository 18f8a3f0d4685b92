package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateDictTest {

  private static Tensor zeros(int... shape) {
    return Tensor.of(shape, new float[(int) Tensor.numel(shape)]);
  }

  private static StateDict mae() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("cls_token", zeros(1, 1, 4));
    m.put("blocks.0.attn.qkv.weight", zeros(12, 4));
    m.put("blocks.0.attn.qkv.bias", zeros(12));
    m.put("blocks.0.attn.proj.weight", zeros(4, 4));
    m.put("norm.weight", zeros(4));
    return StateDict.of(m);
  }

  @Test
  void keepsTheOrderAndIsUnmodifiable() {
    StateDict sd = mae();
    assertThat(sd.names())
        .containsExactly(
            "cls_token",
            "blocks.0.attn.qkv.weight",
            "blocks.0.attn.qkv.bias",
            "blocks.0.attn.proj.weight",
            "norm.weight");
    assertThat(sd.size()).isEqualTo(5);
    assertThat(sd.totalElements()).isEqualTo(4 + 48 + 12 + 16 + 4);
    assertThatThrownBy(() -> sd.names().remove("norm.weight"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> sd.asMap().put("x", zeros(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(sd)
        .hasToString(
            "StateDict[5 tensors: cls_token [1, 1, 4], blocks.0.attn.qkv.weight"
                + " [12, 4], blocks.0.attn.qkv.bias [12], blocks.0.attn.proj.weight [4, 4], ...]");
  }

  @Test
  void copiesTheMap() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", zeros(1));
    StateDict sd = StateDict.of(m);
    m.put("b", zeros(1));
    assertThat(sd.names()).containsExactly("a");
    assertThat(StateDict.empty().isEmpty()).isTrue();
  }

  @Test
  void requiresPresentTensorsOfTheRightShape() throws Exception {
    StateDict sd = mae();
    assertThat(sd.require("blocks.0.attn.qkv.weight", 12, 4).shape()).containsExactly(12, 4);
    assertThat(sd.require("norm.weight").size()).isEqualTo(4);
    assertThat(sd.find("nope")).isEmpty();
    assertThat(sd.contains("cls_token")).isTrue();
  }

  @Test
  void namesBothShapesWhenTheShapeIsWrong() {
    assertThatThrownBy(() -> mae().require("blocks.0.attn.qkv.weight", 2304, 768))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.WRONG_SHAPE);
              assertThat(e.tensorName()).hasValue("blocks.0.attn.qkv.weight");
            })
        .hasMessage("tensor blocks.0.attn.qkv.weight has shape [12, 4], expected [2304, 768]");
    assertThatThrownBy(() -> mae().require("norm.weight", new int[0]))
        .hasMessage("tensor norm.weight has shape [4], expected []");
  }

  @Test
  void suggestsSimilarNamesWhenATensorIsMissing() {
    assertThatThrownBy(() -> mae().require("blocks.0.attn.qkv.weigth"))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.MISSING))
        .hasMessage(
            "tensor blocks.0.attn.qkv.weigth is missing; similar names present:"
                + " [blocks.0.attn.qkv.weight, blocks.0.attn.qkv.bias, blocks.0.attn.proj.weight]");
    assertThatThrownBy(() -> mae().require("decoder_pred.bias", 12))
        .hasMessage(
            "tensor decoder_pred.bias is missing (the checkpoint has 5 tensors, none with"
                + " a similar name)");
  }

  @Test
  void suggestsTheNameWithAPrefix() throws Exception {
    StateDict ddp = mae().rename(n -> "module." + n);
    assertThatThrownBy(() -> ddp.require("norm.weight"))
        .hasMessageContaining("similar names present: [module.norm.weight");
    assertThat(ddp.withPrefixStripped("module.")).isEqualTo(mae());
  }

  @Test
  void reportsUnusedTensors() throws Exception {
    StateDict sd = mae();
    sd.checkNoUnused(sd.names());
    assertThatThrownBy(() -> sd.checkNoUnused(Set.of("cls_token", "norm.weight")))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.UNEXPECTED))
        .hasMessage(
            "checkpoint has 3 unexpected tensors: [blocks.0.attn.qkv.weight,"
                + " blocks.0.attn.qkv.bias, blocks.0.attn.proj.weight]");
  }

  @Test
  void listsAtMostFiveNames() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      m.put("t" + i, zeros(1));
    }
    assertThatThrownBy(() -> StateDict.of(m).checkNoUnused(Set.of()))
        .hasMessage("checkpoint has 8 unexpected tensors: [t0, t1, t2, t3, t4, and 3 more]");
  }

  @Test
  void renamesAndRefusesCollisions() throws Exception {
    StateDict renamed = mae().rename(n -> n.replace("blocks.", "layers."));
    assertThat(renamed.names()).contains("layers.0.attn.qkv.weight");
    assertThatThrownBy(() -> mae().rename(n -> n.startsWith("blocks") ? "x" : n))
        .isInstanceOfSatisfying(
            CheckpointMismatchException.class,
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.NAME_COLLISION))
        .hasMessage(
            "tensor x would be the new name of both blocks.0.attn.qkv.weight and"
                + " blocks.0.attn.qkv.bias");
    Map<String, Tensor> mixed = new LinkedHashMap<>();
    mixed.put("module.a", zeros(1));
    mixed.put("a", zeros(2));
    assertThatThrownBy(() -> StateDict.of(mixed).withPrefixStripped("module."))
        .isInstanceOf(CheckpointMismatchException.class);
  }

  @Test
  void filtersByName() {
    assertThat(mae().filter(n -> n.startsWith("blocks.")).names())
        .containsExactly(
            "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias", "blocks.0.attn.proj.weight");
  }

  @Test
  void equalityIgnoresOrder() {
    Map<String, Tensor> reversed = new LinkedHashMap<>();
    StateDict sd = mae();
    java.util.List<String> names = new java.util.ArrayList<>(sd.names());
    java.util.Collections.reverse(names);
    names.forEach(n -> reversed.put(n, sd.asMap().get(n)));
    assertThat(StateDict.of(reversed)).isEqualTo(sd).hasSameHashCodeAs(sd);
  }

  @Test
  void rejectsNulls() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", null);
    assertThatThrownBy(() -> StateDict.of(m)).isInstanceOf(NullPointerException.class);
  }
}
