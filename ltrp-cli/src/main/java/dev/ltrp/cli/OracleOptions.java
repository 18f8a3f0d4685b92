package dev.ltrp.cli;

import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import picocli.CommandLine.Option;

/**
 * How the MAE oracle scores a visible patch: {@code --removal} and {@code --distance}, shared by
 * the commands that run the oracle (a picocli mixin). Not thread-safe: filled by picocli.
 */
final class OracleOptions {

  @Option(
      names = "--removal",
      paramLabel = "MODE",
      defaultValue = "decoder",
      converter = Converters.RemovalModeConverter.class,
      completionCandidates = Converters.RemovalModeNames.class,
      description =
          "How a visible patch is removed: ${COMPLETION-CANDIDATES}"
              + " (default: ${DEFAULT-VALUE}).")
  RemovalMode removal;

  @Option(
      names = "--distance",
      paramLabel = "D",
      defaultValue = "l1",
      converter = Converters.DistanceConverter.class,
      completionCandidates = Converters.DistanceNames.class,
      description =
          "How the change of the reconstruction is measured: ${COMPLETION-CANDIDATES}"
              + " (mean absolute or squared difference; default: ${DEFAULT-VALUE}, the reference's).")
  ReconstructionDistance distance;

  /** A new oracle over {@code weights} with these options; the caller closes it. */
  MaeScoreOracle oracle(MaeWeights weights) {
    return MaeScoreOracle.builder(weights).optRemovalMode(removal).optDistance(distance).build();
  }
}
