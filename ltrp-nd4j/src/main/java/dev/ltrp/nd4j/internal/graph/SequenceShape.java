package dev.ltrp.nd4j.internal.graph;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batch and token counts of a token sequence {@code [B, N, D]} as graph values, so that one
 * graph serves every batch size and every number of visible patches.
 *
 * <p>Transformer layers run on the flattened {@code [B·N, D]} matrix (one large GEMM per linear
 * layer instead of {@code B} small ones) and only attention needs the batch structure back; this
 * class builds the dynamic shapes for those reshapes.
 */
public final class SequenceShape {

  private final SameDiff sd;
  private final SDVariable batchAndTokens;

  private SequenceShape(SameDiff sd, SDVariable batchAndTokens) {
    this.sd = sd;
    this.batchAndTokens = batchAndTokens;
  }

  /** The shape of {@code sequence}, a rank-3 {@code [B, N, D]} variable. */
  public static SequenceShape of(SDVariable sequence) {
    SameDiff sd = sequence.getSameDiff();
    SDVariable shape = sd.shape(sequence).castTo(DataType.LONG);
    return new SequenceShape(sd, shape.get(SDIndex.interval(0, 2)));
  }

  /** A dynamic shape {@code [B, N, trailing...]}. */
  public SDVariable with(long... trailing) {
    return sd.concat(0, batchAndTokens, sd.constant(Nd4j.createFromArray(trailing)));
  }
}
