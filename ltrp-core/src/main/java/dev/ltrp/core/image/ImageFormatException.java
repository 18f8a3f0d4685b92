package dev.ltrp.core.image;

import java.io.IOException;
import java.util.Objects;

/**
 * A file (or byte array) that cannot be decoded as an image: empty, not in a supported format,
 * truncated, corrupt, or in a colour layout the decoder cannot convert to RGB.
 *
 * <p>The message names the source and the reason, for example {@code "photo.jpg: the file is
 * truncated (Premature end of JPEG file)"}.
 */
public class ImageFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param source the file or stream that failed, as the user named it
   * @param reason what is wrong with it, in words
   */
  public ImageFormatException(String source, String reason) {
    this(source, reason, null);
  }

  /**
   * Creates the exception with the decoder's exception as the cause.
   *
   * @param source the file or stream that failed, as the user named it
   * @param reason what is wrong with it, in words
   * @param cause the underlying decoder failure, or {@code null}
   */
  public ImageFormatException(String source, String reason, Throwable cause) {
    super(
        Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(reason, "reason"),
        cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file or stream that failed, as the user named it. */
  public String source() {
    return source;
  }

  /** What is wrong with the file, without the source name. */
  public String reason() {
    return reason;
  }
}
