package dev.ltrp.nd4j.internal.training;

import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerLayout;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.nd4j.internal.graph.Gradients;
import dev.ltrp.nd4j.internal.graph.GraphWeights;
import dev.ltrp.nd4j.internal.loss.LossGraph;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ranker's training graph: the ranking model's variables (the fixed sin-cos {@code pos_embed}
 * stays a constant, as the reference freezes it), its logits, and a ranking loss over the logits at
 * the listed patches.
 */
public final class RankerTrainingGraph extends LayoutTrainingGraph<RankerConfig> {

  /**
   * Freed arrays a training graph's engine keeps for reuse: a ViT-S step at batch 8 ran faster with
   * 256 MB than with 1 GB (less memory traffic and fragmentation from thousands of small arrays).
   */
  public static final long CACHE_BYTES = 256L << 20;

  /** Frozen tensors: not trained, no gradient. */
  public static final Set<String> FROZEN = Set.of("pos_embed");

  private RankerTrainingGraph(SameDiff sd, RankerConfig config) {
    super(
        sd,
        config,
        RankerLayout.tensors(config),
        FROZEN,
        RankerTrainingGraph::decays,
        LossGraph.LOSS);
  }

  /**
   * Builds the graph from {@code weights}.
   *
   * @param listLength the items per list {@code k} of every batch this graph will see
   * @param dataType FLOAT to train, DOUBLE for gradient checks
   */
  public static RankerTrainingGraph build(
      RankerWeights weights, RankingLoss loss, int listLength, DataType dataType) {
    RankerConfig c = weights.config();
    SameDiff sd = SameDiff.create();
    GraphWeights.declare(
        sd, RankerLayout.tensors(c), weights.stateDict(), FROZEN::contains, dataType);
    SDVariable logits = RankerGraph.logits(sd, c, dataType);
    LossGraph.build(sd, logits, loss, c.numPatches(), listLength, dataType);
    Gradients.prepare(sd);
    return new RankerTrainingGraph(sd, c);
  }

  /**
   * The reference's weight-decay rule: matrices and conv kernels decay; biases, LayerNorm
   * parameters and the class token do not.
   */
  public static boolean decays(TensorSpec spec) {
    return spec.shape().length >= 2
        && !spec.name().endsWith(".bias")
        && !spec.name().equals("cls_token");
  }

  /** The current weights, in checkpoint layout. */
  public RankerWeights export(String source) {
    try {
      return RankerWeights.of(
          config(), GraphWeights.export(sameDiff(), RankerLayout.tensors(config())), source);
    } catch (CheckpointMismatchException e) {
      throw new IllegalStateException("the graph's weights no longer fit their layout", e);
    }
  }
}
