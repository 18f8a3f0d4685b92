package dev.ltrp.core.selection;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.api.PatchRanker;
import dev.ltrp.api.PatchScores;
import dev.ltrp.api.Reduction;
import dev.ltrp.api.RedundancyReducer;
import dev.ltrp.core.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RedundancyReducer} that scores every patch with a {@link PatchRanker} and keeps the top
 * {@code K = }{@link RedundancyReducer#keepCount(int, double) keepCount(L, ratio)}: plainly by
 * score (the default), or with the paper's hybrid of score and DPC-KNN diversity ({@link
 * PatchSelection#hybrid(ImageTensor, PatchScores, int, double, java.util.SplittableRandom)}).
 *
 * <pre>{@code
 * TopKReducer reducer = TopKReducer.builder(ranker).optHybrid(0.7).optSeed(42L).build();
 * Reduction reduction = reducer.keepTopK(image, 0.25);
 * }</pre>
 *
 * <p>Randomness: the hybrid's random cluster members come from a fresh {@link
 * java.util.SplittableRandom} per image, seeded with {@link ImageSeeds#derive(long, ImageTensor)
 * ImageSeeds.derive(seed, image)}; no random state is shared between calls. The result for an image
 * is therefore a function of (ranker scores, seed, image): the same on every thread, alone or in a
 * batch. The default seed is {@value #DEFAULT_SEED}.
 *
 * <p>Ownership: by default the reducer borrows its ranker, and closing the reducer leaves the
 * ranker open (closing the ranker remains its creator's job); built with {@link
 * Builder#optCloseRanker(boolean) optCloseRanker(true)} it owns the ranker and {@link #close()}
 * closes it. Immutable apart from that; safe for concurrent calls when the ranker is.
 */
public final class TopKReducer implements RedundancyReducer {

  /** The seed used unless {@link Builder#optSeed(long)} sets another. */
  public static final long DEFAULT_SEED = 0L;

  private final PatchRanker ranker;
  private final double hybridRatio;
  private final long seed;
  private final boolean ownsRanker;
  private final ImagePreprocessor preprocessor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TopKReducer(Builder builder) {
    this.ranker = builder.ranker;
    this.hybridRatio = builder.hybridRatio;
    this.seed = builder.seed;
    this.ownsRanker = builder.closeRanker;
    this.preprocessor =
        builder.preprocessor != null
            ? builder.preprocessor
            : ranker.channels() == 3 ? ImagePreprocessor.forGrid(ranker.grid()) : null;
  }

  /** A builder over {@code ranker}; by default plain top-K with seed {@value #DEFAULT_SEED}. */
  public static Builder builder(PatchRanker ranker) {
    return new Builder(ranker);
  }

  /** Plain top-K by {@code ranker}'s scores. */
  public static TopKReducer of(PatchRanker ranker) {
    return builder(ranker).build();
  }

  @Override
  public PatchGrid grid() {
    return ranker.grid();
  }

  @Override
  public int channels() {
    return ranker.channels();
  }

  /** The ranker that scores the patches. */
  public PatchRanker ranker() {
    return ranker;
  }

  /** The hybrid's fraction {@code ρ} of patches kept by score, or empty for plain top-K. */
  public OptionalDouble hybridRatio() {
    return Double.isNaN(hybridRatio) ? OptionalDouble.empty() : OptionalDouble.of(hybridRatio);
  }

  /** The seed of the hybrid's random picks (unused by plain top-K). */
  public long seed() {
    return seed;
  }

  /**
   * Keeps {@code K = keepCount(L, ratio)} patches of {@code image}.
   *
   * @return the reduction, with the ranker's scores and the kept patches in rank order (for the
   *     hybrid: the score picks first, then the diversity picks)
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or the image does
   *     not fit {@link #grid()} and {@link #channels()}
   * @throws IllegalStateException if the ranker breaks its contract (scores not dense on its grid)
   */
  @Override
  public Reduction keepTopK(ImageTensor image, double ratio) {
    Objects.requireNonNull(image, "image");
    int k = RedundancyReducer.keepCount(grid().numPatches(), ratio);
    image.checkShape(channels(), grid());
    return reduce(image, checkScores(ranker.rank(image)), k);
  }

  /**
   * Keeps {@code K = keepCount(L, ratio)} patches of each image, scoring them with one {@link
   * PatchRanker#rankBatch} call. Each result equals {@link #keepTopK(ImageTensor, double)} of its
   * image.
   *
   * @return one reduction per image, in order
   * @throws IllegalArgumentException if {@code ratio} is outside {@code (0, 1]} or an image does
   *     not fit (the message names its position)
   * @throws IllegalStateException if the ranker breaks its contract
   */
  @Override
  public List<Reduction> keepTopK(List<ImageTensor> images, double ratio) {
    Objects.requireNonNull(images, "images");
    int k = RedundancyReducer.keepCount(grid().numPatches(), ratio);
    for (int i = 0; i < images.size(); i++) {
      ImageTensor image = Objects.requireNonNull(images.get(i), "images[" + i + "]");
      try {
        image.checkShape(channels(), grid());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("images[" + i + "]: " + e.getMessage(), e);
      }
    }
    if (images.isEmpty()) {
      return List.of();
    }
    List<PatchScores> scores = ranker.rankBatch(images);
    if (scores.size() != images.size()) {
      throw new IllegalStateException(
          "ranker "
              + ranker
              + " returned "
              + scores.size()
              + " score lists for "
              + images.size()
              + " images");
    }
    List<Reduction> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(reduce(images.get(i), checkScores(scores.get(i)), k));
    }
    return List.copyOf(out);
  }

  /**
   * Resizes, crops and normalizes {@code image} with this reducer's {@link ImagePreprocessor}
   * ({@link ImagePreprocessor#forGrid(PatchGrid)} for an RGB ranker unless the builder set
   * another).
   *
   * @throws UnsupportedOperationException if the ranker is not RGB and no preprocessor was set
   */
  @Override
  public ImageTensor preprocess(BufferedImage image) {
    return preprocessor().preprocess(image);
  }

  /**
   * Reads {@code file} with the preprocessor's image loader (EXIF orientation, colour models, size
   * limits) and preprocesses it.
   */
  @Override
  public ImageTensor preprocess(Path file) throws IOException {
    return preprocessor().preprocess(file);
  }

  private ImagePreprocessor preprocessor() {
    if (preprocessor == null) {
      throw new UnsupportedOperationException(
          "ranker "
              + ranker
              + " takes "
              + ranker.channels()
              + "-channel images: set TopKReducer.builder(ranker).optPreprocessor(...) to preprocess"
              + " image files, or pass ImageTensors");
    }
    return preprocessor;
  }

  /** Closes the ranker if this reducer owns it ({@link Builder#optCloseRanker}); idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsRanker) {
      ranker.close();
    }
  }

  private Reduction reduce(ImageTensor image, PatchScores scores, int k) {
    int[] kept =
        Double.isNaN(hybridRatio)
            ? PatchSelection.topK(scores, k)
            : PatchSelection.hybrid(image, scores, k, hybridRatio, ImageSeeds.random(seed, image));
    return Reduction.of(image, scores, kept);
  }

  private PatchScores checkScores(PatchScores scores) {
    if (scores == null || !scores.isDense() || !scores.grid().equals(grid())) {
      throw new IllegalStateException(
          "ranker " + ranker + " must return dense scores on " + grid() + ", got " + scores);
    }
    return scores;
  }

  @Override
  public String toString() {
    return "TopKReducer["
        + ranker
        + (Double.isNaN(hybridRatio) ? ", plain" : ", hybrid rho=" + hybridRatio + ", seed=" + seed)
        + "]";
  }

  /** Settings of a {@link TopKReducer}. Not thread-safe; {@link #build()} copies them. */
  public static final class Builder {

    private final PatchRanker ranker;
    private double hybridRatio = Double.NaN;
    private long seed = DEFAULT_SEED;
    private boolean closeRanker;
    private ImagePreprocessor preprocessor;

    private Builder(PatchRanker ranker) {
      this.ranker = Objects.requireNonNull(ranker, "ranker");
    }

    /**
     * Uses the hybrid selection, keeping {@code floor(rho · K)} patches by score and the rest for
     * diversity (reference {@code ltrp_cluster}: 0.7). {@code rho = 1} is plain top-K.
     *
     * @throws IllegalArgumentException if {@code rho} is outside {@code [0, 1]} or NaN
     */
    public Builder optHybrid(double rho) {
      PatchSelection.checkRho(rho);
      this.hybridRatio = rho;
      return this;
    }

    /** The seed of the hybrid's random picks; default {@value TopKReducer#DEFAULT_SEED}. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether the reducer owns the ranker and closes it in {@link TopKReducer#close()}; default
     * false (the reducer borrows it).
     */
    public Builder optCloseRanker(boolean closeRanker) {
      this.closeRanker = closeRanker;
      return this;
    }

    /**
     * How {@link TopKReducer#preprocess(BufferedImage)} and the {@code keepTopK(Path |
     * BufferedImage, ratio)} overloads turn an image into the ranker's input; default {@link
     * ImagePreprocessor#forGrid(PatchGrid)} for an RGB ranker (ImageNet normalization, as the
     * bundled and reference models expect).
     */
    public Builder optPreprocessor(ImagePreprocessor preprocessor) {
      this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
      return this;
    }

    /** A reducer with these settings. */
    public TopKReducer build() {
      return new TopKReducer(this);
    }
  }
}
