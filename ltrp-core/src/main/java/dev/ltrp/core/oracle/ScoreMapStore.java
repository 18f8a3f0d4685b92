package dev.ltrp.core.oracle;

import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.checkpoint.Checkpoint;
import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Precomputed oracle score maps of a set of images, for offline ranker training: one dense score
 * per patch for each image, keyed by the image's path relative to its folder. Stored as a
 * safetensors file (one {@code [L]} tensor per image, the grid in the metadata).
 *
 * <p>Immutable and thread-safe.
 */
public final class ScoreMapStore {

  static final String KIND_KEY = "ltrp.kind";
  static final String KIND = "score-maps/1";
  static final String GRID_KEY = "ltrp.grid";

  private final PatchGrid grid;
  private final Map<String, float[]> maps;

  private ScoreMapStore(PatchGrid grid, Map<String, float[]> maps) {
    this.grid = grid;
    this.maps = maps;
  }

  /** A store of {@code maps} (each of length {@code grid.numPatches()}), copied. */
  public static ScoreMapStore of(PatchGrid grid, Map<String, float[]> maps) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    maps.forEach(
        (name, scores) -> {
          PatchScores.dense(grid, scores); // validates the length and rejects NaN
          copy.put(name, scores.clone());
        });
    return new ScoreMapStore(grid, copy);
  }

  /** Writes the store atomically. */
  public void write(Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    maps.forEach((name, scores) -> tensors.put(name, Tensor.of(new int[] {scores.length}, scores)));
    String gridJson =
        "[" + grid.imageHeight() + "," + grid.imageWidth() + "," + grid.patchSize() + "]";
    Checkpoints.writeSafetensors(
        file, StateDict.of(tensors), DType.F32, Map.of(KIND_KEY, KIND, GRID_KEY, gridJson));
  }

  /**
   * Reads a store written by {@link #write}.
   *
   * @throws CheckpointFormatException if the file is not a score-map store
   */
  public static ScoreMapStore read(Path file) throws IOException {
    Checkpoint checkpoint = Checkpoints.load(file); // one read: metadata and maps
    Map<String, String> metadata = checkpoint.metadata();
    if (!KIND.equals(metadata.get(KIND_KEY)) || metadata.get(GRID_KEY) == null) {
      throw new CheckpointFormatException(
          file + " is not a score-map file (written by" + " 'ltrp scoremaps')");
    }
    String[] g = metadata.get(GRID_KEY).replaceAll("[\\[\\] ]", "").split(",");
    PatchGrid grid;
    try {
      grid = PatchGrid.of(Integer.parseInt(g[0]), Integer.parseInt(g[1]), Integer.parseInt(g[2]));
    } catch (RuntimeException e) {
      throw new CheckpointFormatException(file + ": bad grid " + metadata.get(GRID_KEY), e);
    }
    Map<String, float[]> maps = new LinkedHashMap<>();
    StateDict sd = checkpoint.tensors();
    for (String name : sd.names()) {
      Tensor t = sd.require(name, grid.numPatches());
      maps.put(name, t.toArray());
    }
    return new ScoreMapStore(grid, maps);
  }

  /** The grid of every map. */
  public PatchGrid grid() {
    return grid;
  }

  /** The image names. */
  public Set<String> names() {
    return maps.keySet();
  }

  /** Whether {@code name} has a map. */
  public boolean contains(String name) {
    return maps.containsKey(name);
  }

  /**
   * The dense map of image {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public PatchScores map(String name) {
    float[] scores = maps.get(name);
    if (scores == null) {
      throw new IllegalArgumentException("no score map for image " + name);
    }
    return PatchScores.dense(grid, scores);
  }

  /** The map of image {@code name} at the patches of {@code visible}, in their order. */
  public PatchScores at(String name, VisibleSet visible) {
    PatchScores map = map(name);
    float[] scores = new float[visible.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = map.score(visible.get(i));
    }
    return PatchScores.of(grid, visible.patches(), scores);
  }
}
