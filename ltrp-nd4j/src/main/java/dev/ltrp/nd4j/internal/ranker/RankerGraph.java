package dev.ltrp.nd4j.internal.ranker;

import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerLayout;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.nd4j.internal.graph.GraphWeights;
import dev.ltrp.nd4j.internal.graph.TransformerLayers;
import dev.ltrp.nd4j.internal.graph.VitEncoder;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The LTRP ranking model as a SameDiff graph: a ViT encoder over the given patches and {@code head
 * = Linear(D, L)} on the normalized class token, one logit per patch position of the whole grid.
 *
 * <p>The same graph serves both input modes of the reference: the full image ({@code N = L}
 * patches, positions {@code pos_embed[1:]}) and the asymmetric training mode (only the visible
 * patches, with their position rows). Weight variables carry timm's names.
 */
public final class RankerGraph {

  /** Placeholder: patch pixels {@code [B, N, p·p·C]}. */
  public static final String PATCHES = "patches";

  /** Placeholder: position rows {@code [B or 1, N, D]} (broadcast over the batch when 1). */
  public static final String POSITIONS = "positions";

  /** Output: logits {@code [B, L]}. */
  public static final String LOGITS = "logits";

  private RankerGraph() {}

  /**
   * The full-image inputs of {@code images}: all patches {@code [B, L, p·p·C]} and the position
   * rows {@code 1..L} of {@code positionTable} ({@code pos_embed}, {@code [(L+1)·D]}) as {@code [1,
   * L, D]}, broadcast over the batch. The caller closes the arrays.
   */
  public static java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> fullImageInputs(
      java.util.List<dev.ltrp.api.ImageTensor> images, float[] positionTable, RankerConfig config) {
    dev.ltrp.api.PatchGrid grid = config.grid();
    int n = grid.numPatches();
    int dim = config.patchDim();
    int width = config.embedDim();
    float[] patches = new float[images.size() * n * dim];
    for (int i = 0; i < images.size(); i++) {
      for (int p = 0; p < n; p++) {
        images.get(i).patchVector(grid, p, patches, (i * n + p) * dim);
      }
    }
    float[] rows = java.util.Arrays.copyOfRange(positionTable, width, positionTable.length);
    return java.util.Map.of(
        PATCHES, dev.ltrp.nd4j.internal.graph.GraphArrays.floats(patches, images.size(), n, dim),
        POSITIONS, dev.ltrp.nd4j.internal.graph.GraphArrays.floats(rows, 1, n, width));
  }

  /** Declares the weights ({@code trainable}: variables, else constants) in {@code dataType}. */
  public static void declareWeights(
      SameDiff sd, RankerWeights weights, boolean trainable, DataType dataType) {
    GraphWeights.declare(
        sd, RankerLayout.tensors(weights.config()), weights.stateDict(), trainable, dataType);
  }

  /**
   * Declares the placeholders and builds the logits.
   *
   * @return the logits variable {@code [B, L]}, named {@value #LOGITS}
   */
  public static SDVariable logits(SameDiff sd, RankerConfig c, DataType dataType) {
    SDVariable patches = sd.placeHolder(PATCHES, dataType, -1, -1, c.patchDim());
    SDVariable positions = sd.placeHolder(POSITIONS, dataType, -1, -1, c.embedDim());
    VitEncoder.Sequence encoded =
        VitEncoder.encode(sd, patches, positions, c, RankerConfig.LAYER_NORM_EPS, null, null);
    SDVariable cls =
        encoded
            .tokens()
            .reshape(encoded.shape().with(c.embedDim()))
            .get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
    return TransformerLayers.linear(sd, cls, "head.").rename(LOGITS);
  }
}
