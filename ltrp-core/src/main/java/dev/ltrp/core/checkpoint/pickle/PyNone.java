package dev.ltrp.core.checkpoint.pickle;

/** Python's {@code None} in an unpickled object tree (trees never contain Java {@code null}). */
public enum PyNone {
  /** The only value. */
  NONE;

  @Override
  public String toString() {
    return "None";
  }
}
