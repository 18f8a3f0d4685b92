package dev.ltrp.nd4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.nd4j.testing.FashionMnist;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The reduced evaluation end to end on Fashion-MNIST (the pipeline {@code ltrp eval} runs at full
 * size), and the paper's first claim at CPU scale: a classifier sees more when LTRP chooses its
 * patches than when they are chosen at random.
 */
class LtrpEvaluationTest {

  @Test
  void ltrpBeatsRandomAtAQuarterOfThePatches() throws IOException {
    EvaluationReport report = LtrpEvaluation.run(FashionMnist.DIR, EvaluationSettings.quick(),
        System.out);
    System.out.println(report.tables());
    double ltrp = EvaluationReport.mean(report.accuracy().get(EvaluationReport.LTRP).get(0.25));
    double random = EvaluationReport.mean(report.accuracy().get(EvaluationReport.RANDOM).get(0.25));
    // Observed in the quick run: LTRP ~__ points above random at 25% keep; Fashion-MNIST's empty
    // background makes random picks waste most of the budget. A 3-point margin is a clear win at
    // 400 test images (one image is 0.25 points) and fails if the ranker learned nothing.
    assertThat(ltrp - random).as("LTRP minus random accuracy at 25% keep").isGreaterThan(0.03);
    assertThat(report.quality().get(EvaluationReport.LTRP).get(0).kendallTau())
        .as("LTRP's agreement with its oracle").isGreaterThan(0.1);
  }
}
