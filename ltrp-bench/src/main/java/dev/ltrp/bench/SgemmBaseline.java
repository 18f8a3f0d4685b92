package dev.ltrp.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline beside every model benchmark: ND4J's float32 GEMM {@code C = A·B} with {@code n × n}
 * matrices, into a preallocated result. {@code 2n³ / time} is the machine's practical GEMM peak
 * (GFLOP/s) that the oracle's throughput is compared with.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class SgemmBaseline {

  @Param({"2048"})
  public int n;

  private INDArray a;
  private INDArray b;
  private INDArray c;

  @Setup
  public void setUp() {
    Nd4j.getRandom().setSeed(7);
    a = Nd4j.rand(DataType.FLOAT, n, n);
    b = Nd4j.rand(DataType.FLOAT, n, n);
    c = Nd4j.create(DataType.FLOAT, n, n);
  }

  @Benchmark
  public INDArray sgemm() {
    return a.mmuli(b, c);
  }

  @TearDown
  public void tearDown() {
    a.close();
    b.close();
    c.close();
  }
}
