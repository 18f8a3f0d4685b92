package dev.ltrp.nd4j.ranker;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import dev.ltrp.nd4j.internal.graph.GraphRunner;
import dev.ltrp.nd4j.internal.ranker.RankerGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The learned LTRP ranker: a ViT that scores every patch of an image in one forward pass (the
 * normalized class token through {@code head = Linear(D, L)}); keep the highest logits.
 *
 * <pre>{@code
 * RankerWeights weights = RankerWeights.load(Path.of("ranker.safetensors"), null);
 * try (VitRanker ranker = VitRanker.create(weights)) {
 *   PatchScores scores = ranker.rank(image);       // one logit per patch
 *   int[] keepFirst = scores.topK(49);
 * }
 * }</pre>
 *
 * <p>Native memory: the ranker copies the weights into ND4J arrays it owns and frees them in {@link
 * #close()}; each call frees its own arrays. {@code close()} is idempotent; later calls throw
 * {@link IllegalStateException}.
 *
 * <p>Thread-safety: safe for concurrent calls; forward passes run one at a time on the ranker's
 * engine thread (one pass already uses every core). For throughput, pass several images to {@link
 * #rankBatch}.
 */
public final class VitRanker implements PatchRanker, AutoCloseable {

  private final RankerConfig config;
  private final int maxBatch;
  private final float[] positionTable;
  private final GraphRunner graph;

  private VitRanker(RankerWeights weights, int maxBatch) {
    this.config = weights.config();
    this.maxBatch = maxBatch;
    this.positionTable = weights.tensor("pos_embed").toArray();
    SameDiff sd = SameDiff.create();
    RankerGraph.declareWeights(sd, weights, false, DataType.FLOAT);
    RankerGraph.logits(sd, config, DataType.FLOAT);
    this.graph = GraphRunner.start(sd, "ltrp-ranker");
  }

  /** A ranker over {@code weights}, batching up to 32 images per forward pass. */
  public static VitRanker create(RankerWeights weights) {
    return builder(weights).build();
  }

  /** A builder over {@code weights}. */
  public static Builder builder(RankerWeights weights) {
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

  /** The architecture. */
  public RankerConfig config() {
    return config;
  }

  @Override
  public PatchScores rank(ImageTensor image) {
    return rankBatch(List.of(image)).get(0);
  }

  @Override
  public List<PatchScores> rankBatch(List<ImageTensor> images) {
    Objects.requireNonNull(images, "images");
    for (int i = 0; i < images.size(); i++) {
      Objects.requireNonNull(images.get(i), "image " + i).checkShape(config.inChans(), grid());
    }
    List<PatchScores> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += maxBatch) {
      List<ImageTensor> chunk = images.subList(start, Math.min(images.size(), start + maxBatch));
      float[] logits = forward(chunk);
      int n = config.numPatches();
      for (int i = 0; i < chunk.size(); i++) {
        float[] row = java.util.Arrays.copyOfRange(logits, i * n, (i + 1) * n);
        for (float v : row) {
          if (!Float.isFinite(v)) {
            throw new IllegalStateException(
                "the ranker produced a non-finite logit ("
                    + v
                    + "): its weights are probably corrupt");
          }
        }
        out.add(PatchScores.dense(grid(), row));
      }
    }
    return List.copyOf(out);
  }

  private float[] forward(List<ImageTensor> images) {
    return graph.call(
        sd -> {
          Map<String, INDArray> in = RankerGraph.fullImageInputs(images, positionTable, config);
          Map<String, INDArray> out = null;
          try {
            out = sd.output(in, RankerGraph.LOGITS);
            return GraphArrays.toFloats(out.get(RankerGraph.LOGITS));
          } catch (RuntimeException e) {
            throw new IllegalStateException("ND4J failed to run the ranker graph", e);
          } finally {
            GraphArrays.closeAll(in);
            GraphArrays.closeAll(out);
          }
        });
  }

  /** Frees the native weights and stops the engine thread. Idempotent. */
  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "VitRanker[" + config + "]";
  }

  /** Builds a {@link VitRanker}. Not thread-safe. */
  public static final class Builder {
    private final RankerWeights weights;
    private int maxBatch = 32;

    private Builder(RankerWeights weights) {
      this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** Most images per forward pass (default 32); larger batches are split. */
    public Builder optMaxBatch(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1, got " + images);
      }
      this.maxBatch = images;
      return this;
    }

    /** Copies the weights into a new native graph. */
    public VitRanker build() {
      return new VitRanker(weights, maxBatch);
    }
  }
}
