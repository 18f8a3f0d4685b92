package dev.ltrp.core.checkpoint;

/**
 * A pickle names a Python global outside the reader's allow-list, for example {@code os.system} or
 * {@code builtins.eval}. Nothing was executed: the reader never runs code, and it stops at the
 * first global it does not know, so the rest of the file is not interpreted.
 *
 * <p>Message: {@code "pickle global os.system is not allowed (offset 57)"}.
 */
public class UnsafePickleException extends CheckpointFormatException {

  private final String global;

  /**
   * @param global the rejected global as {@code module.name}
   * @param byteOffset offset of the opcode that named it
   */
  public UnsafePickleException(String global, long byteOffset) {
    super(null, "pickle global " + global + " is not allowed", byteOffset, null);
    this.global = global;
  }

  /** The rejected global as {@code module.name}, for example {@code "os.system"}. */
  public String global() {
    return global;
  }
}
