package dev.ltrp.core.checkpoint;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A checkpoint is well-formed but does not hold what the model needs: a tensor is missing, has the
 * wrong shape, is not expected at all, two tensors would get the same name, or the tensors
 * contradict each other or the model's configuration.
 *
 * <p>Messages name the tensors, for example {@code "tensor blocks.0.attn.qkv.weight has shape
 * [2304, 512], expected [2304, 768]"}.
 */
public class CheckpointMismatchException extends CheckpointFormatException {

  /** What kind of mismatch. */
  public enum Kind {
    /** A required tensor is absent. */
    MISSING,
    /** A tensor has an unexpected shape. */
    WRONG_SHAPE,
    /** The checkpoint holds tensors that nothing uses. */
    UNEXPECTED,
    /** Renaming would give two tensors the same name. */
    NAME_COLLISION,
    /** The tensors contradict each other or the configuration (see {@link #incompatible}). */
    INCOMPATIBLE
  }

  /** How many names a message lists before it says "and N more". */
  static final int MAX_LISTED = 5;

  private final Kind kind;

  private CheckpointMismatchException(Kind kind, String tensorName, String detail) {
    super(tensorName, detail, -1, null);
    this.kind = kind;
  }

  /**
   * A required tensor is missing.
   *
   * @param similar names present in the checkpoint that resemble {@code name}, best first (may be
   *     empty)
   * @param present how many tensors the checkpoint holds
   */
  public static CheckpointMismatchException missing(
      String name, List<String> similar, int present) {
    String detail =
        similar.isEmpty()
            ? "is missing (the checkpoint has " + present + " tensors, none with a similar name)"
            : "is missing; similar names present: " + list(similar);
    return new CheckpointMismatchException(Kind.MISSING, name, detail);
  }

  /** A tensor has shape {@code actual} where {@code expected} was required. */
  public static CheckpointMismatchException wrongShape(String name, int[] actual, int[] expected) {
    return new CheckpointMismatchException(
        Kind.WRONG_SHAPE,
        name,
        "has shape " + Arrays.toString(actual) + ", expected " + Arrays.toString(expected));
  }

  /** The checkpoint holds tensors that nothing uses; {@code names} is not empty. */
  public static CheckpointMismatchException unexpected(Collection<String> names) {
    return new CheckpointMismatchException(
        Kind.UNEXPECTED,
        null,
        "checkpoint has "
            + names.size()
            + " unexpected tensor"
            + (names.size() == 1 ? "" : "s")
            + ": "
            + list(names));
  }

  /**
   * The checkpoint holds tensors that cannot be used, for the reason {@code why} (for example "no
   * reference MAE name"); {@code names} is not empty.
   */
  public static CheckpointMismatchException unexpected(Collection<String> names, String why) {
    return new CheckpointMismatchException(
        Kind.UNEXPECTED,
        null,
        "checkpoint has "
            + names.size()
            + " unexpected tensor"
            + (names.size() == 1 ? "" : "s")
            + " ("
            + why
            + "): "
            + list(names));
  }

  /** Two tensors, {@code first} and {@code second}, would both be called {@code name}. */
  public static CheckpointMismatchException collision(String name, String first, String second) {
    return new CheckpointMismatchException(
        Kind.NAME_COLLISION, name, "would be the new name of both " + first + " and " + second);
  }

  /**
   * The checkpoint's tensors do not fit together or do not fit the configuration, for reasons a
   * model loader states in {@code detail} (for example "pos_embed has 197 positions but the patch
   * grid needs 257"); the detail should name the tensors concerned.
   */
  public static CheckpointMismatchException incompatible(String detail) {
    return new CheckpointMismatchException(Kind.INCOMPATIBLE, null, detail);
  }

  /** What kind of mismatch this is. */
  public Kind kind() {
    return kind;
  }

  static String list(Collection<String> names) {
    StringBuilder sb = new StringBuilder("[");
    int i = 0;
    for (String n : names) {
      if (i == MAX_LISTED) {
        sb.append(", and ").append(names.size() - MAX_LISTED).append(" more");
        break;
      }
      sb.append(i == 0 ? "" : ", ").append(n);
      i++;
    }
    return sb.append(']').toString();
  }
}
