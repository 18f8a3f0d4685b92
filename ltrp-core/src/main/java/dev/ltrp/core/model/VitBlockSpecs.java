package dev.ltrp.core.model;

import java.util.ArrayList;
import java.util.List;

/** The checkpoint tensors of timm-style pre-norm ViT blocks ({@code prefix.i.norm1.weight}, …). */
public final class VitBlockSpecs {

  private VitBlockSpecs() {}

  /**
   * The tensors of a ViT body of shape {@code c} without a head ({@code cls_token}, {@code
   * pos_embed}, {@code patch_embed}, {@code blocks}, {@code norm}), in the order timm and the
   * reference MAE register them.
   */
  public static List<TensorSpec> body(VitShape c) {
    int d = c.embedDim();
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(TensorSpec.of("cls_token", 1, 1, d));
    specs.add(TensorSpec.of("pos_embed", 1, c.numPatches() + 1, d));
    specs.add(
        TensorSpec.of("patch_embed.proj.weight", d, c.inChans(), c.patchSize(), c.patchSize()));
    specs.add(TensorSpec.of("patch_embed.proj.bias", d));
    specs.addAll(blocks("blocks", c.depth(), d, c.mlpHidden()));
    specs.add(TensorSpec.of("norm.weight", d));
    specs.add(TensorSpec.of("norm.bias", d));
    return specs;
  }

  /**
   * The tensors of {@code depth} blocks named {@code prefix.0.…} to {@code prefix.(depth-1).…}.
   *
   * @param width token width {@code D}
   * @param hidden MLP hidden width
   */
  public static List<TensorSpec> blocks(String prefix, int depth, int width, int hidden) {
    List<TensorSpec> specs = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      String b = prefix + "." + i + ".";
      specs.add(TensorSpec.of(b + "norm1.weight", width));
      specs.add(TensorSpec.of(b + "norm1.bias", width));
      specs.add(TensorSpec.of(b + "attn.qkv.weight", 3 * width, width));
      specs.add(TensorSpec.of(b + "attn.qkv.bias", 3 * width));
      specs.add(TensorSpec.of(b + "attn.proj.weight", width, width));
      specs.add(TensorSpec.of(b + "attn.proj.bias", width));
      specs.add(TensorSpec.of(b + "norm2.weight", width));
      specs.add(TensorSpec.of(b + "norm2.bias", width));
      specs.add(TensorSpec.of(b + "mlp.fc1.weight", hidden, width));
      specs.add(TensorSpec.of(b + "mlp.fc1.bias", hidden));
      specs.add(TensorSpec.of(b + "mlp.fc2.weight", width, hidden));
      specs.add(TensorSpec.of(b + "mlp.fc2.bias", width));
    }
    return specs;
  }

  /** Whether a tensor name is a LayerNorm parameter or a bias (no weight decay in training). */
  public static boolean isNormOrBias(String name) {
    return name.endsWith(".bias") || name.contains("norm");
  }
}
