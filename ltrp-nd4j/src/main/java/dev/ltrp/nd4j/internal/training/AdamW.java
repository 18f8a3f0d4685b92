package dev.ltrp.nd4j.internal.training;

import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.nd4j.internal.graph.GraphArrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW with decoupled weight decay, exactly as {@code torch.optim.AdamW}: per step {@code t = 1,
 * 2, …} and parameter {@code p} with gradient {@code g},
 *
 * <pre>
 * p ← p · (1 − lr · wd)            (only parameters in the decay set)
 * m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
 * p ← p − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 *
 * <p>Written here rather than taken from ND4J's updaters so that the decay set (no decay on biases,
 * norms and tokens, as in the reference) and the optimizer state are explicit and can be saved in
 * and restored from a checkpoint bit for bit. Not thread-safe: owned by one trainer and used on its
 * engine thread. Holds native arrays: {@link #close()} frees them.
 */
public final class AdamW implements AutoCloseable {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Set<String> decayed;
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();
  private long step;

  /**
   * @param decayed names of the parameters that receive weight decay
   */
  public AdamW(
      double beta1, double beta2, double eps, double weightDecay, Collection<String> decayed) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || weightDecay < 0) {
      throw new IllegalArgumentException(
          "invalid AdamW settings: beta1 "
              + beta1
              + ", beta2 "
              + beta2
              + ", eps "
              + eps
              + ", weight decay "
              + weightDecay);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decayed = Set.copyOf(decayed);
  }

  /** The reference LTRP/MAE settings: β = (0.9, 0.95), ε = 1e-8. */
  public static AdamW reference(double weightDecay, Collection<String> decayed) {
    return new AdamW(0.9, 0.95, 1e-8, weightDecay, decayed);
  }

  /** Steps taken so far. */
  public long step() {
    return step;
  }

  /**
   * Applies one update in place to {@code params} with {@code grads} (same names) at learning rate
   * {@code lr}.
   */
  public void update(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
    step++;
    double bias1 = 1 - Math.pow(beta1, step);
    double bias2 = 1 - Math.pow(beta2, step);
    double stepSize = lr / bias1;
    double sqrtBias2 = Math.sqrt(bias2);
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray p = e.getValue();
      INDArray g = grads.get(name);
      if (g == null) {
        throw new IllegalArgumentException("no gradient for parameter " + name);
      }
      if (decayed.contains(name) && weightDecay > 0) {
        p.muli(1 - lr * weightDecay);
      }
      INDArray mt = m.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
      INDArray vt = v.computeIfAbsent(name, k -> Nd4j.zerosLike(p));
      INDArray scaled = g.mul(1 - beta1);
      mt.muli(beta1).addi(scaled);
      INDArray g2 = g.mul(g).muli(1 - beta2);
      vt.muli(beta2).addi(g2);
      INDArray denom = Transforms.sqrt(vt, true).divi(sqrtBias2).addi(eps);
      INDArray delta = mt.div(denom).muli(stepSize);
      p.subi(delta);
      // Temporaries are freed now rather than when the garbage collector finds them.
      scaled.close();
      g2.close();
      denom.close();
      delta.close();
    }
  }

  /** The optimizer state as tensors {@code m.<name>}, {@code v.<name>}, plus the step count. */
  public StateDict state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : m.keySet()) {
      out.put("m." + name, toTensor(m.get(name)));
      out.put("v." + name, toTensor(v.get(name)));
    }
    return StateDict.of(out);
  }

  /** Restores {@link #state()} and the step count (as saved together in a checkpoint). */
  public void restore(StateDict state, long steps) {
    close();
    for (String key : state.names()) {
      Tensor t = state.find(key).orElseThrow();
      long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
      INDArray arr = GraphArrays.floats(t.toArray(), shape);
      if (key.startsWith("m.")) {
        m.put(key.substring(2), arr);
      } else if (key.startsWith("v.")) {
        v.put(key.substring(2), arr);
      } else {
        arr.close();
        throw new IllegalArgumentException("unexpected optimizer state tensor " + key);
      }
    }
    this.step = steps;
  }

  private static Tensor toTensor(INDArray a) {
    int[] shape = java.util.Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
    return Tensor.of(shape, GraphArrays.toFloats(a));
  }

  /** Frees the moment arrays. */
  @Override
  public void close() {
    GraphArrays.closeAll(m);
    GraphArrays.closeAll(v);
    m.clear();
    v.clear();
  }
}
