package dev.ltrp.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link EvalModels}: the committed models load from the class path, architecture included. */
class EvalModelsTest {

  @Test
  void theCommittedModelsLoadFromTheClassPath() throws IOException {
    MaeWeights teacher = EvalModels.fashionMnistTeacher();
    RankerWeights ranker = EvalModels.fashionMnistRanker();

    assertThat(teacher.source()).isEqualTo("mae.safetensors");
    assertThat(teacher.config().imgSize()).isEqualTo(28);
    assertThat(teacher.config().inChans()).isEqualTo(1);
    assertThat(ranker.source()).isEqualTo("ranker.safetensors");
    assertThat(ranker.config().grid()).isEqualTo(teacher.config().grid());
  }
}
