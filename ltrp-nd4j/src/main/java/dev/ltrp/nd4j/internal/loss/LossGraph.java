package dev.ltrp.nd4j.internal.loss;

import dev.ltrp.core.loss.RankingBatch;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ranking losses as SameDiff ops, built only from ops whose gradients are right in ND4J
 * 1.0.0-M2.1 (checked by finite differences in the tests): {@code mmul}, {@code exp}, {@code log},
 * {@code max}, elementwise arithmetic and reductions on positive axes. Everything order-dependent
 * (sorting by target, choosing top-k subsets, pair targets) arrives precomputed in a {@link
 * RankingBatch}; the reverse log-cumsum-exp of ListMLE is a product with a constant triangular
 * matrix, because ND4J's {@code cumsum} has a wrong gradient for more than one row.
 */
public final class LossGraph {

  /** Placeholder {@code [B, L, k]}: {@link RankingBatch#select()}. */
  public static final String SELECT = "select";

  /** Placeholder: {@link RankingBatch#targets()} ({@code [B, k]} or {@code [B, k(k−1)/2]}). */
  public static final String TARGETS = "targets";

  /** Output: the ranker's logits at the list items, {@code [B, k]}. */
  public static final String ITEM_LOGITS = "item_logits";

  /** Output: the scalar loss. */
  public static final String LOSS = "loss";

  private LossGraph() {}

  /**
   * Builds {@code loss(logits · select, targets)} and marks it as the graph's loss.
   *
   * @param logits {@code [B, L]}
   * @param listLength {@code k}, fixed for the graph
   * @return the scalar loss, named {@value #LOSS}
   */
  public static SDVariable build(
      SameDiff sd,
      SDVariable logits,
      RankingLoss loss,
      int numPatches,
      int listLength,
      DataType dataType) {
    int k = listLength;
    SDVariable select = sd.placeHolder(SELECT, dataType, -1, numPatches, k);
    SDVariable s =
        sd.mmul(logits.reshape(-1, 1, numPatches), select).reshape(-1, k).rename(ITEM_LOGITS);
    SDVariable value =
        switch (loss) {
          case LISTMLE -> listMle(sd, s, k, dataType);
          case LISTNET -> listNet(sd, s, sd.placeHolder(TARGETS, dataType, -1, k));
          case POINTWISE -> pointwise(s, sd.placeHolder(TARGETS, dataType, -1, k));
          case RANKNET ->
              rankNet(sd, s, sd.placeHolder(TARGETS, dataType, -1, k * (k - 1) / 2), k, dataType);
        };
    SDVariable named = value.rename(LOSS);
    sd.setLossVariables(LOSS);
    return named;
  }

  /**
   * The placeholder values of {@code batch}: {@value #SELECT} and, unless ListMLE, {@value
   * #TARGETS}.
   */
  public static Map<String, INDArray> placeholders(RankingBatch batch, DataType dataType) {
    Map<String, INDArray> in = new HashMap<>();
    int b = batch.batch();
    int k = batch.listLength();
    in.put(SELECT, cast(GraphArrays.floats(batch.select(), b, batch.numPatches(), k), dataType));
    if (batch.loss() != RankingLoss.LISTMLE) {
      float[] t = batch.targets();
      in.put(TARGETS, cast(GraphArrays.floats(t, b, t.length / b), dataType));
    }
    return in;
  }

  /** {@code Σ_j [log Σ_{i≥j} exp(s_i) − s_j]} per row (items in target order), mean over rows. */
  static SDVariable listMle(SameDiff sd, SDVariable s, int k, DataType dataType) {
    SDVariable suffix =
        sd.constant(cast(GraphArrays.floats(RankingBatch.suffixSumMatrix(k), k, k), dataType));
    SDVariable max = s.max(true, 1);
    SDVariable tailSums = sd.mmul(sd.math.exp(s.sub(max)), suffix);
    SDVariable logTails = sd.math.log(tailSums).add(max);
    return logTails.sub(s).sum(false, 1).mean(false, 0);
  }

  /** {@code −Σ p · log_softmax(s)} per row, mean over rows. */
  static SDVariable listNet(SameDiff sd, SDVariable s, SDVariable p) {
    SDVariable max = s.max(true, 1);
    SDVariable logSumExp = sd.math.log(sd.math.exp(s.sub(max)).sum(true, 1)).add(max);
    return p.mul(s.sub(logSumExp)).sum(false, 1).mean(false, 0).neg();
  }

  /** Mean squared error over all items. */
  static SDVariable pointwise(SDVariable s, SDVariable y) {
    SDVariable d = s.sub(y);
    return d.mul(d).mean(false, 0, 1);
  }

  /** Binary cross-entropy of {@code σ(s_i − s_j)} against the pair targets, mean over all pairs. */
  static SDVariable rankNet(
      SameDiff sd, SDVariable s, SDVariable targets, int k, DataType dataType) {
    int pairs = k * (k - 1) / 2;
    SDVariable d =
        sd.constant(cast(GraphArrays.floats(RankingBatch.pairMatrix(k), k, pairs), dataType));
    SDVariable z = sd.mmul(s, d);
    // softplus(z) = max(z, 0) + log(1 + exp(−|z|)): no overflow for large |z|.
    SDVariable softplus =
        sd.nn.relu(z, 0).add(sd.math.log(sd.math.exp(sd.math.abs(z).neg()).add(1.0)));
    return softplus.sub(targets.mul(z)).mean(false, 0, 1);
  }

  private static INDArray cast(INDArray a, DataType dataType) {
    if (a.dataType() == dataType) {
      return a;
    }
    INDArray c = a.castTo(dataType);
    a.close();
    return c;
  }
}
