package dev.ltrp.core.model;

import java.util.SplittableRandom;

/**
 * Seeded weight initializers matching the reference MAE/ViT initialization: Xavier-uniform linear
 * and patch-embedding weights, zero biases, unit LayerNorm weights, {@code N(0, 0.02)} tokens.
 *
 * <p>Not thread-safe (wraps one {@link SplittableRandom}); create one per initialization.
 */
public final class WeightInit {

  private final SplittableRandom random;

  /** An initializer drawing from a generator seeded with {@code seed}. */
  public WeightInit(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * Xavier (Glorot) uniform for a {@code [fanOut, fanIn]} weight: {@code U(±√(6/(fanIn+fanOut)))}.
   */
  public float[] xavierUniform(int fanOut, int fanIn) {
    double bound = Math.sqrt(6.0 / (fanIn + fanOut));
    float[] w = new float[Math.multiplyExact(fanOut, fanIn)];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return w;
  }

  /** {@code n} draws from {@code N(0, std²)}. */
  public float[] normal(int n, double std) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (gaussian() * std);
    }
    return w;
  }

  /** {@code n} copies of {@code value}. */
  public static float[] filled(int n, float value) {
    float[] w = new float[n];
    java.util.Arrays.fill(w, value);
    return w;
  }

  private double gaussian() {
    // Box–Muller; one value per call keeps the stream simple and reproducible.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
