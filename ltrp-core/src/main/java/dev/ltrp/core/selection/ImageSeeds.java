package dev.ltrp.core.selection;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.ltrp.api.ImageTensor;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Per-image random streams derived from a user seed and the image's content, so that a seeded
 * random choice about an image depends only on {@code (seed, image)}: the same image gives the same
 * choice on any thread, in any batch, in any order of calls, with no shared mutable random state.
 *
 * <p>The derived seed is Guava's {@link Hashing#farmHashFingerprint64() FarmHash fingerprint}
 * (stable across releases and JVMs) of the seed, the image shape and the raw bits of every value
 * ({@link Float#floatToIntBits}, so images that are {@link ImageTensor#equals equal} get the same
 * seed). Stateless and thread-safe.
 */
public final class ImageSeeds {

  private ImageSeeds() {}

  /** A 64-bit seed that depends only on {@code seed} and the content of {@code image}. */
  public static long derive(long seed, ImageTensor image) {
    Objects.requireNonNull(image, "image");
    Hasher hasher =
        Hashing.farmHashFingerprint64()
            .newHasher()
            .putLong(seed)
            .putInt(image.channels())
            .putInt(image.height())
            .putInt(image.width());
    for (float v : image.toArray()) {
      hasher.putInt(Float.floatToIntBits(v));
    }
    return hasher.hash().asLong();
  }

  /** A fresh random stream seeded with {@link #derive(long, ImageTensor)}; owned by the caller. */
  public static SplittableRandom random(long seed, ImageTensor image) {
    return new SplittableRandom(derive(seed, image));
  }
}
