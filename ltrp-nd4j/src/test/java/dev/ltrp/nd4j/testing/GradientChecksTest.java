package dev.ltrp.nd4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.nd4j.internal.graph.Gradients;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The checker passes a correct gradient and catches ND4J 1.0.0-M2.1's wrong cumsum gradient. */
class GradientChecksTest {

  @Test
  void passesACorrectGradient() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 4));
    sd.math.exp(x).mul(x).sum(false, 0, 1).rename("loss");
    sd.setLossVariables("loss");
    Gradients.prepare(sd); // keeps ND4J's per-op prints out of the build log
    GradientChecks.Result r = GradientChecks.check(sd, Map.of());
    assertThat(r.checked()).isEqualTo(12);
    assertThat(r.failed()).as(r.toString()).isZero();
  }

  @Test
  void catchesNd4jsWrongCumsumGradientOnSeveralRows() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 3, 4));
    SDVariable w = sd.constant(Nd4j.rand(DataType.DOUBLE, 3, 4));
    sd.cumsum(x, false, true, 1).mul(w).sum(false, 0, 1).rename("loss");
    sd.setLossVariables("loss");
    Gradients.prepare(sd); // keeps ND4J's per-op prints out of the build log
    GradientChecks.Result r = GradientChecks.check(sd, Map.of());
    assertThat(r.failed()).as("the checker must flag cumsum's gradient: " + r).isPositive();
  }
}
