package dev.ltrp.eval;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.image.Patchify;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.nd4j.oracle.MaeScoreOracle;
import dev.ltrp.nd4j.oracle.OracleResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How much a MAE teacher has learned: its mean squared reconstruction error over the masked
 * patches, beside a trivial predictor that copies each masked patch from its nearest visible patch
 * (grid distance; ties to the lowest index). A teacher that does not beat the trivial predictor
 * cannot tell which visible patch its reconstruction depends on, so its oracle scores are noise.
 *
 * <p>Both errors are in the model's reconstruction space (normalized pixels), per pixel, averaged
 * over masked pixels of all images. Each image {@code i} gets its own visible set, {@link
 * VisibleSet#random(PatchGrid, double, long) VisibleSet.random(grid, maskRatio, seed + i)}, so two
 * teachers measured with the same arguments see the same masks. Stateless and thread-safe.
 */
public final class TeacherQuality {

  private TeacherQuality() {}

  /**
   * The two errors of one teacher on a set of images.
   *
   * @param reconstructionError the MAE's mean squared error on masked pixels
   * @param nearestVisibleError the nearest-visible copy's mean squared error on the same pixels
   * @param images how many images were measured
   */
  public record Result(double reconstructionError, double nearestVisibleError, int images) {

    /** The teacher's error as a fraction of the trivial predictor's (below 1 = it learned). */
    public double ratio() {
      return reconstructionError / nearestVisibleError;
    }
  }

  /**
   * Measures {@code oracle}'s MAE on {@code images}.
   *
   * @param maskRatio the fraction of patches masked, in {@code (0, 1)}
   * @param seed the seed of the first image's visible set
   * @throws IllegalArgumentException if {@code images} is empty or an image does not fit
   */
  public static Result measure(
      MaeScoreOracle oracle, List<ImageTensor> images, double maskRatio, long seed) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to measure the teacher on");
    }
    PatchGrid grid = oracle.grid();
    int dim = grid.patchSize() * grid.patchSize() * oracle.channels();
    double mae = 0;
    double copy = 0;
    long pixels = 0;
    for (int start = 0; start < images.size(); start += 64) {
      List<ImageTensor> chunk = images.subList(start, Math.min(images.size(), start + 64));
      List<VisibleSet> sets = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        sets.add(VisibleSet.random(grid, maskRatio, seed + start + i));
      }
      List<OracleResult> results = oracle.scoreBatchWithReconstruction(chunk, sets);
      for (int i = 0; i < chunk.size(); i++) {
        float[] target = Patchify.patchify(chunk.get(i), grid);
        float[] predicted = results.get(i).anchorPatches();
        VisibleSet visible = sets.get(i);
        for (int p = 0; p < grid.numPatches(); p++) {
          if (visible.contains(p)) {
            continue;
          }
          int nearest = nearestVisible(grid, visible, p);
          for (int d = 0; d < dim; d++) {
            double t = target[p * dim + d];
            double e = predicted[p * dim + d] - t;
            double c = target[nearest * dim + d] - t;
            mae += e * e;
            copy += c * c;
          }
          pixels += dim;
        }
      }
    }
    return new Result(mae / pixels, copy / pixels, images.size());
  }

  /** The visible patch closest to {@code patch} on the grid (Euclidean; ties: lowest index). */
  static int nearestVisible(PatchGrid grid, VisibleSet visible, int patch) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int j = 0; j < visible.size(); j++) {
      int v = visible.get(j);
      double d = Math.hypot(grid.row(v) - grid.row(patch), grid.col(v) - grid.col(patch));
      if (d < bestDistance) {
        bestDistance = d;
        best = v;
      }
    }
    return best;
  }

  /**
   * Prints one JSON line per MAE file: {@code java -cp ... dev.ltrp.eval.TeacherQuality
   * IMAGES.idx.gz LABELS.idx.gz COUNT MASK_RATIO MAE.safetensors...} (Fashion-MNIST normalization).
   * The teacher-quality curve of docs/RESULTS.md comes from this, run on the validation split.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 5) {
      System.err.println("usage: TeacherQuality IMAGES LABELS COUNT MASK_RATIO MAE...");
      System.exit(2);
    }
    int count = Integer.parseInt(args[2]);
    double maskRatio = Double.parseDouble(args[3]);
    for (int a = 4; a < args.length; a++) {
      MaeWeights weights = MaeWeights.load(Path.of(args[a]), null);
      PatchGrid grid = weights.config().grid();
      IdxImages set =
          IdxImages.read(
                  Path.of(args[0]),
                  Path.of(args[1]),
                  grid,
                  weights.config().inChans(),
                  IdxImages.fashionMnistNormalization(1),
                  null)
              .limit(count);
      List<ImageTensor> images = new ArrayList<>(set.size());
      for (int i = 0; i < set.size(); i++) {
        images.add(set.image(i));
      }
      try (MaeScoreOracle oracle = MaeScoreOracle.create(weights)) {
        Result r = measure(oracle, Collections.unmodifiableList(images), maskRatio, 1L << 32);
        System.out.printf(
            Locale.ROOT,
            "{\"mae\":\"%s\",\"images\":%d,\"mask_ratio\":%.2f,\"recon_error\":%.5f,"
                + "\"nearest_visible_error\":%.5f,\"ratio\":%.4f}%n",
            args[a],
            r.images(),
            maskRatio,
            r.reconstructionError(),
            r.nearestVisibleError(),
            r.ratio());
      }
    }
  }
}
