package dev.ltrp.core.oracle;

import java.util.Locale;

/**
 * How the MAE oracle removes one visible patch {@code v} to measure its importance.
 *
 * <p>In every mode the patch's score is the distance ({@link ReconstructionDistance}; the
 * reference's mean absolute difference by default) between the anchor reconstruction (nothing
 * removed) and the reconstruction without {@code v}, over the masked patches and all their values.
 */
public enum RemovalMode {

  /**
   * The reference method: reuse the encoder output and cut {@code v} out of every decoder block's
   * attention (no query attends to key {@code v}; {@code v}'s own query attends to nothing, so its
   * attention output is 0). {@code v} still flows through residuals and MLPs, but nobody reads it.
   */
  DECODER_ATTENTION("decoder"),

  /**
   * The reference's {@code mask_all} variant: re-run the encoder with the same cut applied to
   * {@code v} in every encoder block, then decode without any cut (the decoder sees {@code v}'s
   * degraded latent).
   */
  ENCODER_ATTENTION("encoder"),

  /**
   * This project's literal variant: treat {@code v} as masked, encoding the other visible patches
   * only and giving the decoder a mask token at {@code v}.
   */
  MASK_TOKEN("mask-token");

  private final String cliName;

  RemovalMode(String cliName) {
    this.cliName = cliName;
  }

  /**
   * The short name used on the command line and in JSON output ({@code decoder}, {@code encoder},
   * {@code mask-token}).
   */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a short name ({@code decoder}, {@code encoder}, {@code mask-token}) or a constant name.
   *
   * @throws IllegalArgumentException for anything else, listing the accepted names
   */
  public static RemovalMode parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (RemovalMode mode : values()) {
      if (mode.cliName.equals(n)
          || mode.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(n)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown removal mode '" + name + "': expected decoder, encoder or mask-token");
  }
}
