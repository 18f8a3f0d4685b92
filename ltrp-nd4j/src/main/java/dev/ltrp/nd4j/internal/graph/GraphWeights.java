package dev.ltrp.nd4j.internal.graph;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.model.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves checkpoint tensors into a graph's variables and back, under their checkpoint names.
 *
 * <p>One tensor changes layout on the way: the ViT patch embedding. Checkpoints hold it as the conv
 * weight {@code [D, C, p, p]}; the graphs hold it as a linear weight {@code [D, p·p·C]} in the
 * patchify order (pixel row, pixel column, channel), because a linear layer on patchified pixels is
 * the same computation, is faster than ND4J's conv2d for stride = kernel, and trains (ND4J's conv2d
 * backprop fails with PyTorch's weight layout).
 */
public final class GraphWeights {

  /** Checkpoint name of the patch-embedding weight. */
  public static final String PATCH_EMBED_WEIGHT = "patch_embed.proj.weight";

  private GraphWeights() {}

  /**
   * Declares every tensor of {@code specs} in {@code sd}, with its values from {@code weights}: as
   * trainable variables when {@code trainable}, else as constants.
   *
   * @param dataType FLOAT for models, DOUBLE for gradient checks
   */
  public static void declare(
      SameDiff sd,
      List<TensorSpec> specs,
      StateDict weights,
      boolean trainable,
      DataType dataType) {
    declare(sd, specs, weights, name -> !trainable, dataType);
  }

  /**
   * Declares every tensor of {@code specs}: constants where {@code frozen} says so (e.g. the fixed
   * sin-cos position embeddings), trainable variables otherwise.
   */
  public static void declare(
      SameDiff sd,
      List<TensorSpec> specs,
      StateDict weights,
      java.util.function.Predicate<String> frozen,
      DataType dataType) {
    for (TensorSpec spec : specs) {
      Tensor tensor =
          weights
              .find(spec.name())
              .orElseThrow(() -> new IllegalArgumentException("no tensor " + spec.name()));
      float[] data = tensor.toArray();
      long[] shape = toLong(spec.shape());
      if (spec.name().equals(PATCH_EMBED_WEIGHT)) {
        int[] s = spec.shape();
        data = convToLinear(data, s[0], s[1], s[2]);
        shape = new long[] {s[0], (long) s[1] * s[2] * s[3]};
      }
      INDArray arr = Nd4j.create(data, shape, 'c');
      if (dataType != DataType.FLOAT) {
        INDArray cast = arr.castTo(dataType);
        arr.close();
        arr = cast;
      }
      if (frozen.test(spec.name())) {
        sd.constant(spec.name(), arr);
      } else {
        sd.var(spec.name(), arr);
      }
    }
  }

  /** The current values of {@code specs}' variables in {@code sd}, in checkpoint layout. */
  public static StateDict export(SameDiff sd, List<TensorSpec> specs) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (TensorSpec spec : specs) {
      float[] data = GraphArrays.toFloats(sd.getArrForVarName(spec.name()).castTo(DataType.FLOAT));
      if (spec.name().equals(PATCH_EMBED_WEIGHT)) {
        int[] s = spec.shape();
        data = linearToConv(data, s[0], s[1], s[2]);
      }
      out.put(spec.name(), Tensor.of(spec.shape(), data));
    }
    return StateDict.of(out);
  }

  /** {@code [D, C, p, p]} → {@code [D, p·p·C]} in (pixel row, pixel column, channel) order. */
  public static float[] convToLinear(float[] conv, int d, int channels, int p) {
    float[] out = new float[conv.length];
    for (int o = 0; o < d; o++) {
      for (int k = 0; k < channels; k++) {
        for (int y = 0; y < p; y++) {
          for (int x = 0; x < p; x++) {
            out[o * p * p * channels + (y * p + x) * channels + k] =
                conv[((o * channels + k) * p + y) * p + x];
          }
        }
      }
    }
    return out;
  }

  /** Inverse of {@link #convToLinear}. */
  public static float[] linearToConv(float[] linear, int d, int channels, int p) {
    float[] out = new float[linear.length];
    for (int o = 0; o < d; o++) {
      for (int k = 0; k < channels; k++) {
        for (int y = 0; y < p; y++) {
          for (int x = 0; x < p; x++) {
            out[((o * channels + k) * p + y) * p + x] =
                linear[o * p * p * channels + (y * p + x) * channels + k];
          }
        }
      }
    }
    return out;
  }

  private static long[] toLong(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }
}
