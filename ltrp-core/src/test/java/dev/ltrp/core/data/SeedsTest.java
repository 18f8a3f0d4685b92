package dev.ltrp.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {

  @Test
  void matchesTheDocumentedMurmurDerivation() {
    // Python: mmh3.hash128(pack('<q', 0) + pack('<i', 4) + b'crop' + pack('<i', 2)
    //         + pack('<q', 120) + pack('<q', 3), 0, True) & (2**64 - 1), as a signed int64.
    assertThat(Seeds.derive(0L, "crop", 120, 3)).isEqualTo(7410134897716750945L);
  }

  @Test
  void distinctInputsGiveDistinctStreams() {
    Set<Long> seeds = new HashSet<>();
    seeds.add(Seeds.derive(0L, "crop", 1, 2));
    seeds.add(Seeds.derive(0L, "crop", 2, 1));
    seeds.add(Seeds.derive(1L, "crop", 1, 2));
    seeds.add(Seeds.derive(0L, "visible", 1, 2));
    seeds.add(Seeds.derive(0L, "crop", 1));
    seeds.add(Seeds.derive(0L, "crop"));
    seeds.add(Seeds.derive(0L, "crop", 1, 2, 0));
    assertThat(seeds).hasSize(7);
    assertThat(Seeds.random(5L, "x", 9).nextLong()).isEqualTo(Seeds.random(5L, "x", 9).nextLong());
  }
}
