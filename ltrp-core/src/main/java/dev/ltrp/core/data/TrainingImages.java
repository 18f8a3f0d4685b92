package dev.ltrp.core.data;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.image.ImageLoader;
import dev.ltrp.core.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

/**
 * The images of a folder as model inputs: augmented for training (random resized crop and flip,
 * then normalization) or plain for validation ({@link ImagePreprocessor}, no randomness).
 *
 * <p>Decoded images are kept in a cache bounded by their pixel bytes (default 512 MB), because a
 * small folder of large photos is otherwise decoded again at every step; the cache holds decoded
 * originals, never augmented crops, so results do not depend on it. Photos whose shorter side
 * exceeds twice the model's input size are first shrunk (bicubic, antialiased) to that: resizing a
 * 5-megapixel crop to 224 pixels at every step otherwise costs more than the model, and a crop of
 * the shrunk photo differs from a crop of the original only by resampling.
 *
 * <p>Thread-safe.
 */
public final class TrainingImages implements ImageSource {

  private final ImageFolder folder;
  private final PatchGrid grid;
  private final RandomResizedCrop crop;
  private final ImagePreprocessor preprocessor;
  private final ImageLoader loader;
  private final Cache<Integer, BufferedImage> decoded;
  private final long cacheBytesLimit;

  private TrainingImages(Builder b) {
    this.folder = b.folder;
    this.grid = b.grid;
    this.crop =
        b.crop != null
            ? b.crop
            : RandomResizedCrop.builder()
                .setSize(b.grid.imageHeight(), b.grid.imageWidth())
                .build();
    this.loader = b.loader;
    this.preprocessor =
        ImagePreprocessor.builder().setImageSize(b.grid).optLoader(b.loader).build();
    this.cacheBytesLimit = b.cacheBytes;
    this.decoded =
        CacheBuilder.newBuilder()
            .maximumWeight(b.cacheBytes)
            .weigher((Integer k, BufferedImage v) -> 4 * v.getWidth() * v.getHeight())
            .build();
  }

  /** A builder over {@code folder} for a model of {@code grid}. */
  public static Builder builder(ImageFolder folder, PatchGrid grid) {
    return new Builder(folder, grid);
  }

  /** The folder. */
  public ImageFolder folder() {
    return folder;
  }

  @Override
  public PatchGrid grid() {
    return grid;
  }

  /** Always 3: photos are decoded to RGB. */
  @Override
  public int channels() {
    return 3;
  }

  @Override
  public int size() {
    return folder.size();
  }

  /** The image's path relative to the folder. */
  @Override
  public String name(int index) {
    return folder.relativePath(index);
  }

  /** The images at {@code indices}, in ascending index order, sharing this cache's settings. */
  @Override
  public TrainingImages subset(int... indices) {
    Builder b = new Builder(folder.subset(indices), grid);
    b.crop = crop;
    b.loader = loader;
    b.cacheBytes = cacheBytesLimit;
    return b.build();
  }

  /**
   * Image {@code index}, randomly cropped, resized, maybe flipped (draws from {@code random}), and
   * normalized.
   *
   * @throws IOException if the file cannot be decoded (the message names it)
   */
  @Override
  public ImageTensor augmented(int index, SplittableRandom random) throws IOException {
    return preprocessor.normalize(crop.apply(decode(index), random));
  }

  /** Image {@code index} resized and center-cropped to the model's size, normalized. */
  @Override
  public ImageTensor image(int index) throws IOException {
    return preprocessor.preprocess(decode(index));
  }

  private BufferedImage decode(int index) throws IOException {
    Objects.checkIndex(index, folder.size());
    try {
      return decoded.get(index, () -> shrink(loader.read(folder.path(index))));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new UncheckedIOException(new IOException(e.getCause()));
    }
  }

  private BufferedImage shrink(BufferedImage image) {
    int limit = 2 * Math.max(grid.imageHeight(), grid.imageWidth());
    int shorter = Math.min(image.getWidth(), image.getHeight());
    if (shorter <= limit) {
      return image;
    }
    double scale = limit / (double) shorter;
    return dev.ltrp.core.image.BicubicResampler.resize(
        image,
        Math.max(1, (int) Math.round(image.getWidth() * scale)),
        Math.max(1, (int) Math.round(image.getHeight() * scale)));
  }

  /** Builds {@link TrainingImages}. Not thread-safe. */
  public static final class Builder {
    private final ImageFolder folder;
    private final PatchGrid grid;
    private RandomResizedCrop crop;
    private ImageLoader loader = ImageLoader.defaults();
    private long cacheBytes = 512L << 20;

    private Builder(ImageFolder folder, PatchGrid grid) {
      this.folder = Objects.requireNonNull(folder, "folder");
      this.grid = Objects.requireNonNull(grid, "grid");
    }

    /** The training augmentation; default {@link RandomResizedCrop} of the model's size. */
    public Builder optCrop(RandomResizedCrop crop) {
      this.crop = Objects.requireNonNull(crop, "crop");
      return this;
    }

    /** The decoder (pixel limits, EXIF handling). */
    public Builder optLoader(ImageLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** Bytes of decoded images to keep (4 per pixel); 0 disables the cache. */
    public Builder optCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("cache bytes must not be negative, got " + bytes);
      }
      this.cacheBytes = bytes;
      return this;
    }

    public TrainingImages build() {
      return new TrainingImages(this);
    }
  }
}
