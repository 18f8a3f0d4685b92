package dev.ltrp.nd4j.internal.oracle;

import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.nd4j.internal.graph.VitEncoder;
import dev.ltrp.nd4j.internal.mae.MaeGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The oracle's inference graph: encoder, decoder and the L1 score of every leave-one-out
 * reconstruction against its anchor, for a whole {@link dev.ltrp.core.oracle.LeaveOneOutPlan} in
 * one pass. Placeholder names match the plan's array names.
 *
 * <p>The graph holds only the attention masks its removal mode needs, because each mask is an extra
 * pass over a {@code [rows, heads, tokens, tokens]} tensor (the decoder's largest): no encoder
 * masks in decoder-attention mode, no decoder masks in the other two modes. In decoder-attention
 * mode the removed token's own query is not silenced either: its output is never read by another
 * token (its key is cut in every block) and never scored (it is visible), so the scores are
 * identical with or without that mask.
 */
public final class OracleGraph {

  public static final String ENC_PATCHES = "enc_patches";
  public static final String ENC_POSITIONS = "enc_positions";
  public static final String ENC_KEY_BIAS = "enc_key_bias";
  public static final String ENC_QUERY_KEEP = "enc_query_keep";
  public static final String DEC_LATENT_ROW = "dec_latent_row";
  public static final String DEC_SCATTER = "dec_scatter";
  public static final String DEC_MASK_SELECT = "dec_mask_select";
  public static final String DEC_KEY_BIAS = "dec_key_bias";
  public static final String SCORE_ANCHOR_ROW = "score_anchor_row";
  public static final String SCORE_WEIGHTS = "score_weights";
  public static final String ANCHOR_ROWS = "anchor_rows";

  public static final String OUT_SCORES = "scores";
  public static final String OUT_ANCHORS = "anchor_pred";

  private OracleGraph() {}

  public static SameDiff build(
      MaeWeights weights, RemovalMode mode, ReconstructionDistance distance) {
    MaeConfig c = weights.config();
    int seqDec = c.numPatches() + 1;
    SameDiff sd = SameDiff.create();
    MaeGraph.declareWeights(sd, weights, false, true);

    SDVariable patches = sd.placeHolder(ENC_PATCHES, DataType.FLOAT, -1, -1, c.patchDim());
    SDVariable positions = sd.placeHolder(ENC_POSITIONS, DataType.FLOAT, -1, -1, c.embedDim());
    boolean decoderCut = mode == RemovalMode.DECODER_ATTENTION;
    SDVariable encKeyBias =
        decoderCut ? null : sd.placeHolder(ENC_KEY_BIAS, DataType.FLOAT, -1, 1, 1, -1);
    SDVariable encQueryKeep =
        mode == RemovalMode.ENCODER_ATTENTION
            ? sd.placeHolder(ENC_QUERY_KEEP, DataType.FLOAT, -1, 1, -1, 1)
            : null;
    SDVariable latentRow = sd.placeHolder(DEC_LATENT_ROW, DataType.INT, -1);
    SDVariable scatter = sd.placeHolder(DEC_SCATTER, DataType.FLOAT, -1, seqDec, -1);
    SDVariable maskSelect = sd.placeHolder(DEC_MASK_SELECT, DataType.FLOAT, -1, seqDec, 1);
    SDVariable decKeyBias =
        decoderCut ? sd.placeHolder(DEC_KEY_BIAS, DataType.FLOAT, -1, 1, 1, seqDec) : null;
    SDVariable anchorRow = sd.placeHolder(SCORE_ANCHOR_ROW, DataType.INT, -1);
    SDVariable scoreWeights = sd.placeHolder(SCORE_WEIGHTS, DataType.FLOAT, -1, c.numPatches());
    SDVariable anchorRows = sd.placeHolder(ANCHOR_ROWS, DataType.INT, -1);

    VitEncoder.Sequence latent =
        MaeGraph.encoder(sd, c, patches, positions, encKeyBias, encQueryKeep);
    // Project once per encoder row, then fan out to the decoder rows that reuse that latent.
    SDVariable embedded = sd.gather(MaeGraph.decoderEmbed(sd, c, latent), latentRow, 0);
    SDVariable pred = MaeGraph.decoder(sd, c, embedded, scatter, maskSelect, decKeyBias, null);

    SDVariable anchors = sd.gather(pred, anchorRow, 0);
    SDVariable change = pred.sub(anchors);
    SDVariable elementwise =
        distance == ReconstructionDistance.L1 ? sd.math.abs(change) : change.mul(change);
    SDVariable perPatchError = elementwise.mean(false, 2);
    perPatchError.mul(scoreWeights).sum(OUT_SCORES, false, 1);
    sd.gather(OUT_ANCHORS, pred, anchorRows, 0);
    return sd;
  }
}
