package dev.ltrp.core.loss;

import java.util.Locale;

/**
 * The ranking losses LTRP can train with (LTRP-METHOD §4). {@code s} are the ranker's logits at the
 * items of one list, {@code y} the oracle's scores of the same items.
 */
public enum RankingLoss {

  /**
   * ListMLE, the reference choice: with the items sorted by {@code y} descending (ties by the lower
   * item index), {@code Σ_j [log Σ_{k≥j} exp(s_k) − s_j]} per list, mean over the batch. With a
   * top-k setting each list is a random subset of k of its items.
   */
  LISTMLE("listmle"),

  /**
   * RankNet: over the pairs {@code i < j} of a list, target 1 if {@code y_i − y_j ≥ 0.001}, 0 if
   * {@code ≤ −0.001}, else 0.5; binary cross-entropy of {@code σ(s_i − s_j)}, mean over all pairs.
   */
  RANKNET("ranknet"),

  /** ListNet: {@code −Σ softmax(y) · log_softmax(s)} per list, mean over the batch. */
  LISTNET("listnet"),

  /** Pointwise: mean squared error between {@code s} and {@code y}. */
  POINTWISE("pointwise");

  private final String cliName;

  RankingLoss(String cliName) {
    this.cliName = cliName;
  }

  /**
   * The command-line name ({@code listmle}, {@code ranknet}, {@code listnet}, {@code pointwise}).
   */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line or constant name.
   *
   * @throws IllegalArgumentException for anything else, listing the accepted names
   */
  public static RankingLoss parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (RankingLoss loss : values()) {
      if (loss.cliName.equals(n) || loss.name().toLowerCase(Locale.ROOT).equals(n)) {
        return loss;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss '" + name + "': expected listmle, ranknet, listnet or pointwise");
  }
}
