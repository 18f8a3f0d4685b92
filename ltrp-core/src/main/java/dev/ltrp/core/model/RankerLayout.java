package dev.ltrp.core.model;

import java.util.List;

/** The checkpoint tensors of an LTRP ranker, with timm's {@code VisionTransformer} names. */
public final class RankerLayout {

  private RankerLayout() {}

  /** Every tensor of {@code c}: embeddings, blocks, final norm and the per-patch head. */
  public static List<TensorSpec> tensors(RankerConfig c) {
    List<TensorSpec> specs = VitBlockSpecs.body(c);
    specs.add(TensorSpec.of("head.weight", c.numPatches(), c.embedDim()));
    specs.add(TensorSpec.of("head.bias", c.numPatches()));
    return List.copyOf(specs);
  }
}
