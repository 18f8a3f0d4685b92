package dev.ltrp.nd4j;

import static dev.ltrp.core.testing.ArrayAssertions.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks of the CUDA backend, skipped (not passed) where it is not active: a machine without a GPU,
 * or a build without {@code -Pcuda}. The parity tests of the oracle and the ranker run on whichever
 * backend is active, so on a GPU machine they check the CUDA backend against the PyTorch fixtures.
 */
class GpuBackendTest {

  @Test
  @EnabledIfSystemProperty(named = "ltrp.requireGpu", matches = "true")
  void theCudaBackendIsActiveWhenAGpuRunIsRequired() {
    assertThat(Backends.active())
        .as("scripts/gpu/run-gpu-checks.sh expects the CUDA backend")
        .isEqualTo(Backends.Device.CUDA);
  }

  @Test
  @EnabledIf("dev.ltrp.nd4j.Backends#cudaActive")
  void matrixProductsOnTheGpuMatchTheCpuReference() {
    float[] a = Fixtures.readF32("fixtures/tiny-mae/image0.f32"); // 3·32·32 values
    INDArray x = Nd4j.create(a, new long[] {96, 32}, 'c');
    INDArray product = x.mmul(x.transpose());
    double[][] expected = new double[96][96];
    for (int i = 0; i < 96; i++) {
      for (int j = 0; j < 96; j++) {
        double s = 0;
        for (int k = 0; k < 32; k++) {
          s += (double) a[i * 32 + k] * a[j * 32 + k];
        }
        expected[i][j] = s;
      }
    }
    float[] flat = new float[96 * 96];
    for (int i = 0; i < 96; i++) {
      for (int j = 0; j < 96; j++) {
        flat[i * 96 + j] = (float) expected[i][j];
      }
    }
    assertThat(product.dataType()).isEqualTo(DataType.FLOAT);
    assertAllClose("GPU mmul", product.data().asFloat(), flat, 1e-5, 1e-4);
  }

  @Test
  void theActiveBackendIsReportedConsistently() {
    Backends.Device device = Backends.active();
    assertThat(List.of(Backends.Device.CPU, Backends.Device.CUDA)).contains(device);
    assertThat(Backends.cudaActive()).isEqualTo(device == Backends.Device.CUDA);
  }
}
