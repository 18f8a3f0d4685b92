package dev.ltrp.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.image.ImageRenderer;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.oracle.OracleResult;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ltrp oracle}: the MAE oracle's leave-one-out scores of the visible patches of one image,
 * printed as one JSON object on one line:
 *
 * <pre>{@code
 * {"grid":[14,14],"visible":[3,17,...],"scores":[0.0123,...],"removal":"decoder","metric":"l1"}
 * }</pre>
 *
 * <p>{@code grid} is {@code [rows, cols]}; {@code visible} the visible patches in ascending
 * row-major order; {@code scores[i]} the score of {@code visible[i]} (higher means more important);
 * {@code removal} how a patch was removed; {@code metric} how reconstructions were compared ({@code
 * l1}: mean absolute difference over the masked patches, the default; {@code l2}: mean squared
 * difference; see {@code --distance}).
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "oracle",
    description = {
      "Score the visible patches of an image with a masked autoencoder (the LTRP oracle).",
      "Prints one JSON object: {\"grid\":[rows,cols],\"visible\":[...],\"scores\":[...],"
          + "\"removal\":\"decoder\",\"metric\":\"l1\"}."
    },
    sortOptions = false)
public final class OracleCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--mae",
      paramLabel = "FILE",
      defaultValue = DEFAULT_MAE,
      description =
          "MAE checkpoint: reference .pth, safetensors, or Hugging Face ViTMAE; 'default' (the"
              + " default) is the bundled MAE of ltrp-models, the default ranker's teacher.")
  private String checkpoint;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "base, large, huge or a JSON config file (default: inferred from the"
              + " checkpoint, which works for the presets).")
  private String arch;

  @Option(
      names = "--image",
      paramLabel = "IMG",
      required = true,
      description =
          "Image file; resized on its shorter side and center-cropped to the model's"
              + " size unless it already has that size.")
  private Path image;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private VisibleSetOptions visible;

  @Mixin private OracleOptions scoring;

  @Option(
      names = "--reconstruction",
      paramLabel = "OUT.png",
      description = "Also write the anchor reconstruction (visible patches pasted in) as PNG.")
  private Path reconstruction;

  /** The printed result; Jackson writes the components in this order. */
  @JsonPropertyOrder({"grid", "visible", "scores", "removal", "metric"})
  record Output(int[] grid, int[] visible, float[] scores, String removal, String metric) {}

  @Override
  protected int run() throws IOException {
    // Everything checkable without the model first: loading a large checkpoint takes seconds.
    try {
      visible.validate();
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    requireMae(checkpoint, arch);
    requireFile("--image", image);
    if (reconstruction != null) {
      createParentDirectories(reconstruction);
    }
    MaeWeights weights = loadMae(checkpoint, maeArchitecture("--arch", arch));
    PatchGrid grid = weights.config().grid();
    VisibleSet visibleSet;
    try {
      visibleSet = visible.resolve(grid);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    ImageTensor input = ImagePreprocessor.forGrid(grid).preprocess(image);

    PatchScores scores;
    try (MaeScoreOracle oracle = scoring.oracle(weights)) {
      if (reconstruction == null) {
        scores = oracle.score(input, visibleSet);
      } else {
        OracleResult result = oracle.scoreWithReconstruction(input, visibleSet);
        scores = result.scores();
        ImageRenderer.writePng(
            ImageRenderer.defaults().render(result.reconstruction(input)), reconstruction);
      }
    }

    Output output =
        new Output(
            new int[] {grid.rows(), grid.cols()},
            scores.patches(),
            scores.scores(),
            scoring.removal.cliName(),
            scoring.distance.cliName());
    out().println(JSON.writeValueAsString(output));
    out().flush();
    return 0;
  }
}
