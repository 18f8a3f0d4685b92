package dev.ltrp.nd4j.internal.training;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeLayout;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.MaskedBatch;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.nd4j.internal.graph.Gradients;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphWeights;
import dev.ltrp.nd4j.internal.graph.VitEncoder;
import dev.ltrp.nd4j.internal.mae.MaeGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MAE pretraining graph: encoder on the visible patches, decoder with mask tokens at the masked
 * ones, and the reference objective, the squared error of the predicted patch vectors averaged over
 * each patch's values and over the masked patches of the batch. The fixed sin-cos position
 * embeddings ({@code pos_embed}, {@code decoder_pos_embed}) stay constants, as the reference
 * freezes them.
 */
public final class MaeTrainingGraph extends LayoutTrainingGraph<MaeConfig> {

  /** Placeholder {@code [B, n, p·p·C]}: the visible patches. */
  public static final String PATCHES = "patches";

  /** Placeholder {@code [B, n, D]}: their position rows. */
  public static final String POSITIONS = "positions";

  /** Placeholder {@code [B, L+1, n+1]}: {@code MaskedBatch.scatter()}. */
  public static final String SCATTER = "scatter";

  /** Placeholder {@code [B, L+1, 1]}: {@code MaskedBatch.maskSelect()}. */
  public static final String MASK_SELECT = "mask_select";

  /** Placeholder {@code [B, L, p·p·C]}: the targets (normalized or per-patch normalized pixels). */
  public static final String TARGETS = "targets";

  /** Placeholder {@code [B, L]}: {@code MaskedBatch.lossWeights()}. */
  public static final String LOSS_WEIGHTS = "loss_weights";

  /** Output: the scalar loss. */
  public static final String LOSS = "loss";

  /** Frozen tensors. */
  public static final Set<String> FROZEN = Set.of("pos_embed", "decoder_pos_embed");

  private MaeTrainingGraph(SameDiff sd, MaeConfig config) {
    super(sd, config, MaeLayout.tensors(config), FROZEN, MaeTrainingGraph::decays, LOSS);
  }

  /**
   * The reference decays matrices only: not biases, norms, {@code cls_token} or {@code mask_token}.
   */
  private static boolean decays(TensorSpec spec) {
    return spec.shape().length >= 2
        && !spec.name().endsWith(".bias")
        && !spec.name().equals("cls_token")
        && !spec.name().equals("mask_token");
  }

  /** Builds the graph from {@code weights} in {@code dataType} (DOUBLE for gradient checks). */
  public static MaeTrainingGraph build(MaeWeights weights, DataType dataType) {
    MaeConfig c = weights.config();
    SameDiff sd = SameDiff.create();
    GraphWeights.declare(sd, MaeLayout.tensors(c), weights.stateDict(), FROZEN::contains, dataType);
    int seqDec = c.numPatches() + 1;
    SDVariable patches = sd.placeHolder(PATCHES, dataType, -1, -1, c.patchDim());
    SDVariable positions = sd.placeHolder(POSITIONS, dataType, -1, -1, c.embedDim());
    SDVariable scatter = sd.placeHolder(SCATTER, dataType, -1, seqDec, -1);
    SDVariable maskSelect = sd.placeHolder(MASK_SELECT, dataType, -1, seqDec, 1);
    SDVariable targets = sd.placeHolder(TARGETS, dataType, -1, c.numPatches(), c.patchDim());
    SDVariable weightsPh = sd.placeHolder(LOSS_WEIGHTS, dataType, -1, c.numPatches());
    VitEncoder.Sequence latent = MaeGraph.encoder(sd, c, patches, positions, null, null);
    SDVariable embedded = MaeGraph.decoderEmbed(sd, c, latent);
    SDVariable pred = MaeGraph.decoder(sd, c, embedded, scatter, maskSelect, null, null);
    SDVariable diff = pred.sub(targets);
    diff.mul(diff).mean(false, 2).mul(weightsPh).sum(false, 0, 1).rename(LOSS);
    sd.setLossVariables(LOSS);
    Gradients.prepare(sd);
    return new MaeTrainingGraph(sd, c);
  }

  /**
   * The placeholders of one pretraining step: each image's visible patches and their position rows,
   * the masks of {@link MaskedBatch}, and the targets (per-patch normalized pixels when {@code
   * config.normPixLoss()}). Every visible set must have the same size. The caller closes the
   * arrays.
   *
   * @param positionTable the encoder's {@code pos_embed}, {@code [(L+1)·D]}
   */
  public static Map<String, INDArray> inputs(
      MaeConfig config, List<ImageTensor> images, List<VisibleSet> visible, float[] positionTable) {
    PatchGrid grid = config.grid();
    int b = images.size();
    int n = visible.get(0).size();
    int l = grid.numPatches();
    int dim = config.patchDim();
    int width = config.embedDim();
    float[] patches = new float[b * n * dim];
    float[] positions = new float[b * n * width];
    float[] targets = new float[b * l * dim];
    for (int i = 0; i < b; i++) {
      float[] all = Patchify.patchify(images.get(i), grid);
      if (config.normPixLoss()) {
        System.arraycopy(MaskedBatch.normalizePatches(all, dim), 0, targets, i * l * dim, l * dim);
      } else {
        System.arraycopy(all, 0, targets, i * l * dim, l * dim);
      }
      for (int j = 0; j < n; j++) {
        int patch = visible.get(i).get(j);
        System.arraycopy(all, patch * dim, patches, (i * n + j) * dim, dim);
        System.arraycopy(positionTable, (1 + patch) * width, positions, (i * n + j) * width, width);
      }
    }
    MaskedBatch masks = MaskedBatch.of(grid, visible);
    Map<String, INDArray> in = new HashMap<>();
    in.put(PATCHES, GraphArrays.floats(patches, b, n, dim));
    in.put(POSITIONS, GraphArrays.floats(positions, b, n, width));
    in.put(SCATTER, GraphArrays.floats(masks.scatter(), b, l + 1, n + 1));
    in.put(MASK_SELECT, GraphArrays.floats(masks.maskSelect(), b, l + 1, 1));
    in.put(TARGETS, GraphArrays.floats(targets, b, l, dim));
    in.put(LOSS_WEIGHTS, GraphArrays.floats(masks.lossWeights(), b, l));
    return in;
  }

  /** The current weights, in checkpoint layout. */
  public MaeWeights export(String source) {
    try {
      return MaeWeights.of(
          config(), GraphWeights.export(sameDiff(), MaeLayout.tensors(config())), source);
    } catch (CheckpointMismatchException e) {
      throw new IllegalStateException("the graph's weights no longer fit their layout", e);
    }
  }
}
