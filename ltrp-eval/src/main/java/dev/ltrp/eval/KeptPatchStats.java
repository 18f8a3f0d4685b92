package dev.ltrp.eval;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.selection.PatchSubsets;
import dev.ltrp.eval.downstream.ScoreFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a selection keeps: the share of empty background among kept patches and how far apart the
 * kept patches lie. Stateless and thread-safe.
 */
public final class KeptPatchStats {

  private KeptPatchStats() {}

  /** The share of kept patches whose pixels are all at the image's minimum (empty background). */
  public static double backgroundShare(List<ImageTensor> images, List<int[]> kept, PatchGrid grid) {
    int dim = grid.patchSize() * grid.patchSize() * images.get(0).channels();
    float[] patch = new float[dim];
    long empty = 0;
    long total = 0;
    for (int i = 0; i < images.size(); i++) {
      float[] pixels = images.get(i).toArray();
      float min = Float.POSITIVE_INFINITY;
      for (float v : pixels) {
        min = Math.min(min, v);
      }
      for (int p : kept.get(i)) {
        images.get(i).patchVector(grid, p, patch, 0);
        boolean allMin = true;
        for (float v : patch) {
          allMin &= v <= min + 1e-6f;
        }
        empty += allMin ? 1 : 0;
        total++;
      }
    }
    return empty / (double) total;
  }

  /** Mean distance between two kept patches of an image, in patch widths. */
  public static double spread(List<int[]> kept, PatchGrid grid) {
    double sum = 0;
    long pairs = 0;
    for (int[] chosen : kept) {
      for (int a = 0; a < chosen.length; a++) {
        for (int b = a + 1; b < chosen.length; b++) {
          sum +=
              Math.hypot(
                  grid.row(chosen[a]) - grid.row(chosen[b]),
                  grid.col(chosen[a]) - grid.col(chosen[b]));
          pairs++;
        }
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  /**
   * Prints, as one JSON line, the background share and spread of the top {@code RATIO} of stored
   * maps and of uniform random picks on the same images: {@code KeptPatchStats IMAGES.idx.gz FROM
   * MAPS.bin RATIO} (maps of images FROM, FROM+1, …, Fashion-MNIST normalization).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: KeptPatchStats IMAGES FROM MAPS.bin RATIO");
      System.exit(2);
    }
    int from = Integer.parseInt(args[1]);
    // Fashion-MNIST's 28x28 images, cut into as many patches as the maps have.
    int side = (int) Math.round(Math.sqrt(ScoreFile.patchCount(Path.of(args[2]))));
    PatchGrid grid = PatchGrid.of(28, 28 / side);
    List<PatchScores> maps = ScoreFile.read(Path.of(args[2]), grid);
    double ratio = Double.parseDouble(args[3]);
    IdxImages set =
        IdxImages.read(
            Path.of(args[0]), null, grid, 1, IdxImages.fashionMnistNormalization(1), null);
    int n = grid.numPatches();
    int k = dev.ltrp.api.RedundancyReducer.keepCount(n, ratio);
    List<ImageTensor> images = new ArrayList<>();
    List<int[]> top = new ArrayList<>();
    List<int[]> random = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(0);
    for (int i = 0; i < maps.size(); i++) {
      images.add(set.image(from + i));
      top.add(maps.get(i).topK(k));
      random.add(PatchSubsets.random(n, k, r));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"images\":%d,\"k\":%d,\"background\":%.4f,"
            + "\"random_background\":%.4f,\"spread\":%.3f,\"random_spread\":%.3f}%n",
        images.size(),
        k,
        backgroundShare(images, top, grid),
        backgroundShare(images, random, grid),
        spread(top, grid),
        spread(random, grid));
  }
}
