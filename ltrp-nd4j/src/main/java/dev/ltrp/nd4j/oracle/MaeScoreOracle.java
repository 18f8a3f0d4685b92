package dev.ltrp.nd4j.oracle;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.ScoreOracle;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.LeaveOneOutPlan;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import dev.ltrp.nd4j.internal.oracle.OracleGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LTRP teacher: semantic density scores from a frozen masked autoencoder (LTRP-METHOD §3).
 *
 * <p>For an image and a visible set {@code V}, the MAE reconstructs the image from {@code V} (the
 * anchor); each visible patch is then removed in turn (see {@link RemovalMode}) and scored by the
 * mean absolute difference (or, with {@link Builder#optDistance}, the mean squared difference)
 * between the anchor and the new reconstruction over the masked patches. All {@code |V|}
 * leave-one-out reconstructions of an image, and those of several images, run as one batched graph
 * pass (split into passes of at most {@link Builder#optMaxDecoderRows} decoder sequences to bound
 * memory), not as a loop of decoder passes.
 *
 * <pre>{@code
 * MaeWeights weights = MaeWeights.load(Path.of("mae_visualize_vit_base.pth"), null);
 * try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
 *   PatchScores scores = oracle.score(image, 0.9, 42L);
 * }
 * }</pre>
 *
 * <p>Native memory: the oracle copies the weights into ND4J arrays that it owns and frees in {@link
 * #close()}; every call frees its own input and output arrays before returning, so repeated calls
 * do not grow memory. {@code close()} is idempotent; any other method throws {@link
 * IllegalStateException} after it.
 *
 * <p>Thread-safety: safe for concurrent calls; the passes run one at a time on the oracle's own
 * engine thread (one pass already uses every core).
 */
public final class MaeScoreOracle implements ScoreOracle, AutoCloseable {

  private final MaeConfig config;
  private final RemovalMode removalMode;
  private final ReconstructionDistance distance;
  private final int maxDecoderRows;
  private final float[] positionRows;
  private final GraphRunner graph;

  private MaeScoreOracle(
      MaeWeights weights,
      RemovalMode removalMode,
      ReconstructionDistance distance,
      int maxDecoderRows) {
    this.config = weights.config();
    this.removalMode = removalMode;
    this.distance = distance;
    this.maxDecoderRows = maxDecoderRows;
    this.positionRows = weights.tensor("pos_embed").toArray();
    this.graph =
        GraphRunner.start(OracleGraph.build(weights, removalMode, distance), "ltrp-mae-oracle");
  }

  /** An oracle with the reference settings: decoder-attention removal. */
  public static MaeScoreOracle create(MaeWeights weights) {
    return builder(weights).build();
  }

  /** A builder over {@code weights} (required). */
  public static Builder builder(MaeWeights weights) {
    return new Builder(weights);
  }

  @Override
  public PatchGrid grid() {
    return config.grid();
  }

  @Override
  public int channels() {
    return config.inChans();
  }

  /** The MAE architecture. */
  public MaeConfig config() {
    return config;
  }

  /** How visible patches are removed. */
  public RemovalMode removalMode() {
    return removalMode;
  }

  /** How the change of the reconstruction is measured. */
  public ReconstructionDistance distance() {
    return distance;
  }

  @Override
  public PatchScores score(ImageTensor image, VisibleSet visible) {
    return scoreBatch(List.of(image), List.of(visible)).get(0);
  }

  @Override
  public List<PatchScores> scoreBatch(List<ImageTensor> images, List<VisibleSet> visibleSets) {
    PatchScores[] scores = new PatchScores[images.size()];
    run(images, visibleSets, scores, null);
    return List.of(scores);
  }

  /** Scores one image and also returns its anchor reconstruction. */
  public OracleResult scoreWithReconstruction(ImageTensor image, VisibleSet visible) {
    return scoreBatchWithReconstruction(List.of(image), List.of(visible)).get(0);
  }

  /** Scores several images and also returns their anchor reconstructions. */
  public List<OracleResult> scoreBatchWithReconstruction(
      List<ImageTensor> images, List<VisibleSet> visibleSets) {
    PatchScores[] scores = new PatchScores[images.size()];
    float[][] anchors = new float[images.size()][];
    run(images, visibleSets, scores, anchors);
    List<OracleResult> out = new ArrayList<>(scores.length);
    for (int i = 0; i < scores.length; i++) {
      out.add(new OracleResult(scores[i], visibleSets.get(i), anchors[i], config.inChans()));
    }
    return List.copyOf(out);
  }

  /** Fills {@code scores[i]} and, when {@code anchors} is not null, {@code anchors[i]}. */
  private void run(
      List<ImageTensor> images,
      List<VisibleSet> visibleSets,
      PatchScores[] scores,
      float[][] anchors) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(visibleSets, "visibleSets");
    if (images.size() != visibleSets.size()) {
      throw new IllegalArgumentException(
          images.size() + " images but " + visibleSets.size() + " visible sets");
    }
    for (int i = 0; i < images.size(); i++) {
      Objects.requireNonNull(images.get(i), "image " + i).checkShape(config.inChans(), grid());
      VisibleSet set = Objects.requireNonNull(visibleSets.get(i), "visible set " + i);
      if (!set.grid().equals(grid())) {
        throw new IllegalArgumentException(
            "visible set " + i + " is on " + set.grid() + " but the model's grid is " + grid());
      }
    }
    // Group by visible-set size (one plan needs equal sizes), then chunk to bound memory.
    Map<Integer, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < visibleSets.size(); i++) {
      bySize.computeIfAbsent(visibleSets.get(i).size(), k -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<Integer, List<Integer>> group : bySize.entrySet()) {
      int imagesPerChunk = Math.max(1, maxDecoderRows / (group.getKey() + 1));
      List<Integer> indices = group.getValue();
      for (int start = 0; start < indices.size(); start += imagesPerChunk) {
        List<Integer> chunk =
            indices.subList(start, Math.min(indices.size(), start + imagesPerChunk));
        runChunk(images, visibleSets, chunk, scores, anchors);
      }
    }
  }

  private void runChunk(
      List<ImageTensor> images,
      List<VisibleSet> visibleSets,
      List<Integer> chunk,
      PatchScores[] scores,
      float[][] anchors) {
    List<VisibleSet> sets = new ArrayList<>(chunk.size());
    for (int i : chunk) {
      sets.add(visibleSets.get(i));
    }
    LeaveOneOutPlan plan = LeaveOneOutPlan.of(removalMode, grid(), sets);
    List<String> wanted =
        anchors != null
            ? List.of(OracleGraph.OUT_SCORES, OracleGraph.OUT_ANCHORS)
            : List.of(OracleGraph.OUT_SCORES);
    float[][] outputs =
        graph.call(
            sd -> {
              Map<String, INDArray> in = inputs(plan, images, chunk);
              Map<String, INDArray> out = null;
              try {
                out = sd.output(in, wanted);
                float[][] values = new float[wanted.size()][];
                for (int i = 0; i < values.length; i++) {
                  values[i] = GraphArrays.toFloats(out.get(wanted.get(i)));
                }
                return values;
              } catch (RuntimeException e) {
                // Inputs were validated above: anything thrown here is an engine failure.
                throw new IllegalStateException("ND4J failed to run the MAE oracle graph", e);
              } finally {
                GraphArrays.closeAll(in);
                GraphArrays.closeAll(out);
              }
            });
    int n = plan.visible();
    int anchorSize = config.numPatches() * config.patchDim();
    for (int k = 0; k < chunk.size(); k++) {
      int image = chunk.get(k);
      // Row k·(n+1) is the anchor (score 0); rows k·(n+1)+1+j remove visible patch j.
      float[] own = new float[n];
      System.arraycopy(outputs[0], k * (n + 1) + 1, own, 0, n);
      checkFinite(own, image);
      scores[image] = PatchScores.of(grid(), sets.get(k).patches(), own);
      if (anchors != null) {
        anchors[image] = new float[anchorSize];
        System.arraycopy(outputs[1], k * anchorSize, anchors[image], 0, anchorSize);
      }
    }
  }

  private Map<String, INDArray> inputs(
      LeaveOneOutPlan plan, List<ImageTensor> images, List<Integer> chunk) {
    int n = plan.visible();
    int encRows = plan.encoderRows();
    int decRows = plan.decoderRows();
    int patchDim = config.patchDim();
    int width = config.embedDim();
    int seqEnc = n + 1;
    int seqDec = config.numPatches() + 1;
    int[] encVisible = plan.encoderVisible();
    float[] patches = new float[encRows * n * patchDim];
    float[] positions = new float[encRows * n * width];
    int rowsPerImage = encRows / chunk.size();
    for (int row = 0; row < encRows; row++) {
      ImageTensor image = images.get(chunk.get(row / rowsPerImage));
      for (int j = 0; j < n; j++) {
        int patch = encVisible[row * n + j];
        image.patchVector(grid(), patch, patches, (row * n + j) * patchDim);
        System.arraycopy(
            positionRows, (1 + patch) * width, positions, (row * n + j) * width, width);
      }
    }
    Map<String, INDArray> in = new HashMap<>();
    in.put(OracleGraph.ENC_PATCHES, GraphArrays.floats(patches, encRows, n, patchDim));
    in.put(OracleGraph.ENC_POSITIONS, GraphArrays.floats(positions, encRows, n, width));
    // Feed only the masks the mode's graph declares (see OracleGraph).
    if (removalMode != RemovalMode.DECODER_ATTENTION) {
      in.put(
          OracleGraph.ENC_KEY_BIAS,
          GraphArrays.floats(plan.encoderKeyBias(), encRows, 1, 1, seqEnc));
    }
    if (removalMode == RemovalMode.ENCODER_ATTENTION) {
      in.put(
          OracleGraph.ENC_QUERY_KEEP,
          GraphArrays.floats(plan.encoderQueryKeep(), encRows, 1, seqEnc, 1));
    }
    if (removalMode == RemovalMode.DECODER_ATTENTION) {
      in.put(
          OracleGraph.DEC_KEY_BIAS,
          GraphArrays.floats(plan.decoderKeyBias(), decRows, 1, 1, seqDec));
    }
    in.put(OracleGraph.DEC_LATENT_ROW, GraphArrays.ints(plan.decoderLatentRow(), decRows));
    in.put(
        OracleGraph.DEC_SCATTER,
        GraphArrays.floats(plan.decoderScatter(), decRows, seqDec, seqEnc));
    in.put(
        OracleGraph.DEC_MASK_SELECT,
        GraphArrays.floats(plan.decoderMaskSelect(), decRows, seqDec, 1));
    in.put(OracleGraph.SCORE_ANCHOR_ROW, GraphArrays.ints(plan.anchorRowOfDecoderRow(), decRows));
    in.put(
        OracleGraph.SCORE_WEIGHTS,
        GraphArrays.floats(plan.scoreWeights(), decRows, config.numPatches()));
    in.put(OracleGraph.ANCHOR_ROWS, GraphArrays.ints(plan.anchorRows(), plan.images()));
    return in;
  }

  private static void checkFinite(float[] scores, int image) {
    for (float s : scores) {
      if (!Float.isFinite(s)) {
        throw new IllegalStateException(
            "the MAE produced a non-finite score ("
                + s
                + ") for image "
                + image
                + ": the checkpoint's weights are probably corrupt");
      }
    }
  }

  /** Frees the native weights and stops the engine thread. Idempotent. */
  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "MaeScoreOracle["
        + grid()
        + ", removal "
        + removalMode.cliName()
        + ", distance "
        + distance.cliName()
        + "]";
  }

  /** Builds a {@link MaeScoreOracle}. Not thread-safe. */
  public static final class Builder {
    /** Budget of one decoder attention matrix when choosing the default pass size. */
    public static final long ATTENTION_BUDGET_BYTES = 100_000_000L;

    private final MaeWeights weights;
    private RemovalMode removalMode = RemovalMode.DECODER_ATTENTION;
    private ReconstructionDistance distance = ReconstructionDistance.L1;
    private int maxDecoderRows = -1;

    private Builder(MaeWeights weights) {
      this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** How visible patches are removed; default {@link RemovalMode#DECODER_ATTENTION}. */
    public Builder optRemovalMode(RemovalMode mode) {
      this.removalMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How the change of the reconstruction is measured; default {@link ReconstructionDistance#L1}.
     */
    public Builder optDistance(ReconstructionDistance distance) {
      this.distance = Objects.requireNonNull(distance, "distance");
      return this;
    }

    /**
     * The most decoder sequences in one graph pass. The default keeps one attention matrix ({@code
     * rows × heads × (L+1)² × 4} bytes) under {@value #ATTENTION_BUDGET_BYTES} bytes: 40 rows (two
     * images at 19 visible patches) for a ViT-B MAE. Larger passes measured slower on a 2-core
     * machine (memory traffic); smaller ones pay more per-op overhead.
     */
    public Builder optMaxDecoderRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("maxDecoderRows must be at least 1, got " + rows);
      }
      this.maxDecoderRows = rows;
      return this;
    }

    /** Copies the weights into a new native graph. */
    public MaeScoreOracle build() {
      int rows = maxDecoderRows > 0 ? maxDecoderRows : defaultDecoderRows(weights.config());
      return new MaeScoreOracle(weights, removalMode, distance, rows);
    }

    private static int defaultDecoderRows(MaeConfig c) {
      long perRow = 4L * c.decoderNumHeads() * (c.numPatches() + 1) * (c.numPatches() + 1);
      return (int) Math.max(1, Math.min(4096, ATTENTION_BUDGET_BYTES / perRow));
    }
  }
}
