package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.StateDict;

/** Reading architecture facts off a state dict's tensor shapes. */
final class StateDictShapes {

  private StateDictShapes() {}

  /**
   * The shape of tensor {@code name}.
   *
   * @param what what kind of checkpoint is expected, for the message ("a MAE")
   */
  static int[] shape(StateDict sd, String name, String what) throws CheckpointMismatchException {
    return sd.find(name)
        .orElseThrow(
            () ->
                CheckpointMismatchException.incompatible(
                    "the checkpoint has no tensor " + name + ": is it " + what + " checkpoint?"))
        .shape();
  }

  /** Number of blocks {@code prefix0.…}, {@code prefix1.…}: one more than the largest index. */
  static int countBlocks(StateDict sd, String prefix) {
    int max = -1;
    for (String name : sd.names()) {
      if (name.startsWith(prefix)) {
        String rest = name.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot > 0) {
          try {
            max = Math.max(max, Integer.parseInt(rest.substring(0, dot)));
          } catch (NumberFormatException ignored) {
            // not a block index: reported later as an unexpected tensor
          }
        }
      }
    }
    return max + 1;
  }

  /** Side of a square grid of {@code numPatches}, or a mismatch naming {@code tensor}. */
  static int squareSide(int numPatches, String tensor) throws CheckpointMismatchException {
    int side = (int) Math.round(Math.sqrt(numPatches));
    if (side * side != numPatches) {
      throw CheckpointMismatchException.incompatible(
          tensor + " has " + numPatches + " patch positions, which is not a square grid");
    }
    return side;
  }

  /**
   * Checks that {@code sd} holds exactly the tensors of {@code specs}, each with its shape.
   *
   * @throws CheckpointMismatchException naming the first missing or mis-shaped tensor, or every
   *     unexpected one
   */
  static void checkExactly(StateDict sd, java.util.List<TensorSpec> specs)
      throws CheckpointMismatchException {
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (TensorSpec spec : specs) {
      sd.require(spec.name(), spec.shape());
      expected.add(spec.name());
    }
    sd.checkNoUnused(expected);
  }

  /** Throws unless the configured value equals the one the tensors give. */
  static void compare(String field, int configured, int inCheckpoint)
      throws CheckpointMismatchException {
    if (configured != inCheckpoint) {
      throw CheckpointMismatchException.incompatible(
          "the configuration says "
              + field
              + " "
              + configured
              + " but the checkpoint's tensors give "
              + inCheckpoint);
    }
  }
}
