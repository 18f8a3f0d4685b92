package dev.ltrp.nd4j.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The ViT encoder shared by the MAE and the ranking model: patch embedding of the given patches,
 * plus their position embeddings, the class token (with position 0's embedding) prepended, the
 * pre-norm blocks, the final LayerNorm.
 *
 * <p>Uses the graph variables {@code patch_embed.proj.*} (linear layout, see {@link
 * GraphWeights}), {@code cls_token}, {@code pos_embed}, {@code blocks.i.*}, {@code norm.*}.
 */
public final class VitEncoder {

  private VitEncoder() {}

  /**
   * Encodes a batch of token sets.
   *
   * @param patches {@code [B, N, p·p·C]} patch pixels (patchify order)
   * @param positions {@code [B, N, D]} the {@code pos_embed} rows of those patches
   * @param keyBias {@code [B, 1, 1, N+1]} attention key bias, or null
   * @param queryKeep {@code [B, 1, N+1, 1]} attention query multiplier, or null
   * @return the normalized tokens {@code [B·(N+1), D]}, class token first in each sequence
   */
  public static Sequence encode(SameDiff sd, SDVariable patches, SDVariable positions,
      int patchDim, int width, int depth, int heads, double eps,
      SDVariable keyBias, SDVariable queryKeep) {
    SequenceShape patchShape = SequenceShape.of(patches);
    SDVariable embedded = TransformerLayers.linear(sd, patches.reshape(-1, patchDim),
        "patch_embed.proj.");
    SDVariable tokens = embedded.reshape(patchShape.with(width)).add(positions);
    SDVariable cls = sd.getVariable("cls_token")
        .add(sd.getVariable("pos_embed").get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()));
    // [B, 1, D] rows of the class token, broadcast from [1, 1, D] without knowing B.
    SDVariable clsRows = tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all())
        .mul(0.0).add(cls);
    SDVariable sequence = sd.concat(1, clsRows, tokens);
    SequenceShape shape = SequenceShape.of(sequence);
    SDVariable x = sequence.reshape(-1, width);
    for (int i = 0; i < depth; i++) {
      x = TransformerLayers.block(sd, x, shape, width, heads, eps, "blocks." + i + ".",
          keyBias, queryKeep);
    }
    x = TransformerLayers.layerNorm(sd, x, "norm.", eps);
    return new Sequence(x, shape);
  }

  /**
   * Tokens of a batch of sequences, flattened to {@code [B·N, width]}, with their {@code [B, N]}
   * structure.
   */
  public record Sequence(SDVariable tokens, SequenceShape shape) {}
}
