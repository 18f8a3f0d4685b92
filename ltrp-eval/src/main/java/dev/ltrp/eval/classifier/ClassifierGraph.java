package dev.ltrp.eval.classifier;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.core.model.VitBlockSpecs;
import dev.ltrp.nd4j.internal.graph.Gradients;
import dev.ltrp.nd4j.internal.graph.GraphWeights;
import dev.ltrp.nd4j.internal.graph.TransformerLayers;
import dev.ltrp.nd4j.internal.graph.VitEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A ViT image classifier as a SameDiff training graph: the ranker's encoder (fixed sin-cos position
 * embeddings, class token, pre-norm blocks, LayerNorm eps 1e-5) with {@code head = Linear(D,
 * classes)} on the normalized class token, softmax cross-entropy, and the last block's class-token
 * attention as a second output (the "supervised" patch ranking of the LTRP paper).
 *
 * <p>It takes any subset of an image's patches (with their position rows), so the same graph trains
 * with random patch dropping and classifies the patches a ranker kept (token dropping, as the
 * reference's downstream evaluation does).
 */
final class ClassifierGraph {

  /** Placeholder {@code [B, N, p·p·C]}: the patches the classifier sees. */
  public static final String PATCHES = "patches";

  /** Placeholder {@code [B or 1, N, D]}: their position rows. */
  public static final String POSITIONS = "positions";

  /** Placeholder {@code [B, classes]}: one-hot labels. */
  public static final String LABELS = "labels";

  /** Output {@code [B, classes]}. */
  public static final String LOGITS = "logits";

  /** Output {@code [B, N]}: class-token attention over the patches, last block, mean over heads. */
  public static final String ATTENTION = "cls_attention";

  /** Output: the mean cross-entropy. */
  public static final String LOSS = "loss";

  /** Frozen tensors. */
  public static final Set<String> FROZEN = Set.of("pos_embed");

  private ClassifierGraph() {}

  /** The tensors of a classifier: the ranker's body with a {@code [classes, D]} head. */
  public static List<TensorSpec> tensors(RankerConfig body, int classes) {
    int d = body.embedDim();
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(TensorSpec.of("cls_token", 1, 1, d));
    specs.add(TensorSpec.of("pos_embed", 1, body.numPatches() + 1, d));
    specs.add(
        TensorSpec.of(
            "patch_embed.proj.weight", d, body.inChans(), body.patchSize(), body.patchSize()));
    specs.add(TensorSpec.of("patch_embed.proj.bias", d));
    specs.addAll(VitBlockSpecs.blocks("blocks", body.depth(), d, body.mlpHidden()));
    specs.add(TensorSpec.of("norm.weight", d));
    specs.add(TensorSpec.of("norm.bias", d));
    specs.add(TensorSpec.of("head.weight", classes, d));
    specs.add(TensorSpec.of("head.bias", classes));
    return List.copyOf(specs);
  }

  /**
   * Builds the graph over {@code weights} (all of {@link #tensors}), with its backward pass.
   *
   * @param dataType FLOAT, or DOUBLE for gradient checks
   */
  public static SameDiff build(
      RankerConfig body, int classes, StateDict weights, DataType dataType) {
    SameDiff sd = SameDiff.create();
    GraphWeights.declare(sd, tensors(body, classes), weights, FROZEN::contains, dataType);
    SDVariable patches = sd.placeHolder(PATCHES, dataType, -1, -1, body.patchDim());
    SDVariable positions = sd.placeHolder(POSITIONS, dataType, -1, -1, body.embedDim());
    SDVariable labels = sd.placeHolder(LABELS, dataType, -1, classes);
    VitEncoder.Sequence encoded =
        VitEncoder.encode(
            sd, patches, positions, body, RankerConfig.LAYER_NORM_EPS, null, null, true);
    SDVariable cls =
        encoded
            .tokens()
            .reshape(encoded.shape().with(body.embedDim()))
            .get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
    SDVariable logits = TransformerLayers.linear(sd, cls, "head.").rename(LOGITS);
    encoded
        .clsAttention()
        .get(SDIndex.all(), SDIndex.interval(1, body.numPatches() + 1))
        .rename(ATTENTION);
    // Softmax cross-entropy, written out (positive axes only): log Σ exp(z) − z_label.
    SDVariable max = logits.max(true, 1);
    SDVariable logSumExp = sd.math.log(sd.math.exp(logits.sub(max)).sum(true, 1)).add(max);
    logSumExp.sub(logits.mul(labels).sum(true, 1)).mean(false, 0, 1).rename(LOSS);
    sd.setLossVariables(LOSS);
    Gradients.prepare(sd);
    return sd;
  }

  /** The trained tensors of {@link #tensors} (all but the frozen position embedding). */
  public static List<String> trainable(RankerConfig body, int classes) {
    List<String> names = new ArrayList<>();
    for (TensorSpec spec : tensors(body, classes)) {
      if (!FROZEN.contains(spec.name())) {
        names.add(spec.name());
      }
    }
    return names;
  }

  /** Matrices decay; biases, norms and the class token do not (the reference's rule). */
  public static List<String> decayed(RankerConfig body, int classes) {
    List<String> names = new ArrayList<>();
    for (TensorSpec spec : tensors(body, classes)) {
      if (!FROZEN.contains(spec.name())
          && spec.shape().length >= 2
          && !spec.name().endsWith(".bias")
          && !spec.name().equals("cls_token")) {
        names.add(spec.name());
      }
    }
    return names;
  }
}
