package dev.ltrp.nd4j.internal.graph;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moving arrays between the Java heap and ND4J, and freeing what a graph holds. */
public final class GraphArrays {

  private GraphArrays() {}

  /** A new float32 C-order array of {@code shape} holding a copy of {@code data}. */
  public static INDArray floats(float[] data, long... shape) {
    return Nd4j.create(data, shape, 'c');
  }

  /** A new int32 array of {@code shape} holding a copy of {@code data}. */
  public static INDArray ints(int[] data, long... shape) {
    return Nd4j.createFromArray(data).reshape(shape);
  }

  /** The values of {@code array} as a new Java array (C order). */
  public static float[] toFloats(INDArray array) {
    INDArray c = array.ordering() == 'c' && !array.isView() ? array : array.dup('c');
    float[] out = c.data().asFloat();
    if (c != array) {
      c.close();
    }
    return out;
  }

  /** Closes every array in {@code arrays}; tolerates arrays that are already closed. */
  public static void closeAll(Map<String, INDArray> arrays) {
    if (arrays == null) {
      return;
    }
    for (INDArray a : arrays.values()) {
      closeQuietly(a);
    }
  }

  /** Closes {@code array} unless it is null or already closed. */
  public static void closeQuietly(INDArray array) {
    if (array != null && !array.wasClosed() && array.closeable()) {
      array.close();
    }
  }

  /** Frees the native memory of every variable and constant array of {@code sd}. */
  public static void release(SameDiff sd) {
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE
          || v.getVariableType() == VariableType.CONSTANT) {
        INDArray arr = v.getArr();
        closeQuietly(arr);
      }
    }
  }

  /** A float32 {@link DataType} check used by graph builders. */
  public static boolean isFloat(INDArray array) {
    return array.dataType() == DataType.FLOAT;
  }
}
