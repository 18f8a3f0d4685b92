package dev.ltrp.nd4j.internal.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers of a timm-style pre-norm ViT block, built from SameDiff ops that are numerically
 * faithful in ND4J 1.0.0-M2.1 (see the project's notes on ND4J): LayerNorm written out with an
 * explicit epsilon, exact erf GELU (ND4J's {@code gelu} ops are approximations), reductions on
 * positive axes only, and linear layers as {@code mmul + add} on {@code [rows, features]} matrices
 * with PyTorch's {@code [out, in]} weight layout.
 *
 * <p>Weights are looked up by their checkpoint names: a layer called with prefix {@code
 * "blocks.3.attn.qkv."} uses the graph variables {@code blocks.3.attn.qkv.weight} and {@code
 * blocks.3.attn.qkv.bias}.
 */
public final class TransformerLayers {

  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

  private TransformerLayers() {}

  /** {@code x · Wᵀ + b} for {@code x [M, in]}, {@code W [out, in]}: PyTorch's {@code nn.Linear}. */
  public static SDVariable linear(SameDiff sd, SDVariable x, String prefix) {
    SDVariable w = sd.getVariable(prefix + "weight");
    SDVariable b = sd.getVariable(prefix + "bias");
    // biasAdd rather than a broadcasting add: its gradient is a dedicated column sum, measured
    // 15% cheaper than add_bp's generic broadcast reduction in a small ViT's step.
    return sd.nn.biasAdd(sd.mmul(x, w, false, true, false), b, false);
  }

  /**
   * LayerNorm over the last axis of {@code x [M, D]}: {@code (x - mean) / sqrt(var + eps) · w + b}
   * with the biased variance, like PyTorch.
   */
  public static SDVariable layerNorm(SameDiff sd, SDVariable x, String prefix, double eps) {
    SDVariable weight = sd.getVariable(prefix + "weight");
    SDVariable bias = sd.getVariable(prefix + "bias");
    if (weight.getVariableType() != VariableType.VARIABLE) {
      // Inference graphs (frozen weights): broadcasting ops, the fewest passes over memory.
      SDVariable mean = x.mean(true, 1);
      SDVariable centered = x.sub(mean);
      SDVariable variance = centered.mul(centered).mean(true, 1);
      SDVariable normalized = centered.mul(sd.math.rsqrt(variance.add(eps)));
      return sd.nn.biasAdd(normalized.mul(weight), bias, false);
    }
    // Training graphs: every broadcast spelled out as an outer product with ones ([M, 1]·[1, D]),
    // exact in the forward pass (one product with 1 per element), so that the backward pass
    // reduces with matrix products instead of multiply_bp / subtract_bp's generic broadcast
    // reductions, which took about a quarter of a small ViT's training step (issue 12, item 10).
    long width = weight.getShape()[0];
    SDVariable onesRow = sd.constant(Nd4j.ones(weight.dataType(), 1, width));
    SDVariable mean = x.mean(true, 1);
    SDVariable centered = x.sub(sd.mmul(mean, onesRow));
    SDVariable variance = centered.mul(centered).mean(true, 1);
    SDVariable normalized = centered.mul(sd.mmul(sd.math.rsqrt(variance.add(eps)), onesRow));
    SDVariable gain = sd.mmul(sd.onesLike(mean), weight.reshape(1, width));
    return sd.nn.biasAdd(normalized.mul(gain), bias, false);
  }

  /** Exact GELU {@code 0.5 · x · (1 + erf(x / √2))}. */
  public static SDVariable gelu(SameDiff sd, SDVariable x) {
    return x.mul(0.5).mul(sd.math.erf(x.mul(INV_SQRT2)).add(1.0));
  }

  /**
   * Multi-head self-attention with a fused {@code qkv} projection, as in timm's {@code Attention}.
   *
   * @param x {@code [B·N, D]} normalized tokens
   * @param shape the {@code [B, N]} structure of {@code x}
   * @param heads number of heads; {@code D / heads} is the head width
   * @param prefix weight prefix, e.g. {@code "blocks.0.attn."} (uses {@code qkv.*} and {@code
   *     proj.*})
   * @param keyBias {@code [B, 1, 1, N]} added to the attention logits: 0 for keys that may be
   *     attended to, a large negative number for keys cut out of attention; null for none
   * @param queryKeep {@code [B, 1, N, 1]} multiplying the attention weights: 1 normally, 0 for a
   *     query that attends to nothing (its attention output is then exactly 0, which is what the
   *     reference gets from an all-masked softmax row after NaN→0); null for none
   * @return {@code [B·N, D]}
   */
  public static SDVariable attention(
      SameDiff sd,
      SDVariable x,
      SequenceShape shape,
      int width,
      int heads,
      String prefix,
      SDVariable keyBias,
      SDVariable queryKeep) {
    AttentionWeights a = attentionWeights(sd, x, shape, width, heads, prefix, keyBias);
    SDVariable weights = queryKeep != null ? a.weights().mul(queryKeep) : a.weights();
    SDVariable context = sd.mmul(weights, a.values());
    SDVariable merged = sd.permute(context, 0, 2, 1, 3).reshape(-1, width);
    return linear(sd, merged, prefix + "proj.");
  }

  /**
   * The attention weights {@code softmax(q·kᵀ/√hd + keyBias)} {@code [B, H, N, N]} of a block and
   * its values {@code [B, H, N, hd]}: the first half of {@link #attention}, for models that read
   * the weights (e.g. a classifier's class-token attention as a patch ranking).
   */
  public static AttentionWeights attentionWeights(
      SameDiff sd,
      SDVariable x,
      SequenceShape shape,
      int width,
      int heads,
      String prefix,
      SDVariable keyBias) {
    int headDim = width / heads;
    SDVariable qkv = linear(sd, x, prefix + "qkv.");
    // [B, N, 3, H, hd] → [3, B, H, N, hd]: rows 0..D-1 of qkv are q, then k, then v.
    SDVariable split = sd.permute(qkv.reshape(shape.with(3, heads, headDim)), 2, 0, 3, 1, 4);
    SDVariable[] qkvParts = sd.unstack(split, 0, 3);
    SDVariable q = qkvParts[0].mul(Math.pow(headDim, -0.5));
    SDVariable logits = sd.mmul(q, qkvParts[1], false, true, false);
    if (keyBias != null) {
      logits = logits.add(keyBias);
    }
    return new AttentionWeights(sd.nn.softmax(logits, 3), qkvParts[2]);
  }

  /** Attention weights {@code [B, H, N, N]} (query, key) and values {@code [B, H, N, hd]}. */
  public record AttentionWeights(SDVariable weights, SDVariable values) {}

  /**
   * One pre-norm transformer block: {@code x + attn(norm1(x))}, then {@code x + fc2(gelu(fc1(
   * norm2(x))))}.
   *
   * @param x {@code [B·N, D]}
   * @param prefix e.g. {@code "blocks.0."} or {@code "decoder_blocks.3."}
   * @return {@code [B·N, D]}
   */
  public static SDVariable block(
      SameDiff sd,
      SDVariable x,
      SequenceShape shape,
      int width,
      int heads,
      double eps,
      String prefix,
      SDVariable keyBias,
      SDVariable queryKeep) {
    SDVariable attended =
        attention(
            sd,
            layerNorm(sd, x, prefix + "norm1.", eps),
            shape,
            width,
            heads,
            prefix + "attn.",
            keyBias,
            queryKeep);
    SDVariable h = x.add(attended);
    SDVariable hidden =
        gelu(sd, linear(sd, layerNorm(sd, h, prefix + "norm2.", eps), prefix + "mlp.fc1."));
    return h.add(linear(sd, hidden, prefix + "mlp.fc2."));
  }
}
