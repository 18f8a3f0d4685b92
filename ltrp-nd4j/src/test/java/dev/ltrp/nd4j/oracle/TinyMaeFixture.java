package dev.ltrp.nd4j.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.VisibleSet;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny-MAE parity fixture written by {@code scripts/reference/mae_reference.py fixtures}: a
 * 32×32 MAE (patch 4, 8×8 grid, encoder 48 wide × 2 blocks × 3 heads, decoder 32 × 2 × 4) with
 * perturbed random weights, three images, their visible sets (16, 16 and 6 patches), and the
 * PyTorch reference's anchors and scores computed in float64.
 */
final class TinyMaeFixture {

  static final String DIR = "fixtures/tiny-mae/";

  final MaeConfig config;
  final List<ImageTensor> images = new ArrayList<>();
  final List<VisibleSet> visibleSets = new ArrayList<>();
  final JsonNode expected;

  TinyMaeFixture() {
    try {
      config = MaeConfig.readJson(Fixtures.path(DIR + "config.json"));
      expected = new ObjectMapper().readTree(Fixtures.readString(DIR + "expected.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PatchGrid grid = config.grid();
    for (int i = 0; i < 3; i++) {
      images.add(
          ImageTensor.of(
              3, config.imgSize(), config.imgSize(), Fixtures.readF32(DIR + "image" + i + ".f32")));
      JsonNode vis = expected.get("visible").get(i);
      int[] patches = new int[vis.size()];
      for (int j = 0; j < patches.length; j++) {
        patches[j] = vis.get(j).asInt();
      }
      visibleSets.add(VisibleSet.of(grid, patches));
    }
  }

  MaeWeights weights(String file) {
    try {
      return MaeWeights.load(path(file), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String file) {
    return Fixtures.path(DIR + file);
  }

  /** Expected float64 scores of image {@code i} under removal mode {@code cliName}. */
  float[] expectedScores(String cliName, int i) {
    JsonNode node = expected.get("modes").get(cliName).get(i);
    float[] out = new float[node.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) node.get(j).asDouble();
    }
    return out;
  }

  float[] expectedAnchor(int i) {
    return Fixtures.readF32(DIR + "anchor" + i + ".f32");
  }
}
