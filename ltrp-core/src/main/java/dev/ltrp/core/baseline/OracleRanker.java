package dev.ltrp.core.baseline;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.ScoreMap;
import dev.ltrp.api.ScoreOracle;
import java.util.Objects;

/**
 * Ranks patches by the oracle's own full score map: the teacher as a ranker, the upper bound a
 * learned ranker approximates.
 *
 * <p>Each {@link #rank} call computes {@link ScoreOracle#scoreMap(ImageTensor, double, int, long)
 * oracle.scoreMap(image, maskRatio, passes, seed)} and returns its {@link
 * ScoreMap#meanRankQuantiles() mean rank quantiles} (default; comparable across visible sets) or
 * its {@link ScoreMap#meanScores() mean raw scores}. <b>Expensive</b>: one oracle round per
 * covering visible set, each a leave-one-out reconstruction of every visible patch; with the
 * defaults (mask ratio {@value #DEFAULT_MASK_RATIO}, {@value #DEFAULT_PASSES} pass) a 196-patch
 * image takes 11 rounds of 19 visible patches, i.e. 11 × 20 reconstructions, per {@code passes}.
 *
 * <p>The same seed is used for every image, so all images are scored with the same visible sets
 * (default seed {@value #DEFAULT_SEED}). Immutable; safe for concurrent calls when the oracle is.
 * By default it borrows the oracle (closing the oracle remains its creator's job); built with
 * {@link Builder#optCloseOracle(boolean) optCloseOracle(true)} it owns it and {@link #close()}
 * closes it.
 *
 * <pre>{@code
 * OracleRanker ranker = OracleRanker.builder(oracle).optPasses(2).build();
 * }</pre>
 */
public final class OracleRanker implements PatchRanker {

  /** The paper's mask ratio: 10% of the patches visible per round. */
  public static final double DEFAULT_MASK_RATIO = 0.9;

  /** Covering passes by default: every patch visible at least once. */
  public static final int DEFAULT_PASSES = 1;

  /** The seed of the visible sets by default. */
  public static final long DEFAULT_SEED = 0L;

  /** Which aggregate of the score map becomes the ranking. */
  public enum Aggregate {
    /** {@link ScoreMap#meanRankQuantiles()}: per-round ranks, averaged; in {@code [0, 1]}. */
    MEAN_RANK_QUANTILES,
    /** {@link ScoreMap#meanScores()}: raw oracle scores, averaged over a patch's rounds. */
    MEAN_SCORES
  }

  private final ScoreOracle oracle;
  private final double maskRatio;
  private final int passes;
  private final long seed;
  private final Aggregate aggregate;
  private final boolean ownsOracle;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private OracleRanker(Builder b) {
    this.ownsOracle = b.closeOracle;
    this.oracle = b.oracle;
    this.maskRatio = b.maskRatio;
    this.passes = b.passes;
    this.seed = b.seed;
    this.aggregate = b.aggregate;
  }

  /** A builder over {@code oracle} with the defaults above. */
  public static Builder builder(ScoreOracle oracle) {
    return new Builder(oracle);
  }

  /** An oracle ranker with all defaults. */
  public static OracleRanker of(ScoreOracle oracle) {
    return builder(oracle).build();
  }

  @Override
  public PatchGrid grid() {
    return oracle.grid();
  }

  @Override
  public int channels() {
    return oracle.channels();
  }

  /** The mask ratio of each round. */
  public double maskRatio() {
    return maskRatio;
  }

  /** The covering passes. */
  public int passes() {
    return passes;
  }

  /** The seed of the visible sets. */
  public long seed() {
    return seed;
  }

  /** The aggregate that becomes the scores. */
  public Aggregate aggregate() {
    return aggregate;
  }

  /**
   * The full score map's aggregate as dense scores (expensive; see the class comment).
   *
   * @throws IllegalArgumentException if the image does not fit the oracle
   */
  @Override
  public PatchScores rank(ImageTensor image) {
    Objects.requireNonNull(image, "image");
    image.checkShape(channels(), grid());
    ScoreMap map = oracle.scoreMap(image, maskRatio, passes, seed);
    return aggregate == Aggregate.MEAN_SCORES ? map.meanScores() : map.meanRankQuantiles();
  }

  @Override
  public String toString() {
    return "OracleRanker["
        + oracle
        + ", maskRatio="
        + maskRatio
        + ", passes="
        + passes
        + ", seed="
        + seed
        + ", "
        + aggregate
        + "]";
  }

  /** Closes the oracle if this ranker owns it ({@link Builder#optCloseOracle}); idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsOracle) {
      oracle.close();
    }
  }

  /** Settings of an {@link OracleRanker}. Not thread-safe; {@link #build()} copies them. */
  public static final class Builder {

    private final ScoreOracle oracle;
    private double maskRatio = DEFAULT_MASK_RATIO;
    private int passes = DEFAULT_PASSES;
    private long seed = DEFAULT_SEED;
    private Aggregate aggregate = Aggregate.MEAN_RANK_QUANTILES;
    private boolean closeOracle;

    private Builder(ScoreOracle oracle) {
      this.oracle = Objects.requireNonNull(oracle, "oracle");
    }

    /**
     * The mask ratio of each round; default {@value OracleRanker#DEFAULT_MASK_RATIO}.
     *
     * @throws IllegalArgumentException if {@code maskRatio} is outside {@code (0, 1)}
     */
    public Builder optMaskRatio(double maskRatio) {
      if (!(maskRatio > 0 && maskRatio < 1)) {
        throw new IllegalArgumentException("maskRatio must be in (0, 1), got " + maskRatio);
      }
      this.maskRatio = maskRatio;
      return this;
    }

    /**
     * How many times every patch is visible at least; default {@value OracleRanker#DEFAULT_PASSES}.
     *
     * @throws IllegalArgumentException if {@code passes < 1}
     */
    public Builder optPasses(int passes) {
      if (passes < 1) {
        throw new IllegalArgumentException("passes must be at least 1, got " + passes);
      }
      this.passes = passes;
      return this;
    }

    /** The seed of the visible sets; default {@value OracleRanker#DEFAULT_SEED}. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Ranks by {@code aggregate}; default {@link Aggregate#MEAN_RANK_QUANTILES}. */
    public Builder optAggregate(Aggregate aggregate) {
      this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
      return this;
    }

    /**
     * Whether the ranker owns the oracle and closes it in {@link OracleRanker#close()}; default
     * false (it borrows the oracle).
     */
    public Builder optCloseOracle(boolean closeOracle) {
      this.closeOracle = closeOracle;
      return this;
    }

    /** An oracle ranker with these settings. */
    public OracleRanker build() {
      return new OracleRanker(this);
    }
  }
}
