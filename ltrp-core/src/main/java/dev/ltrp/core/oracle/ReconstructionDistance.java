package dev.ltrp.core.oracle;

import java.util.Locale;

/**
 * How the MAE oracle measures the change of its reconstruction when a visible patch is removed: per
 * masked patch, the mean over the patch's values of the elementwise distance between the anchor and
 * the new reconstruction, then the mean over the masked patches.
 */
public enum ReconstructionDistance {

  /** Mean absolute difference: the reference's choice. */
  L1("l1"),

  /** Mean squared difference: weighs large local changes more than many small ones. */
  L2("l2");

  private final String cliName;

  ReconstructionDistance(String cliName) {
    this.cliName = cliName;
  }

  /** The short name used on the command line and in JSON output ({@code l1}, {@code l2}). */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses {@code l1} or {@code l2} (any case).
   *
   * @throws IllegalArgumentException for anything else, listing the accepted names
   */
  public static ReconstructionDistance parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ReconstructionDistance d : values()) {
      if (d.cliName.equals(n)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown reconstruction distance '" + name + "': expected l1 or l2");
  }
}
