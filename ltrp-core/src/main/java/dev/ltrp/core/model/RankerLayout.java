package dev.ltrp.core.model;

import java.util.ArrayList;
import java.util.List;

/** The checkpoint tensors of an LTRP ranker, with timm's {@code VisionTransformer} names. */
public final class RankerLayout {

  private RankerLayout() {}

  /** Every tensor of {@code c}: embeddings, blocks, final norm and the per-patch head. */
  public static List<TensorSpec> tensors(RankerConfig c) {
    int d = c.embedDim();
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(TensorSpec.of("cls_token", 1, 1, d));
    specs.add(TensorSpec.of("pos_embed", 1, c.numPatches() + 1, d));
    specs.add(
        TensorSpec.of("patch_embed.proj.weight", d, c.inChans(), c.patchSize(), c.patchSize()));
    specs.add(TensorSpec.of("patch_embed.proj.bias", d));
    specs.addAll(VitBlockSpecs.blocks("blocks", c.depth(), d, c.mlpHidden()));
    specs.add(TensorSpec.of("norm.weight", d));
    specs.add(TensorSpec.of("norm.bias", d));
    specs.add(TensorSpec.of("head.weight", c.numPatches(), d));
    specs.add(TensorSpec.of("head.bias", c.numPatches()));
    return List.copyOf(specs);
  }
}
