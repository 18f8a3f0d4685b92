package dev.ltrp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.ScoreMap;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.oracle.ScoreMapStore;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ltrp scoremaps}: the MAE oracle's full score map of every image of a folder, for offline
 * training ({@code ltrp train --score-maps}). Each image is resized and center-cropped to the MAE's
 * input size (no augmentation) and scored with {@link dev.ltrp.api.ScoreOracle#scoreMap covering
 * visible sets}; its {@link ScoreMap#meanRankQuantiles() mean rank quantiles} (in [0, 1], 1 = most
 * important) are stored with {@link ScoreMapStore} under the image's path relative to the folder.
 * Every image is scored with the same visible sets (the same seed). A progress bar goes to standard
 * error; at the end one JSON object is printed on one line:
 *
 * <pre>{@code
 * {"out":"maps.safetensors","images":1000,"grid":[14,14],"mask_ratio":0.9,"passes":1,"seed":0,
 *  "removal":"decoder","distance":"l1"}
 * }</pre>
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "scoremaps",
    description = {
      "Compute the MAE oracle's full score map of every image of a folder, for offline training"
          + " (ltrp train --score-maps).",
      "Prints one JSON summary line: {\"out\":...,\"images\":...,\"grid\":[rows,cols],...}."
    },
    sortOptions = false)
public final class ScoreMapsCommand extends LtrpSubcommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--images",
      paramLabel = "DIR",
      required = true,
      description = "Folder of images (searched recursively: jpg, jpeg, png, bmp, gif).")
  private Path images;

  @Option(
      names = "--mae",
      paramLabel = "FILE",
      required = true,
      description =
          "MAE checkpoint: reference .pth, safetensors, or Hugging Face ViTMAE; 'default' for the"
              + " bundled MAE.")
  private String checkpoint;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "base, large, huge or a JSON config file (default: inferred from the"
              + " checkpoint, which works for the presets).")
  private String arch;

  @Option(
      names = "--out",
      paramLabel = "MAPS.safetensors",
      required = true,
      description = "Score-map file to write (replaced atomically if it exists).")
  private Path out;

  @Option(
      names = "--mask-ratio",
      paramLabel = "RATIO",
      defaultValue = "0.9",
      description =
          "Fraction of patches masked in each oracle round, in (0, 1)"
              + " (default: ${DEFAULT-VALUE}).")
  private double maskRatio;

  @Option(
      names = "--passes",
      paramLabel = "N",
      defaultValue = "1",
      description = "How many times every patch is visible at least (default: ${DEFAULT-VALUE}).")
  private int passes;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "Seed of the visible sets, the same for every image" + " (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Mixin private OracleOptions scoring;

  @Override
  protected int run() throws IOException {
    if (!(maskRatio > 0 && maskRatio < 1)) {
      throw usageError("--mask-ratio must be in (0, 1), got " + maskRatio);
    }
    if (passes < 1) {
      throw usageError("--passes must be positive, got " + passes);
    }
    requireDirectory("--images", images);
    requireMae(checkpoint, arch);
    ImageFolder folder = ImageFolder.scan(images);
    createParentDirectories(out);

    MaeWeights weights = loadMae(checkpoint, maeArchitecture("--arch", arch));
    PatchGrid grid = weights.config().grid();
    try {
      VisibleSet.visibleCount(grid.numPatches(), maskRatio);
    } catch (IllegalArgumentException e) {
      throw usageError("--mask-ratio: " + e.getMessage());
    }
    ImagePreprocessor preprocessor = ImagePreprocessor.forGrid(grid);
    Map<String, float[]> maps = new LinkedHashMap<>();
    try (MaeScoreOracle oracle = scoring.oracle(weights)) {
      ProgressBar progress =
          ProgressBar.builder()
              .setTotal(folder.size())
              .setLabel("scoremaps")
              .setOut(errStream())
              .optItemsPerStep(1, "img")
              .build();
      for (int i = 0; i < folder.size(); i++) {
        ScoreMap map =
            oracle.scoreMap(preprocessor.preprocess(folder.path(i)), maskRatio, passes, seed);
        maps.put(folder.relativePath(i), map.meanRankQuantiles().scores());
        progress.update(i + 1, Map.of());
      }
      progress.finish();
    }
    ScoreMapStore.of(grid, maps).write(out);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("out", out.toString());
    summary.put("images", folder.size());
    summary.put("grid", new int[] {grid.rows(), grid.cols()});
    summary.put("mask_ratio", maskRatio);
    summary.put("passes", passes);
    summary.put("seed", seed);
    summary.put("removal", scoring.removal.cliName());
    summary.put("distance", scoring.distance.cliName());
    summary.put("bytes", Files.size(out));
    out().println(JSON.writeValueAsString(summary));
    out().flush();
    return 0;
  }
}
