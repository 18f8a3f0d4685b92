package dev.ltrp.cli;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.ScoreOracle;
import dev.ltrp.core.baseline.DpcKnnRanker;
import dev.ltrp.core.baseline.OracleRanker;
import dev.ltrp.core.baseline.PixelVarianceRanker;
import dev.ltrp.core.baseline.RandomRanker;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The baseline rankers {@code ltrp keep --baseline} offers, by command-line name. All rank RGB
 * images; only {@link #ORACLE} needs a model.
 */
enum Baseline {

  /** {@link RandomRanker}: a seeded random order per image. */
  RANDOM("random"),

  /** {@link PixelVarianceRanker}: textured patches first. */
  VARIANCE("variance"),

  /** {@link DpcKnnRanker}: DPC-KNN cluster-center likeness. */
  DPC_KNN("dpc-knn"),

  /**
   * {@link OracleRanker}: the MAE oracle's full score map (slow; the MAE of {@code --mae}, by
   * default the bundled one).
   */
  ORACLE("oracle");

  /** Image channels of every baseline: the preprocessor produces RGB. */
  static final int CHANNELS = 3;

  private final String cliName;

  Baseline(String cliName) {
    this.cliName = cliName;
  }

  /** The command-line name. */
  String cliName() {
    return cliName;
  }

  /** Whether this baseline needs a score oracle ({@code --mae}). */
  boolean needsOracle() {
    return this == ORACLE;
  }

  /**
   * Parses a command-line name (case-insensitive).
   *
   * @throws IllegalArgumentException for anything else, listing the accepted names
   */
  static Baseline parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (Baseline b : values()) {
      if (b.cliName.equals(n)) {
        return b;
      }
    }
    String names = Arrays.stream(values()).map(Baseline::cliName).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("unknown baseline '" + name + "': expected one of " + names);
  }

  /**
   * This baseline over {@code grid}.
   *
   * @param seed the seed of the random order ({@link #RANDOM}) or of the oracle's visible sets
   *     ({@link #ORACLE}); unused by the others
   * @param oracle the oracle of {@link #ORACLE}, null for the others; the oracle ranker owns it
   *     (closing the ranker closes the oracle)
   * @throws NullPointerException if this is {@link #ORACLE} and {@code oracle} is null
   */
  PatchRanker create(PatchGrid grid, long seed, ScoreOracle oracle) {
    return switch (this) {
      case RANDOM -> RandomRanker.of(grid, CHANNELS, seed);
      case VARIANCE -> PixelVarianceRanker.of(grid, CHANNELS);
      case DPC_KNN -> DpcKnnRanker.of(grid, CHANNELS);
      case ORACLE ->
          OracleRanker.builder(Objects.requireNonNull(oracle, "oracle"))
              .optSeed(seed)
              .optCloseOracle(true)
              .build();
    };
  }
}
