package dev.ltrp.nd4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite-difference checks of a double-precision SameDiff graph's autodiff gradients.
 *
 * <p>For each checked element {@code w}: numeric = {@code (loss(w + h) − loss(w − h)) / 2h} with
 * {@code h = 1e-6}; the element fails when {@code |autodiff − numeric| > 1e-8} and the relative
 * error {@code |a − n| / max(|a|, |n|)} exceeds 1e-5. In double precision a correct gradient agrees
 * to ~1e-8 relative or better; ND4J's known-wrong gradients (e.g. {@code cumsum} on several rows)
 * are off by O(1).
 */
public final class GradientChecks {

  private static final double STEP = 1e-6;
  private static final double MAX_REL = 1e-5;
  private static final double MIN_ABS = 1e-8;

  private GradientChecks() {}

  /** The result of one check: the worst element and how many failed. */
  public record Result(int checked, int failed, String worst, double worstRelError) {
    public boolean ok() {
      return failed == 0;
    }
  }

  /** Checks every element of every trainable variable. */
  public static Result check(SameDiff sd, Map<String, INDArray> placeholders) {
    return checkSubset(sd, placeholders, Integer.MAX_VALUE, 0);
  }

  /**
   * Checks at most {@code perVariable} randomly chosen elements of each trainable variable (for
   * models whose full check would take minutes).
   */
  public static Result checkSubset(
      SameDiff sd, Map<String, INDArray> placeholders, int perVariable, long seed) {
    String loss = sd.getLossVariables().get(0);
    List<String> variables = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        if (v.dataType() != DataType.DOUBLE) {
          throw new IllegalArgumentException(
              "gradient checks need a double graph; " + v.name() + " is " + v.dataType());
        }
        variables.add(v.name());
      }
    }
    Map<String, INDArray> grads = sd.calculateGradients(placeholders, variables);
    SplittableRandom random = new SplittableRandom(seed);
    int checked = 0;
    int failed = 0;
    String worst = "";
    double worstRel = 0;
    for (String name : variables) {
      INDArray param = sd.getArrForVarName(name);
      INDArray grad = grads.get(name);
      long n = param.length();
      long count = Math.min(n, perVariable);
      for (long c = 0; c < count; c++) {
        long i = count == n ? c : random.nextLong(n);
        double original = param.getDouble(i);
        param.putScalar(i, original + STEP);
        double plus = lossValue(sd, placeholders, loss);
        param.putScalar(i, original - STEP);
        double minus = lossValue(sd, placeholders, loss);
        param.putScalar(i, original);
        double numeric = (plus - minus) / (2 * STEP);
        double analytic = grad.getDouble(i);
        double abs = Math.abs(analytic - numeric);
        double rel = abs / Math.max(Math.abs(analytic), Math.abs(numeric));
        checked++;
        if (abs > MIN_ABS && rel > MAX_REL) {
          failed++;
          if (rel > worstRel) {
            worstRel = rel;
            worst = name + "[" + i + "]: autodiff " + analytic + ", numeric " + numeric;
          }
        }
      }
    }
    return new Result(checked, failed, worst, worstRel);
  }

  private static double lossValue(SameDiff sd, Map<String, INDArray> placeholders, String loss) {
    return sd.output(placeholders, loss).get(loss).getDouble(0);
  }
}
