package dev.ltrp.nd4j.mae;

import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeLayout;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.nd4j.graph.GraphArrays;
import dev.ltrp.nd4j.graph.SequenceShape;
import dev.ltrp.nd4j.graph.TransformerLayers;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds the MAE encoder and decoder (LTRP-METHOD §2) into a {@link SameDiff} graph whose weight
 * variables carry the reference checkpoint names.
 *
 * <p>One deviation from the checkpoint layout, for speed and because ND4J's conv2d backprop fails
 * with PyTorch's weight layout: the patch embedding is a linear layer on patchified pixels, so
 * {@code patch_embed.proj.weight} is held as {@code [D, p·p·C]} in the patchify order (pixel row,
 * pixel column, channel) instead of the conv's {@code [D, C, p, p]}. {@link
 * #patchEmbedToLinear} and {@link #patchEmbedToConv} convert between the two.
 */
public final class MaeGraph {

  /** Graph name of the patch-embedding weight (in the linear layout). */
  public static final String PATCH_EMBED_WEIGHT = "patch_embed.proj.weight";

  private MaeGraph() {}

  /**
   * Declares every tensor of {@code weights} in {@code sd}: as trainable variables when {@code
   * trainable}, else as constants. Only the encoder is declared when {@code withDecoder} is false.
   */
  public static void declareWeights(
      SameDiff sd, MaeWeights weights, boolean trainable, boolean withDecoder) {
    MaeConfig c = weights.config();
    List<TensorSpec> specs = withDecoder ? MaeLayout.tensors(c) : MaeLayout.encoderTensors(c);
    for (TensorSpec spec : specs) {
      float[] data = weights.tensor(spec.name()).toArray();
      long[] shape = toLong(spec.shape());
      if (spec.name().equals(PATCH_EMBED_WEIGHT)) {
        data = patchEmbedToLinear(data, c);
        shape = new long[] {c.embedDim(), c.patchDim()};
      }
      INDArray arr = GraphArrays.floats(data, shape);
      if (trainable) {
        sd.var(spec.name(), arr);
      } else {
        sd.constant(spec.name(), arr);
      }
    }
  }

  /**
   * The encoder on the visible patches.
   *
   * @param patches {@code [B, n, p·p·C]} visible patch pixels (patchify order)
   * @param positions {@code [B, n, D]} the {@code pos_embed} rows of those patches
   * @param keyBias {@code [B, 1, 1, n+1]} attention key bias, or null
   * @param queryKeep {@code [B, 1, n+1, 1]} attention query multiplier, or null
   * @return the latent tokens {@code [B·(n+1), D]} (class token first in each sequence) and its
   *     shape
   */
  public static Sequence encoder(
      SameDiff sd, MaeConfig c, SDVariable patches, SDVariable positions,
      SDVariable keyBias, SDVariable queryKeep) {
    int d = c.embedDim();
    SequenceShape visibleShape = SequenceShape.of(patches);
    SDVariable embedded = TransformerLayers.linear(sd, patches.reshape(-1, c.patchDim()),
        "patch_embed.proj.");
    SDVariable tokens = embedded.reshape(visibleShape.with(d)).add(positions);
    SDVariable cls = sd.getVariable("cls_token")
        .add(sd.getVariable("pos_embed").get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()));
    // [B, 1, D] rows of the class token, broadcast from [1, 1, D] without knowing B.
    SDVariable clsRows = tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all())
        .mul(0.0).add(cls);
    SDVariable sequence = sd.concat(1, clsRows, tokens);
    SequenceShape shape = SequenceShape.of(sequence);
    SDVariable x = sequence.reshape(-1, d);
    for (int i = 0; i < c.depth(); i++) {
      x = TransformerLayers.block(sd, x, shape, d, c.numHeads(), MaeConfig.LAYER_NORM_EPS,
          "blocks." + i + ".", keyBias, queryKeep);
    }
    x = TransformerLayers.layerNorm(sd, x, "norm.", MaeConfig.LAYER_NORM_EPS);
    return new Sequence(x, shape);
  }

  /**
   * Projects latent tokens to the decoder width: {@code decoder_embed}.
   *
   * @return {@code [B, n+1, Dd]}
   */
  public static SDVariable decoderEmbed(SameDiff sd, MaeConfig c, Sequence latent) {
    SDVariable x = TransformerLayers.linear(sd, latent.tokens(), "decoder_embed.");
    return x.reshape(latent.shape().with(c.decoderEmbedDim()));
  }

  /**
   * Builds the decoder's full sequence and runs the decoder.
   *
   * @param embedded {@code [B, n+1, Dd]} projected latent tokens
   * @param scatter {@code [B, L+1, n+1]} one-hot: which latent token fills each decoder position
   *     (all-zero rows take the mask token)
   * @param maskSelect {@code [B, L+1, 1]}: 1 where the position takes the mask token
   * @param keyBias {@code [B, 1, 1, L+1]} or null
   * @param queryKeep {@code [B, 1, L+1, 1]} or null
   * @return predictions {@code [B, L, p·p·C]} (class token dropped)
   */
  public static SDVariable decoder(
      SameDiff sd, MaeConfig c, SDVariable embedded, SDVariable scatter, SDVariable maskSelect,
      SDVariable keyBias, SDVariable queryKeep) {
    int dd = c.decoderEmbedDim();
    SDVariable full = sd.mmul(scatter, embedded)
        .add(maskSelect.mul(sd.getVariable("mask_token")))
        .add(sd.getVariable("decoder_pos_embed"));
    SequenceShape shape = SequenceShape.of(full);
    SDVariable x = full.reshape(-1, dd);
    for (int i = 0; i < c.decoderDepth(); i++) {
      x = TransformerLayers.block(sd, x, shape, dd, c.decoderNumHeads(), MaeConfig.LAYER_NORM_EPS,
          "decoder_blocks." + i + ".", keyBias, queryKeep);
    }
    x = TransformerLayers.layerNorm(sd, x, "decoder_norm.", MaeConfig.LAYER_NORM_EPS);
    SDVariable pred = TransformerLayers.linear(sd, x, "decoder_pred.").reshape(shape.with(c.patchDim()));
    return pred.get(SDIndex.all(), SDIndex.interval(1, c.numPatches() + 1), SDIndex.all());
  }

  /**
   * Reorders a conv patch-embedding weight {@code [D, C, p, p]} into the linear layout {@code [D,
   * p·p·C]} (pixel row, pixel column, channel).
   */
  public static float[] patchEmbedToLinear(float[] conv, MaeConfig c) {
    int p = c.patchSize();
    int ch = c.inChans();
    int d = c.embedDim();
    float[] out = new float[conv.length];
    for (int o = 0; o < d; o++) {
      for (int k = 0; k < ch; k++) {
        for (int y = 0; y < p; y++) {
          for (int x = 0; x < p; x++) {
            out[o * p * p * ch + (y * p + x) * ch + k] = conv[((o * ch + k) * p + y) * p + x];
          }
        }
      }
    }
    return out;
  }

  /** Inverse of {@link #patchEmbedToLinear}. */
  public static float[] patchEmbedToConv(float[] linear, MaeConfig c) {
    int p = c.patchSize();
    int ch = c.inChans();
    int d = c.embedDim();
    float[] out = new float[linear.length];
    for (int o = 0; o < d; o++) {
      for (int k = 0; k < ch; k++) {
        for (int y = 0; y < p; y++) {
          for (int x = 0; x < p; x++) {
            out[((o * ch + k) * p + y) * p + x] = linear[o * p * p * ch + (y * p + x) * ch + k];
          }
        }
      }
    }
    return out;
  }

  private static long[] toLong(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }

  /**
   * Tokens of a batch of sequences, flattened to {@code [B·N, width]}, with their {@code [B, N]}
   * structure.
   */
  public record Sequence(SDVariable tokens, SequenceShape shape) {}
}
