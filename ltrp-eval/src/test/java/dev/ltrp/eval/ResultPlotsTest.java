package dev.ltrp.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ResultPlots}: a readable PNG, replaced atomically, in a folder it creates. */
class ResultPlotsTest {

  @Test
  void writesAndReplacesThePlot(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("plots/accuracy.png");
    Map<String, Map<String, List<Double>>> accuracy =
        Map.of("ltrp", Map.of("0.25", List.of(0.70, 0.72), "1.00", List.of(0.90, 0.91)));

    ResultPlots.accuracy("first", accuracy, file);
    ResultPlots.accuracy("second", accuracy, file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(760);
    assertThat(image.getHeight()).isEqualTo(480);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }
}
