package dev.ltrp.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.Reduction;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.RankerWeights;
import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's keepTopK example, on a sample photo with a small random ranker. */
class KeepTopKTest {

  @Test
  void keepsAQuarterOfThePatches(@TempDir Path dir) throws IOException {
    Path ranker = dir.resolve("ranker.safetensors");
    RankerWeights.random(new RankerConfig(32, 4, 3, 48, 2, 3, 4.0), 1).save(ranker);
    Reduction kept = KeepTopK.keep(ranker, RepoFiles.root().resolve("samples/chelsea.jpg"), 0.25);
    assertThat(kept.keptCount()).isEqualTo(16);
    assertThat(kept.keptRanked()).doesNotHaveDuplicates();
    assertThat(kept.keptPatchPixels()).hasSize(16 * 4 * 4 * 3);
    // the first 11 = floor(0.7 · 16) are the ranker's best, in its order
    int[] best = kept.scores().topK(11);
    assertThat(java.util.Arrays.copyOf(kept.keptRanked(), 11)).containsExactly(best);
  }
}
