package dev.ltrp.core.checkpoint;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A checkpoint file is malformed: bad magic, truncated data, an invalid header, a tensor whose
 * declared extent does not fit its data, or a pickle that is not plain data.
 *
 * <p>Where known, the exception carries the name of the tensor and the byte offset at which the
 * problem was found, and both appear in the message: {@code "tensor blocks.0.attn.qkv.weight
 * <detail> (offset 1234)"}. Offsets count from the start of the file for safetensors and legacy
 * PyTorch files, and from the start of the {@code data.pkl} record for problems inside a zip
 * PyTorch file's pickle; a zip archive that cannot be opened at all is reported at the file's
 * length, where its directory should end.
 *
 * <p>Thrown at load time only; a value that loaded is valid.
 */
public class CheckpointFormatException extends IOException {

  private final String tensorName;
  private final long byteOffset;
  private final String detail;

  /** A problem with the file as a whole, without a tensor name or offset. */
  public CheckpointFormatException(String detail) {
    this(null, detail, -1, null);
  }

  /** A problem with the file as a whole, caused by a lower-level exception. */
  public CheckpointFormatException(String detail, Throwable cause) {
    this(null, detail, -1, cause);
  }

  /**
   * The general form.
   *
   * @param tensorName the tensor concerned, or {@code null}; the message starts with {@code "tensor
   *     <name> "}, so {@code detail} should read as a predicate ("has shape [2], expected [3]")
   * @param detail what is wrong
   * @param byteOffset the offset of the problem, or {@code -1} if unknown; appended to the message
   *     as {@code " (offset N)"}
   * @param cause the underlying exception, or {@code null}
   */
  public CheckpointFormatException(
      String tensorName, String detail, long byteOffset, Throwable cause) {
    super(compose(tensorName, detail, byteOffset), cause);
    this.tensorName = tensorName;
    this.byteOffset = byteOffset < 0 ? -1 : byteOffset;
    this.detail = detail;
  }

  /** A problem at a byte offset. */
  public static CheckpointFormatException atOffset(String detail, long byteOffset) {
    return new CheckpointFormatException(null, detail, byteOffset, null);
  }

  /** A problem with one tensor. */
  public static CheckpointFormatException forTensor(String tensorName, String detail) {
    return new CheckpointFormatException(tensorName, detail, -1, null);
  }

  /** The tensor concerned, if the problem concerns one. */
  public Optional<String> tensorName() {
    return Optional.ofNullable(tensorName);
  }

  /** The byte offset of the problem, if known. */
  public OptionalLong byteOffset() {
    return byteOffset < 0 ? OptionalLong.empty() : OptionalLong.of(byteOffset);
  }

  /** The message without the tensor name and offset. */
  public String detail() {
    return detail;
  }

  private static String compose(String tensorName, String detail, long byteOffset) {
    StringBuilder sb = new StringBuilder();
    if (tensorName != null) {
      sb.append("tensor ").append(tensorName).append(' ');
    }
    sb.append(detail);
    if (byteOffset >= 0) {
      sb.append(" (offset ").append(byteOffset).append(')');
    }
    return sb.toString();
  }
}
