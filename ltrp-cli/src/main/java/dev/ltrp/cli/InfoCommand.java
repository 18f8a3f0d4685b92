package dev.ltrp.cli;

import dev.ltrp.core.model.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ltrp info MODEL}: describes a model file ({@code .safetensors}, {@code .pth} zip or
 * legacy) as one JSON line on standard output, {@link ModelInfo#toJson()}: format, size, which
 * model, architecture, tensor and parameter counts, element types and provenance (version, commit,
 * date written, training steps and settings; null where the file does not record them). Needs no
 * engine.
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "info",
    description = {
      "Describe a model file (.safetensors, or .pth zip or legacy).",
      "Prints one JSON line: format, bytes, kind (mae, ranker or other), architecture, tensors,"
          + " parameters, dtypes and provenance (version, commit, written_utc, training_steps,"
          + " training_settings; null where the file does not record them)."
    },
    sortOptions = false)
public final class InfoCommand extends LtrpSubcommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file to describe.")
  private Path model;

  @Override
  protected int run() throws IOException {
    requireFile("MODEL", model);
    out().println(ModelInfo.read(model).toJson());
    out().flush();
    return 0;
  }
}
