package dev.ltrp.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import dev.ltrp.core.baseline.PixelVarianceRanker;
import dev.ltrp.core.image.ImagePreprocessor;
import dev.ltrp.core.image.ImageRenderer;
import dev.ltrp.core.metrics.PositionDependence;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.selection.TopKReducer;
import dev.ltrp.nd4j.DefaultModels;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.ranker.VitRanker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ltrp keep}: keeps the top {@code K = round(ratio · L)} patches of each image, as ranked by
 * a trained ranker ({@code --ranker}) or a baseline ({@code --baseline}), with {@link TopKReducer}.
 * For each image {@code IMG} it writes {@code OUT/<name>.kept.png} (the preprocessed image with the
 * dropped patches greyed) and {@code OUT/<name>.scores.png} (the scores as a heat map over the
 * image), where {@code <name>} is the file name without its extension, and prints one JSON object
 * per image on one line:
 *
 * <pre>{@code
 * {"image":"samples/chelsea.jpg","grid":[14,14],"kept":[57,71,...],"scores":[0.12,...]}
 * }</pre>
 *
 * <p>{@code image} is the path as given; {@code grid} is {@code [rows, cols]}; {@code kept} the
 * kept patches, most important first (row-major indices); {@code scores} the ranker's score of
 * every patch in row-major order (higher means keep first).
 *
 * <p>Which ranker: {@code --ranker FILE}, {@code --baseline NAME}, or, when neither is given, the
 * bundled default ranker ({@link DefaultModels}).
 *
 * <p>Not thread-safe: picocli creates one instance per command line and fills its fields.
 */
@Command(
    name = "keep",
    description = {
      "Keep the most important patches of images, as ranked by a trained ranker, a baseline, or"
          + " (by default) the bundled default ranker.",
      "Writes OUT/<name>.kept.png (dropped patches greyed) and OUT/<name>.scores.png (heat map)"
          + " per image; prints one JSON line per image: {\"image\":...,\"grid\":[rows,cols],"
          + "\"kept\":[...],\"scores\":[...]}.",
      "Without --ranker and --baseline the bundled default ranker is used (224x224 images,"
          + " 16-pixel patches; see ltrp-models' MODEL_CARD.md)."
    },
    sortOptions = false)
public final class KeepCommand extends LtrpSubcommand {

  /** Image side in pixels of a baseline's grid when neither --grid-size nor --mae is given. */
  static final int DEFAULT_GRID_SIZE = 224;

  /** Patch side in pixels of a baseline's grid when neither --patch-size nor --mae is given. */
  static final int DEFAULT_PATCH_SIZE = 16;

  /** Images preprocessed and ranked together (bounds memory for long lists). */
  private static final int CHUNK = 16;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      paramLabel = "IMG",
      arity = "1..*",
      description =
          "Image files, any size: resized on the shorter side and center-cropped to"
              + " the ranker's input size.")
  private List<String> images;

  @Option(
      names = "--ratio",
      paramLabel = "RATIO",
      required = true,
      description = "Fraction of the patches to keep, in (0, 1]; K = round(RATIO * patches).")
  private double ratio;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  private RankerChoice choice;

  /** The ranker: a trained model or a baseline; neither means the bundled default ranker. */
  static final class RankerChoice {
    @Option(
        names = "--ranker",
        paramLabel = "FILE",
        required = true,
        description =
            "Trained ranker (written by 'ltrp train'; architecture from its metadata"
                + " or .json sidecar).")
    private Path ranker;

    @Option(
        names = "--baseline",
        paramLabel = "NAME",
        required = true,
        converter = Converters.BaselineConverter.class,
        completionCandidates = Converters.BaselineNames.class,
        description =
            "Baseline ranker: ${COMPLETION-CANDIDATES} (oracle is slow; it scores with --mae, by"
                + " default the bundled MAE).")
    private Baseline baseline;
  }

  @Option(
      names = "--mae",
      paramLabel = "FILE",
      description =
          "MAE checkpoint, or 'default' for the bundled MAE (ltrp-models): the oracle of"
              + " --baseline oracle (default: the bundled MAE); for the other baselines it only"
              + " sets the grid.")
  private String mae;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "MAE architecture: base, large, huge or a JSON config file (default: inferred"
              + " from the checkpoint). Only with --mae.")
  private String arch;

  @Option(
      names = "--grid-size",
      paramLabel = "PX",
      description =
          "Baselines without --mae: side of the square input in pixels (default: "
              + DEFAULT_GRID_SIZE
              + ").")
  private Integer gridSize;

  @Option(
      names = "--patch-size",
      paramLabel = "PX",
      description =
          "Baselines without --mae: patch side in pixels (default: " + DEFAULT_PATCH_SIZE + ").")
  private Integer patchSize;

  @Option(
      names = "--hybrid",
      paramLabel = "RHO",
      description =
          "Keep floor(RHO * K) patches by score and the rest for diversity (DPC-KNN"
              + " clusters), RHO in [0, 1]; the paper uses 0.7. Default: plain top-K.")
  private Double hybrid;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description =
          "Seed of the hybrid's picks, the random baseline and the oracle's visible"
              + " sets (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Folder for the PNG files (created if missing).")
  private Path out;

  @Option(
      names = "--stats",
      description =
          "After the images, print one more line: {\"summary\":{\"images\":N,"
              + "\"position_spearman\":...,\"position_spearman_pixel_variance\":...}}, the mean"
              + " Spearman correlation between the score maps of different images (1: the same"
              + " order for every image, a ranker that ranks by position; near pixel variance's:"
              + " by content). Needs at least two images.")
  private boolean stats;

  /** The printed result of one image; Jackson writes the components in this order. */
  @JsonPropertyOrder({"image", "grid", "kept", "scores"})
  record Output(String image, int[] grid, int[] kept, float[] scores) {}

  @Override
  protected int run() throws IOException {
    // Everything checkable without the models first: loading a large checkpoint takes seconds.
    if (!(ratio > 0 && ratio <= 1)) {
      throw usageError("--ratio must be in (0, 1], got " + ratio);
    }
    if (hybrid != null && !(hybrid >= 0 && hybrid <= 1)) {
      throw usageError("--hybrid must be in [0, 1], got " + hybrid);
    }
    checkModelOptions();
    MaeConfig maeConfig = maeArchitecture("--arch", arch);
    if (choice != null && choice.ranker != null) {
      requireFile("--ranker", choice.ranker);
    }
    if (mae != null) {
      requireMae(mae, arch);
    }
    List<Path> files = new ArrayList<>(images.size());
    for (String image : images) {
      files.add(requireFile("IMG", Path.of(image)));
    }
    List<String> names = outputNames(files);
    if (stats && files.size() < 2) {
      throw usageError("--stats compares the score maps of different images: give at least 2");
    }
    Files.createDirectories(out);
    List<PatchScores> maps = new ArrayList<>();
    List<PatchScores> varianceMaps = new ArrayList<>();

    try (PatchRanker chosen = ranker(maeConfig)) {
      PatchGrid grid = chosen.grid();
      ImagePreprocessor preprocessor = ImagePreprocessor.forGrid(grid);
      TopKReducer.Builder builder = TopKReducer.builder(chosen).optSeed(seed);
      if (hybrid != null) {
        builder.optHybrid(hybrid);
      }
      TopKReducer reducer = builder.build();
      ImageRenderer renderer = ImageRenderer.defaults();
      // The reference of --stats: pixel variance on the same grid and inputs.
      PixelVarianceRanker variance = PixelVarianceRanker.of(grid, chosen.channels());
      for (int start = 0; start < files.size(); start += CHUNK) {
        int end = Math.min(files.size(), start + CHUNK);
        List<ImageTensor> inputs = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
          inputs.add(preprocessor.preprocess(files.get(i)));
        }
        List<Reduction> reductions = reducer.keepTopK(inputs, ratio);
        for (int i = start; i < end; i++) {
          ImageTensor input = inputs.get(i - start);
          Reduction reduction = reductions.get(i - start);
          float[] scores = reduction.scores().scores();
          ImageRenderer.writePng(
              renderer.renderKept(input, reduction), out.resolve(names.get(i) + ".kept.png"));
          ImageRenderer.writePng(
              renderer.heatMap(input, grid, scores), out.resolve(names.get(i) + ".scores.png"));
          Output output =
              new Output(
                  images.get(i),
                  new int[] {grid.rows(), grid.cols()},
                  reduction.keptRanked(),
                  scores);
          out().println(JSON.writeValueAsString(output));
          out().flush();
          if (stats) {
            maps.add(reduction.scores());
            varianceMaps.add(variance.rank(input));
          }
        }
      }
    }
    if (stats) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("images", maps.size());
      summary.put("position_spearman", PositionDependence.meanPairwiseSpearman(maps));
      summary.put(
          "position_spearman_pixel_variance",
          PositionDependence.meanPairwiseSpearman(varianceMaps));
      out().println(JSON.writeValueAsString(Map.of("summary", summary)));
      out().flush();
    }
    return 0;
  }

  /** Which options go together, before anything is loaded. */
  private void checkModelOptions() {
    boolean gridOptions = gridSize != null || patchSize != null;
    if (choice == null || choice.ranker != null) {
      if (mae != null || arch != null || gridOptions) {
        throw usageError(
            (mae != null
                    ? "--mae"
                    : arch != null ? "--arch" : gridSize != null ? "--grid-size" : "--patch-size")
                + " applies to --baseline only: a ranker ("
                + (choice == null ? "the default one" : "--ranker")
                + ") has its own grid");
      }
      return;
    }
    if (arch != null && mae == null) {
      throw usageError("--arch applies to --mae, which is not given");
    }
    if ((mae != null || choice.baseline.needsOracle()) && gridOptions) {
      throw usageError(
          (gridSize != null ? "--grid-size" : "--patch-size")
              + " conflicts with --mae"
              + (mae == null ? " (the oracle's MAE, by default the bundled one)" : "")
              + ", whose checkpoint sets the grid");
    }
  }

  /**
   * The ranker the options choose, with whatever it owns. The options were checked by {@link
   * #checkModelOptions} and the files exist.
   *
   * @param config {@code --arch}'s MAE architecture, or null
   */
  private PatchRanker ranker(MaeConfig config) throws IOException {
    if (choice == null) {
      return VitRanker.create(DefaultModels.ranker());
    }
    if (choice.ranker != null) {
      return VitRanker.create(RankerWeights.load(choice.ranker, null));
    }
    Baseline baseline = choice.baseline;
    // The oracle baseline scores with the bundled MAE unless told otherwise.
    String maeChoice = mae == null && baseline.needsOracle() ? DEFAULT_MAE : mae;
    if (maeChoice == null) {
      return baseline.create(baselineGrid(), seed, null);
    }
    if (!baseline.needsOracle() && config != null) {
      // The grid is all a non-oracle baseline takes from the MAE: no need to load its weights.
      return baseline.create(config.grid(), seed, null);
    }
    MaeWeights weights = loadMae(maeChoice, config);
    if (!baseline.needsOracle()) {
      return baseline.create(weights.config().grid(), seed, null);
    }
    MaeScoreOracle oracle = MaeScoreOracle.create(weights);
    return baseline.create(oracle.grid(), seed, oracle);
  }

  private PatchGrid baselineGrid() {
    int size = gridSize != null ? gridSize : DEFAULT_GRID_SIZE;
    int patch = patchSize != null ? patchSize : DEFAULT_PATCH_SIZE;
    if (size < 1 || patch < 1 || size % patch != 0) {
      throw usageError(
          "--grid-size " + size + " must be a positive multiple of --patch-size " + patch);
    }
    return PatchGrid.of(size, patch);
  }

  /**
   * Each image's output name, its file name without the extension.
   *
   * @throws picocli.CommandLine.ParameterException if two images would write the same files
   */
  private List<String> outputNames(List<Path> files) {
    List<String> names = new ArrayList<>(files.size());
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i).getFileName().toString();
      int dot = file.lastIndexOf('.');
      String name = dot > 0 ? file.substring(0, dot) : file;
      String earlier = first.putIfAbsent(name, images.get(i));
      if (earlier != null) {
        throw usageError(
            "IMG: "
                + earlier
                + " and "
                + images.get(i)
                + " would both write "
                + out.resolve(name + ".kept.png")
                + "; keep them in separate runs");
      }
      names.add(name);
    }
    return names;
  }
}
