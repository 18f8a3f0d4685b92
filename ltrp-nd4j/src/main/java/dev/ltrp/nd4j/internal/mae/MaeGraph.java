package dev.ltrp.nd4j.internal.mae;

import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeLayout;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.internal.graph.GraphWeights;
import dev.ltrp.nd4j.internal.graph.SequenceShape;
import dev.ltrp.nd4j.internal.graph.TransformerLayers;
import dev.ltrp.nd4j.internal.graph.VitEncoder;
import dev.ltrp.nd4j.internal.graph.VitEncoder.Sequence;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the MAE encoder and decoder (LTRP-METHOD §2) into a {@link SameDiff} graph whose weight
 * variables carry the reference checkpoint names (the patch embedding in linear layout: see {@link
 * GraphWeights}).
 */
public final class MaeGraph {

  private MaeGraph() {}

  /**
   * Declares every tensor of {@code weights} in {@code sd}: as trainable variables when {@code
   * trainable}, else as constants. Only the encoder is declared when {@code withDecoder} is false.
   */
  public static void declareWeights(
      SameDiff sd, MaeWeights weights, boolean trainable, boolean withDecoder) {
    MaeConfig c = weights.config();
    GraphWeights.declare(
        sd,
        withDecoder ? MaeLayout.tensors(c) : MaeLayout.encoderTensors(c),
        weights.stateDict(),
        trainable,
        DataType.FLOAT);
  }

  /**
   * The encoder on the visible patches.
   *
   * @param patches {@code [B, n, p·p·C]} visible patch pixels (patchify order)
   * @param positions {@code [B, n, D]} the {@code pos_embed} rows of those patches
   * @param keyBias {@code [B, 1, 1, n+1]} attention key bias, or null
   * @param queryKeep {@code [B, 1, n+1, 1]} attention query multiplier, or null
   * @return the latent tokens {@code [B·(n+1), D]} (class token first in each sequence)
   */
  public static Sequence encoder(
      SameDiff sd,
      MaeConfig c,
      SDVariable patches,
      SDVariable positions,
      SDVariable keyBias,
      SDVariable queryKeep) {
    return VitEncoder.encode(
        sd, patches, positions, c, MaeConfig.LAYER_NORM_EPS, keyBias, queryKeep);
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
      SameDiff sd,
      MaeConfig c,
      SDVariable embedded,
      SDVariable scatter,
      SDVariable maskSelect,
      SDVariable keyBias,
      SDVariable queryKeep) {
    int dd = c.decoderEmbedDim();
    SDVariable full =
        sd.mmul(scatter, embedded)
            .add(maskSelect.mul(sd.getVariable("mask_token")))
            .add(sd.getVariable("decoder_pos_embed"));
    SequenceShape shape = SequenceShape.of(full);
    SDVariable x = full.reshape(-1, dd);
    for (int i = 0; i < c.decoderDepth(); i++) {
      x =
          TransformerLayers.block(
              sd,
              x,
              shape,
              dd,
              c.decoderNumHeads(),
              MaeConfig.LAYER_NORM_EPS,
              "decoder_blocks." + i + ".",
              keyBias,
              queryKeep);
    }
    x = TransformerLayers.layerNorm(sd, x, "decoder_norm.", MaeConfig.LAYER_NORM_EPS);
    SDVariable pred =
        TransformerLayers.linear(sd, x, "decoder_pred.").reshape(shape.with(c.patchDim()));
    return pred.get(SDIndex.all(), SDIndex.interval(1, c.numPatches() + 1), SDIndex.all());
  }
}
