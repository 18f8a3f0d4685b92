package dev.ltrp.cli;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How a command chooses the patches the MAE sees: either {@code --visible} with explicit patch
 * indices, or {@code --mask-ratio} with an optional {@code --seed} for a random set. Use it as an
 * exclusive argument group that must be given once:
 *
 * <pre>{@code
 * @ArgGroup(exclusive = true, multiplicity = "1")
 * VisibleSetOptions visible;
 * }</pre>
 *
 * <p>Not thread-safe: picocli fills it while parsing.
 */
final class VisibleSetOptions {

  /** Default of {@code --seed}. */
  public static final long DEFAULT_SEED = 0;

  // A String rather than int[] with split=",": picocli treats arrays as repeatable options and
  // would show "--visible=I[,I...] [--visible=I[,I...]]..." in every usage message.
  @Option(
      names = "--visible",
      paramLabel = "I,J,...",
      required = true,
      description = "Visible patches, comma-separated row-major indices (e.g. 0,14,15).")
  private String patches;

  @ArgGroup(exclusive = false)
  private RandomVisible random;

  /** A random visible set: {@code --mask-ratio R [--seed N]}. */
  static final class RandomVisible {
    @Option(
        names = "--mask-ratio",
        paramLabel = "RATIO",
        required = true,
        description = "Fraction of patches masked, in (0, 1); the visible set is random.")
    private double maskRatio;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "" + DEFAULT_SEED,
        description = "Seed of the random visible set (default: ${DEFAULT-VALUE}).")
    private long seed;
  }

  /**
   * Checks what can be checked without the model: the mask ratio's range, or that the indices are
   * integers.
   *
   * @throws IllegalArgumentException naming the option and value
   */
  void validate() {
    if (random != null && !(random.maskRatio > 0 && random.maskRatio < 1)) {
      throw new IllegalArgumentException("--mask-ratio must be in (0, 1), got " + random.maskRatio);
    }
    if (patches != null) {
      indices();
    }
  }

  private int[] indices() {
    String[] parts = patches.split(",", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--visible: '" + parts[i].strip() + "' in '" + patches + "' is not a patch index");
      }
    }
    return out;
  }

  /**
   * The visible set on {@code grid}.
   *
   * @throws IllegalArgumentException naming the option if an index is outside the grid, repeats, or
   *     the set is empty or complete, or if the ratio leaves no visible patch
   */
  VisibleSet resolve(PatchGrid grid) {
    validate();
    try { // VisibleSet's messages name the value; prefix the option it came from.
      if (random != null) {
        return VisibleSet.random(grid, random.maskRatio, random.seed);
      }
      return VisibleSet.of(grid, indices());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      String option = random != null ? "--mask-ratio" : "--visible";
      throw new IllegalArgumentException(
          option
              + ": "
              + e.getMessage()
              + " (the model's grid is "
              + grid.rows()
              + "x"
              + grid.cols()
              + ")",
          e);
    }
  }
}
