package dev.ltrp.cli;

import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.HfMaeNames;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.model.ModelProvenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ltrp convert IN OUT.safetensors}: rewrites a checkpoint in any format {@link
 * Checkpoints#read} accepts (PyTorch zip or legacy {@code .pth}, safetensors) as a safetensors
 * file, optionally narrowed to F16 or BF16 and renamed from Hugging Face ViTMAE to reference MAE
 * names. The output's metadata records this conversion's {@link ModelProvenance} (the input's
 * training steps and settings, if it has them, are kept). Prints a one-line summary to standard
 * error; standard output stays empty.
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "convert",
    description = {
      "Convert a checkpoint (.pth zip or legacy, safetensors) to safetensors.",
      "Prints a one-line summary (tensors, parameters, dtype, bytes) to standard error."
    },
    sortOptions = false)
public final class ConvertCommand extends LtrpSubcommand {

  @Parameters(index = "0", paramLabel = "IN", description = "Checkpoint to read.")
  private Path input;

  @Parameters(
      index = "1",
      paramLabel = "OUT.safetensors",
      description = "Safetensors file to write (replaced atomically if it exists).")
  private Path output;

  @Option(
      names = "--dtype",
      paramLabel = "TYPE",
      defaultValue = "f32",
      converter = Converters.WritableDTypeConverter.class,
      completionCandidates = Converters.WritableDTypeNames.class,
      description = "Element type written: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private DType dtype;

  @Option(
      names = "--reference-names",
      description =
          "Rename Hugging Face ViTMAE tensors to the reference MAE names (query, key"
              + " and value become one qkv tensor). Other checkpoints keep their names.")
  private boolean referenceNames;

  @Override
  protected int run() throws IOException {
    requireFile("IN", input);
    Path dir = output.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "OUT: no such directory");
    }

    Checkpoint checkpoint = Checkpoints.load(input);
    StateDict tensors = checkpoint.tensors();
    String names = "";
    if (referenceNames) {
      if (HfMaeNames.isHfMae(tensors)) {
        tensors = HfMaeNames.toReference(tensors);
        names = ", names converted from Hugging Face ViTMAE";
      } else {
        names = ", names kept (not a Hugging Face ViTMAE checkpoint)";
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    // "format": "pt" is what transformers and safetensors.torch expect of a PyTorch state dict.
    metadata.put("format", "pt");
    metadata.put("converted_by", "ltrp convert " + LtrpCommand.ManifestVersion.version());
    // The input's training provenance carries over; the writer and date are this conversion's.
    metadata.putAll(
        ModelProvenance.fromMetadata(checkpoint.metadata()).withWrittenNow().toMetadata());
    Checkpoints.writeSafetensors(output, tensors, dtype, metadata);

    err()
        .println(
            String.format(
                Locale.ROOT,
                "%s: wrote %s: %d tensors, %,d parameters, %s, %,d bytes%s",
                spec.qualifiedName(),
                output,
                tensors.size(),
                tensors.totalElements(),
                dtype.name(),
                Files.size(output),
                names));
    err().flush();
    return 0;
  }
}
