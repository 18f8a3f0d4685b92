package dev.ltrp.nd4j.ranker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny-ranker fixture of {@code scripts/reference/ranker_reference.py}: a 32×32 ranker (patch
 * 4, 64 patches, 48 wide, 2 blocks, 3 heads) with perturbed random weights, two images, visible
 * sets of 16 patches, and PyTorch's float64 logits in full and asymmetric mode.
 */
public final class TinyRankerFixture {

  public static final String DIR = "fixtures/tiny-ranker/";

  public final RankerConfig config;
  public final List<ImageTensor> images = new ArrayList<>();
  public final int[][] visible;
  public final JsonNode expected;

  public TinyRankerFixture() {
    try {
      config = RankerConfig.readJson(Fixtures.path(DIR + "config.json"));
      expected = new ObjectMapper().readTree(Fixtures.readString(DIR + "expected.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < 2; i++) {
      images.add(ImageTensor.of(3, 32, 32, Fixtures.readF32(DIR + "image" + i + ".f32")));
    }
    JsonNode vis = expected.get("visible");
    visible = new int[vis.size()][];
    for (int i = 0; i < visible.length; i++) {
      visible[i] = new int[vis.get(i).size()];
      for (int j = 0; j < visible[i].length; j++) {
        visible[i][j] = vis.get(i).get(j).asInt();
      }
    }
  }

  public RankerWeights weights(String file) {
    try {
      return RankerWeights.load(path(file), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path path(String file) {
    return Fixtures.path(DIR + file);
  }
}
