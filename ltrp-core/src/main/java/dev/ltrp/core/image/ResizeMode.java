package dev.ltrp.core.image;

/**
 * How {@link ImagePreprocessor} brings an image of any size to the model's {@code H × W}. Every
 * mode resamples with {@link BicubicResampler} (Pillow's bicubic) and crops with {@link CenterCrop}
 * (torchvision's {@code center_crop}).
 *
 * <p>"Resize the shorter side to {@code S}" follows torchvision's {@code Resize(S)}: the shorter
 * side becomes {@code S} and the longer {@code int(S · long / short)} (truncated). For a non-square
 * target {@code H × W} the same rule is applied to whichever side needs the larger scale, so that
 * the resized image covers {@code H × W} before the crop.
 */
public enum ResizeMode {

  /**
   * The default: an image of exactly the target size is used as it is; any other image is resized
   * as by {@link #SHORTER_SIDE_CROP}. (The two modes give the same pixels, because resizing to the
   * current size is the identity, as in Pillow; this one states the rule a caller relies on.)
   */
  EXACT_OR_SHORTER_SIDE,

  /**
   * Resize the shorter side to the target, then center-crop: the whole shorter side of the photo is
   * kept, which suits a redundancy reducer that must rank the whole picture.
   */
  SHORTER_SIDE_CROP,

  /**
   * The reference evaluation transform: resize the shorter side to {@code int(target / }{@value
   * #CROP_RATIO}{@code )} (256 for 224), then center-crop to the target, like timm/MAE's {@code
   * Resize(256) + CenterCrop(224)}; the border of the photo is lost.
   */
  RESIZE_CROP_RATIO,

  /** Resize both sides to the target, ignoring the aspect ratio; no crop. */
  STRETCH;

  /** The crop ratio of {@link #RESIZE_CROP_RATIO}, {@code 224 / 256}. */
  public static final double CROP_RATIO = 0.875;

  /**
   * The size {@code {height, width}} an image of {@code srcH × srcW} is resized to before the
   * center crop to {@code targetH × targetW}.
   */
  int[] resizedSize(int srcH, int srcW, int targetH, int targetW) {
    return switch (this) {
      case STRETCH -> new int[] {targetH, targetW};
      case EXACT_OR_SHORTER_SIDE ->
          srcH == targetH && srcW == targetW
              ? new int[] {srcH, srcW}
              : cover(srcH, srcW, targetH, targetW);
      case SHORTER_SIDE_CROP -> cover(srcH, srcW, targetH, targetW);
      case RESIZE_CROP_RATIO ->
          cover(srcH, srcW, (int) (targetH / CROP_RATIO), (int) (targetW / CROP_RATIO));
    };
  }

  /** torchvision's {@code Resize(int)} generalized to a rectangle the result must cover. */
  private static int[] cover(int srcH, int srcW, int boxH, int boxW) {
    if ((long) boxH * srcW >= (long) boxW * srcH) {
      // Height needs the larger scale: it becomes boxH, the width follows the aspect ratio.
      int w = (int) ((double) ((long) boxH * srcW) / srcH);
      return new int[] {boxH, Math.max(w, boxW)};
    }
    int h = (int) ((double) ((long) boxW * srcH) / srcW);
    return new int[] {Math.max(h, boxH), boxW};
  }
}
