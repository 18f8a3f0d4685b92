package dev.ltrp.core.training;

import java.util.Objects;

/**
 * The learning-rate schedule of the reference MAE/LTRP training: a linear warm-up from 0, then a
 * half-cosine decay to a minimum, evaluated per step as the reference's {@code
 * util/lr_sched.adjust_learning_rate} is (it is called every iteration with a fractional epoch;
 * here the unit is the step, so {@code step / stepsPerEpoch} plays that fractional epoch):
 *
 * <pre>
 *   lr(s) = baseLr · s / warmup                                               for s &lt; warmup
 *   lr(s) = minLr + (baseLr − minLr) · ½ · (1 + cos(π · (s − warmup) / (total − warmup)))
 *                                                                             for warmup ≤ s &lt; total
 *   lr(s) = minLr                                                             for s ≥ total
 * </pre>
 *
 * <p>So step 0 trains at 0 (as the reference does), the peak {@code baseLr} is reached at step
 * {@code warmup}, and the last step {@code total − 1} is just above {@code minLr}. The reference
 * scales the peak with the batch: {@code baseLr = blr · effectiveBatch / 256} ({@link
 * #linearScaledLr(double, int)}), with {@code blr = 1.5e-4} and warm-up 40 of 400 epochs for LTRP.
 *
 * <pre>{@code
 * CosineSchedule schedule = CosineSchedule.builder()
 *     .setBaseLr(CosineSchedule.linearScaledLr(1.5e-4, 256))
 *     .setTotalSteps(400_000)
 *     .optWarmupSteps(40_000)
 *     .build();
 * double lr = schedule.lr(step);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CosineSchedule {

  private final double baseLr;
  private final double minLr;
  private final long warmupSteps;
  private final long totalSteps;

  private CosineSchedule(Builder b) {
    this.baseLr = b.baseLr;
    this.minLr = b.minLr;
    this.warmupSteps = b.warmupSteps;
    this.totalSteps = b.totalSteps;
  }

  /** A builder; {@link Builder#setBaseLr} and {@link Builder#setTotalSteps} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The reference's linear scaling rule: {@code blr · effectiveBatchSize / 256}, where the
   * effective batch is the per-step batch times gradient-accumulation steps (times devices).
   *
   * @throws IllegalArgumentException if {@code blr} is negative or not finite, or the batch size is
   *     not positive
   */
  public static double linearScaledLr(double blr, int effectiveBatchSize) {
    if (!(blr >= 0 && blr < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("blr must be finite and >= 0, got " + blr);
    }
    if (effectiveBatchSize <= 0) {
      throw new IllegalArgumentException(
          "effectiveBatchSize must be positive, got " + effectiveBatchSize);
    }
    return blr * effectiveBatchSize / 256.0;
  }

  /**
   * The learning rate of step {@code step} (0-based), as the class documentation specifies.
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public double lr(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, got " + step);
    }
    if (step < warmupSteps) {
      return baseLr * step / warmupSteps;
    }
    if (step >= totalSteps) {
      return minLr;
    }
    double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    return minLr + (baseLr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
  }

  /** The peak learning rate, reached at the end of warm-up. */
  public double baseLr() {
    return baseLr;
  }

  /** The learning rate the cosine decays to, and that steps at or past the end use. */
  public double minLr() {
    return minLr;
  }

  /** Steps of linear warm-up. */
  public long warmupSteps() {
    return warmupSteps;
  }

  /** Steps of the whole run. */
  public long totalSteps() {
    return totalSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosineSchedule other
        && Double.compare(baseLr, other.baseLr) == 0
        && Double.compare(minLr, other.minLr) == 0
        && warmupSteps == other.warmupSteps
        && totalSteps == other.totalSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseLr, minLr, warmupSteps, totalSteps);
  }

  @Override
  public String toString() {
    return "CosineSchedule[baseLr="
        + baseLr
        + ", minLr="
        + minLr
        + ", warmupSteps="
        + warmupSteps
        + ", totalSteps="
        + totalSteps
        + "]";
  }

  /** Builds a {@link CosineSchedule}; not thread-safe. */
  public static final class Builder {

    private double baseLr = Double.NaN;
    private double minLr;
    private long warmupSteps;
    private long totalSteps = -1;

    private Builder() {}

    /**
     * Sets the peak learning rate (required).
     *
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    public Builder setBaseLr(double lr) {
      this.baseLr = checkLr("baseLr", lr);
      return this;
    }

    /**
     * Sets the number of steps of the run (required).
     *
     * @throws IllegalArgumentException if {@code steps} is not positive
     */
    public Builder setTotalSteps(long steps) {
      if (steps <= 0) {
        throw new IllegalArgumentException("totalSteps must be positive, got " + steps);
      }
      this.totalSteps = steps;
      return this;
    }

    /**
     * Sets the number of warm-up steps (default 0: no warm-up); at most the total.
     *
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    public Builder optWarmupSteps(long steps) {
      if (steps < 0) {
        throw new IllegalArgumentException("warmupSteps must not be negative, got " + steps);
      }
      this.warmupSteps = steps;
      return this;
    }

    /**
     * Sets the floor of the decay (default 0, as in the reference).
     *
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    public Builder optMinLr(double lr) {
      this.minLr = checkLr("minLr", lr);
      return this;
    }

    /**
     * Builds the schedule.
     *
     * @throws IllegalStateException if a required setting is missing, the warm-up is longer than
     *     the run, or {@code minLr > baseLr}
     */
    public CosineSchedule build() {
      if (Double.isNaN(baseLr)) {
        throw new IllegalStateException("setBaseLr is required");
      }
      if (totalSteps < 0) {
        throw new IllegalStateException("setTotalSteps is required");
      }
      if (warmupSteps > totalSteps) {
        throw new IllegalStateException(
            "warmupSteps " + warmupSteps + " exceeds totalSteps " + totalSteps);
      }
      if (minLr > baseLr) {
        throw new IllegalStateException("minLr " + minLr + " exceeds baseLr " + baseLr);
      }
      return new CosineSchedule(this);
    }

    private static double checkLr(String name, double lr) {
      if (!(lr >= 0 && lr < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(name + " must be finite and >= 0, got " + lr);
      }
      return lr;
    }
  }
}
