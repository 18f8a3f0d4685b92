package dev.ltrp.core.image;

import static dev.ltrp.core.image.TestImages.pixels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRendererTest {

  private static final PatchGrid GRID = PatchGrid.of(32, 8); // 4 x 4 patches

  private static ImageTensor normalized(BufferedImage image) {
    return ImagePreprocessor.builder()
        .setImageSize(image.getHeight(), image.getWidth())
        .build()
        .normalize(image);
  }

  @Test
  void renderInvertsNormalizationExactly() {
    BufferedImage image = TestImages.random(32, 24, 9);
    BufferedImage rendered = ImageRenderer.defaults().render(normalized(image));
    assertThat(rendered.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(pixels(rendered)).isEqualTo(pixels(image));
  }

  @Test
  void renderClampsOutOfRangeValues() {
    float[] chw = {100f, -100f, 0f};
    BufferedImage rendered = ImageRenderer.defaults().render(ImageTensor.of(3, 1, 1, chw));
    // Red saturates, green clips at 0, blue at 0 normalized is the ImageNet mean 0.406 * 255.
    assertThat(rendered.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000 | Math.round(0.406f * 255f));
  }

  @Test
  void renderKeptGreysOutDroppedPatches() {
    BufferedImage image = TestImages.gradient(32, 32);
    ImageTensor tensor = normalized(image);
    boolean[] keep = new boolean[16];
    keep[0] = true;
    keep[5] = true;
    BufferedImage out = ImageRenderer.defaults().renderKept(tensor, GRID, keep);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int original = image.getRGB(x, y) & 0xFFFFFF;
        int actual = out.getRGB(x, y) & 0xFFFFFF;
        if (keep[GRID.index(y / 8, x / 8)]) {
          assertThat(actual).isEqualTo(original);
        } else {
          assertThat(TestImages.red(actual))
              .isEqualTo(Math.round(TestImages.red(original) * 0.25f + 128 * 0.75f));
          assertThat(TestImages.blue(actual))
              .isEqualTo(Math.round(TestImages.blue(original) * 0.25f + 128 * 0.75f));
        }
      }
    }
  }

  @Test
  void renderKeptFromAReductionAndWithGridLines() {
    BufferedImage image = TestImages.random(32, 32, 12);
    ImageTensor tensor = normalized(image);
    float[] scores = new float[16];
    for (int i = 0; i < 16; i++) {
      scores[i] = i;
    }
    Reduction reduction = Reduction.of(tensor, PatchScores.dense(GRID, scores), new int[] {15, 3});
    ImageRenderer renderer =
        ImageRenderer.builder()
            .optGridLines(true)
            .optGridColor(Color.RED)
            .optDroppedBlend(1f)
            .optDroppedColor(Color.BLACK)
            .build();
    BufferedImage out = renderer.renderKept(tensor, reduction);
    assertThat(out.getRGB(8, 3) & 0xFFFFFF).isEqualTo(0xFF0000); // vertical line at x = 8
    assertThat(out.getRGB(3, 16) & 0xFFFFFF).isEqualTo(0xFF0000); // horizontal line at y = 16
    assertThat(out.getRGB(3, 3) & 0xFFFFFF).isEqualTo(0); // patch 0 dropped, painted black
    assertThat(out.getRGB(30, 3)).isEqualTo(image.getRGB(30, 3)); // patch 3 kept
    assertThat(out.getRGB(30, 30)).isEqualTo(image.getRGB(30, 30)); // patch 15 kept
  }

  @Test
  void renderKeptChecksTheMask() {
    ImageTensor tensor = normalized(TestImages.random(32, 32, 1));
    assertThatThrownBy(() -> ImageRenderer.defaults().renderKept(tensor, GRID, new boolean[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15");
  }

  @Test
  void heatMapUsesViridisWithMinMaxScaling() {
    float[] scores = new float[16];
    for (int i = 0; i < 16; i++) {
      scores[i] = 10f + i * 0.5f;
    }
    BufferedImage map = ImageRenderer.defaults().heatMap(GRID, scores);
    assertThat(map.getWidth()).isEqualTo(32);
    assertThat(map.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x440154); // lowest: viridis(0)
    assertThat(map.getRGB(31, 31) & 0xFFFFFF).isEqualTo(0xFDE725); // highest: viridis(1)
    assertThat(map.getRGB(7, 7)).isEqualTo(map.getRGB(0, 0)); // uniform blocks
    assertThat(map.getRGB(8, 0)).isNotEqualTo(map.getRGB(0, 0));
    BufferedImage flat = ImageRenderer.defaults().heatMap(GRID, new float[16]);
    assertThat(pixels(flat)).containsOnly(Viridis.color(0.5f));
  }

  @Test
  void heatMapOverAnImage() {
    ImageTensor tensor = normalized(TestImages.random(32, 32, 2));
    float[] scores = new float[16];
    scores[5] = 1f;
    BufferedImage opaque =
        ImageRenderer.builder().optHeatMapOpacity(1f).build().heatMap(tensor, GRID, scores);
    assertThat(pixels(opaque)).isEqualTo(pixels(ImageRenderer.defaults().heatMap(GRID, scores)));
    BufferedImage invisible =
        ImageRenderer.builder().optHeatMapOpacity(0f).build().heatMap(tensor, GRID, scores);
    assertThat(pixels(invisible)).isEqualTo(pixels(ImageRenderer.defaults().render(tensor)));
  }

  @Test
  void heatMapRejectsBadScores() {
    float[] scores = new float[16];
    scores[7] = Float.NaN;
    assertThatThrownBy(() -> ImageRenderer.defaults().heatMap(GRID, scores))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("patch 7");
    assertThatThrownBy(() -> ImageRenderer.defaults().heatMap(GRID, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16");
    assertThatThrownBy(() -> ImageRenderer.builder().optDroppedBlend(1.5f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
  }

  @Test
  void writePngIsAtomicAndReadable(@TempDir Path dir) throws IOException {
    BufferedImage image = TestImages.checkerboard(20, 10, 3);
    Path file = dir.resolve("out.png");
    ImageRenderer.writePng(TestImages.random(5, 5, 1), file);
    ImageRenderer.writePng(image, file); // replaces the existing file
    assertThat(pixels(ImageIO.read(file.toFile()))).isEqualTo(pixels(image));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
    assertThatThrownBy(() -> ImageRenderer.writePng(image, dir.resolve("missing/out.png")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void renderersCompareByValue() {
    assertThat(ImageRenderer.builder().build()).isEqualTo(ImageRenderer.defaults());
    assertThat(ImageRenderer.builder().optGridLines(true).build())
        .isNotEqualTo(ImageRenderer.defaults());
    assertThat(ImageRenderer.defaults().toString()).contains("0.75");
  }
}
