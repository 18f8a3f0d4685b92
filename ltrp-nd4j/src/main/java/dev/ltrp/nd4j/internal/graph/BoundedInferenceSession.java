package dev.ltrp.nd4j.internal.graph;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * SameDiff's inference session with bounded memory, for graphs that run forever.
 *
 * <ul>
 *   <li>ND4J 1.0.0-M2.1 records the id of every array it frees in {@code freedArrays} and never
 *       forgets them: measured on the tiny test MAE, 233 ids and ~39 KB of heap per oracle call of
 *       three images (15.5 MB over 400 calls). The ids only matter within one call, so this session
 *       forgets them after each.
 *   <li>Its default array cache may keep up to a quarter of the machine's RAM of freed intermediate
 *       arrays for reuse; we cap it at {@code cacheBytes}.
 * </ul>
 */
final class BoundedInferenceSession extends InferenceSession {

  BoundedInferenceSession(SameDiff sameDiff, long cacheBytes) {
    super(sameDiff);
    ArrayCacheMemoryMgr cache = new ArrayCacheMemoryMgr();
    cache.setMaxCacheBytes(cacheBytes);
    setMmgr(cache);
  }

  @Override
  public ExecutionResult output(
      List<String> variables,
      Map<String, INDArray> placeholderValues,
      Map<String, SDValue> otherPlaceholderValues,
      MultiDataSet batch,
      Collection<String> requiredActivations,
      List<Listener> listeners,
      At at) {
    try {
      return super.output(
          variables,
          placeholderValues,
          otherPlaceholderValues,
          batch,
          requiredActivations,
          listeners,
          at);
    } finally {
      freedArrays.clear();
    }
  }
}
