package dev.ltrp.nd4j.internal.graph;

import dev.ltrp.core.model.VitShape;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The ViT encoder shared by the MAE and the ranking model: patch embedding of the given patches,
 * plus their position embeddings, the class token (with position 0's embedding) prepended, the
 * pre-norm blocks, the final LayerNorm.
 *
 * <p>Uses the graph variables {@code patch_embed.proj.*} (linear layout, see {@link GraphWeights}),
 * {@code cls_token}, {@code pos_embed}, {@code blocks.i.*}, {@code norm.*}.
 */
public final class VitEncoder {

  private VitEncoder() {}

  /**
   * Encodes a batch of token sets.
   *
   * @param patches {@code [B, N, p·p·C]} patch pixels (patchify order)
   * @param positions {@code [B, N, D]} the {@code pos_embed} rows of those patches
   * @param body the encoder's patch length, width {@code D}, depth and heads
   * @param eps the LayerNorm epsilon
   * @param keyBias {@code [B, 1, 1, N+1]} attention key bias, or null
   * @param queryKeep {@code [B, 1, N+1, 1]} attention query multiplier, or null
   * @return the normalized tokens {@code [B·(N+1), D]}, class token first in each sequence
   */
  public static Sequence encode(
      SameDiff sd,
      SDVariable patches,
      SDVariable positions,
      VitShape body,
      double eps,
      SDVariable keyBias,
      SDVariable queryKeep) {
    return encode(sd, patches, positions, body, eps, keyBias, queryKeep, false);
  }

  /**
   * As {@link #encode(SameDiff, SDVariable, SDVariable, VitShape, double, SDVariable, SDVariable)};
   * with {@code clsAttention}, the result also carries the last block's attention of the class
   * token over the sequence, averaged over heads ({@code [B, N+1]}, column 0 being the class token
   * itself): the "supervised ranking" of a classifier.
   */
  public static Sequence encode(
      SameDiff sd,
      SDVariable patches,
      SDVariable positions,
      VitShape body,
      double eps,
      SDVariable keyBias,
      SDVariable queryKeep,
      boolean clsAttention) {
    int patchDim = body.patchDim();
    int width = body.embedDim();
    int depth = body.depth();
    int heads = body.numHeads();
    SequenceShape patchShape = SequenceShape.of(patches);
    SDVariable embedded =
        TransformerLayers.linear(sd, patches.reshape(-1, patchDim), "patch_embed.proj.");
    SDVariable tokens = embedded.reshape(patchShape.with(width)).add(positions);
    SDVariable cls =
        sd.getVariable("cls_token")
            .add(
                sd.getVariable("pos_embed")
                    .get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()));
    // [B, 1, D] rows of the class token, broadcast from [1, 1, D] without knowing B.
    SDVariable clsRows =
        tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()).mul(0.0).add(cls);
    SDVariable sequence = sd.concat(1, clsRows, tokens);
    SequenceShape shape = SequenceShape.of(sequence);
    SDVariable x = sequence.reshape(-1, width);
    SDVariable attention = null;
    for (int i = 0; i < depth; i++) {
      String prefix = "blocks." + i + ".";
      if (clsAttention && i == depth - 1) {
        SDVariable weights =
            TransformerLayers.attentionWeights(
                    sd,
                    TransformerLayers.layerNorm(sd, x, prefix + "norm1.", eps),
                    shape,
                    width,
                    heads,
                    prefix + "attn.",
                    keyBias)
                .weights();
        attention =
            weights
                .get(SDIndex.all(), SDIndex.all(), SDIndex.point(0), SDIndex.all())
                .mean(false, 1);
      }
      x = TransformerLayers.block(sd, x, shape, width, heads, eps, prefix, keyBias, queryKeep);
    }
    x = TransformerLayers.layerNorm(sd, x, "norm.", eps);
    return new Sequence(x, shape, attention);
  }

  /**
   * Tokens of a batch of sequences, flattened to {@code [B·N, width]}, with their {@code [B, N]}
   * structure.
   */
  public record Sequence(SDVariable tokens, SequenceShape shape, SDVariable clsAttention) {

    /** A sequence without attention output. */
    public Sequence(SDVariable tokens, SequenceShape shape) {
      this(tokens, shape, null);
    }
  }
}
