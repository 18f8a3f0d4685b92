package dev.ltrp.core.image;

/**
 * An image whose header declares more pixels than the configured limit (a possible decompression
 * bomb). It is thrown after reading only the header, before any pixel is decoded.
 *
 * @see ImageLoader.Builder#optMaxPixels(long)
 */
public class ImageTooLargeException extends ImageFormatException {

  private static final long serialVersionUID = 1L;

  private final int width;
  private final int height;
  private final long maxPixels;

  /**
   * Creates the exception.
   *
   * @param source the file or stream, as the user named it
   * @param width declared width in pixels
   * @param height declared height in pixels
   * @param maxPixels the limit on {@code width · height} that was exceeded
   */
  public ImageTooLargeException(String source, int width, int height, long maxPixels) {
    super(
        source,
        "the image is "
            + width
            + "x"
            + height
            + " = "
            + ((long) width * height)
            + " pixels, more than the limit of "
            + maxPixels
            + " (a possible decompression bomb; raise ImageLoader.Builder.optMaxPixels to allow it)");
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  /** Declared width in pixels. */
  public int width() {
    return width;
  }

  /** Declared height in pixels. */
  public int height() {
    return height;
  }

  /** The limit on {@code width · height} that was exceeded. */
  public long maxPixels() {
    return maxPixels;
  }
}
