package dev.ltrp.api;

import java.util.Arrays;

/**
 * Per-channel normalization {@code (value - mean[c]) / std[c]} applied to pixel values in {@code
 * [0, 1]}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Normalization {

  /** ImageNet statistics for RGB, used by the MAE and the LTRP ranker. */
  public static final Normalization IMAGENET =
      new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  private final float[] mean;
  private final float[] std;

  private Normalization(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Creates a normalization with one mean and one standard deviation per channel.
   *
   * @throws IllegalArgumentException if the lengths differ or are zero, or a std is not positive
   */
  public static Normalization of(float[] mean, float[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean and std need one value per channel, got " + mean.length + " and " + std.length);
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "channel " + c + " has mean " + mean[c] + " and std " + std[c]);
      }
    }
    return new Normalization(mean.clone(), std.clone());
  }

  /** Number of channels. */
  public int channels() {
    return mean.length;
  }

  /** Mean of channel {@code c}, in {@code [0, 1]} pixel units. */
  public float mean(int c) {
    return mean[c];
  }

  /** Standard deviation of channel {@code c}, in {@code [0, 1]} pixel units. */
  public float std(int c) {
    return std[c];
  }

  /** Maps a pixel value in {@code [0, 1]} of channel {@code c} to normalized units. */
  public float normalize(int c, float pixel) {
    return (pixel - mean[c]) / std[c];
  }

  /** Maps a normalized value of channel {@code c} back to {@code [0, 1]} units (not clamped). */
  public float denormalize(int c, float value) {
    return value * std[c] + mean[c];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization other
        && Arrays.equals(mean, other.mean)
        && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
