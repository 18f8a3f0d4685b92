package dev.ltrp.core.data;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from one base seed, so that every random draw of a training
 * run is a pure function of {@code (seed, purpose, coordinates)} (for example the crop of item 3 of
 * step 120) and a resumed run repeats it exactly, whatever ran before.
 *
 * <p>The derivation is Guava's {@code Hashing.murmur3_128(0)} (MurmurHash3 x64 128-bit, seed 0)
 * over the little-endian bytes of
 *
 * <pre>
 *   seed (int64) · len(purposeUtf8) (int32) · purposeUtf8 · count (int32) · coordinates (int64 each)
 * </pre>
 *
 * <p>whose first 8 bytes, read little-endian ({@code HashCode.asLong()}), seed a {@link
 * SplittableRandom}. The length prefixes keep distinct inputs distinct (purpose {@code "ab"} with
 * no coordinate never collides with purpose {@code "a"}); the hash spreads neighbouring seeds and
 * steps over unrelated streams. Python reproduces the seed with {@code mmh3.hash128(bytes, 0, True)
 * & (2**64 - 1)} read as a signed int64.
 *
 * <pre>{@code
 * SplittableRandom crop = Seeds.random(0L, "crop", 120, 3);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Seeds {

  private static final HashFunction HASH = Hashing.murmur3_128(0);

  private Seeds() {}

  /**
   * The 64-bit seed derived from {@code seed}, {@code purpose} and {@code coordinates}, as the
   * class documentation specifies.
   *
   * @param purpose what the stream is for, for example {@code "crop"} or {@code "visible"}
   * @param coordinates where it is used, for example {@code (step, item)}; may be empty
   */
  public static long derive(long seed, String purpose, long... coordinates) {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(coordinates, "coordinates");
    byte[] utf8 = purpose.getBytes(StandardCharsets.UTF_8);
    Hasher h =
        HASH.newHasher()
            .putLong(seed)
            .putInt(utf8.length)
            .putBytes(utf8)
            .putInt(coordinates.length);
    for (long c : coordinates) {
      h.putLong(c);
    }
    return h.hash().asLong();
  }

  /**
   * A new generator seeded with {@link #derive(long, String, long...)}; each call returns a fresh
   * generator at the start of the same stream.
   */
  public static SplittableRandom random(long seed, String purpose, long... coordinates) {
    return new SplittableRandom(derive(seed, purpose, coordinates));
  }
}
