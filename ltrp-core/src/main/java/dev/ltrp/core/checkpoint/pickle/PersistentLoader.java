package dev.ltrp.core.checkpoint.pickle;

import dev.ltrp.core.checkpoint.CheckpointFormatException;

/**
 * Resolves a persistent id (the {@code BINPERSID} opcode) to a value: PyTorch uses persistent ids
 * for tensor storages, which live outside the pickle. Implementations must not trust the id, which
 * comes from the file.
 */
@FunctionalInterface
public interface PersistentLoader {

  /** A loader that refuses every persistent id: for pickles that should not have any. */
  PersistentLoader NONE =
      (pid, offset) -> {
        throw CheckpointFormatException.atOffset(
            "unexpected persistent id " + pid + " in a pickle that should have none", offset);
      };

  /**
   * @param pid the persistent id object as unpickled (for PyTorch a {@link PyTuple})
   * @param offset offset of the {@code BINPERSID} opcode, for error messages
   * @return the value to push in its place, never null
   * @throws CheckpointFormatException if the id is not acceptable
   */
  Object load(Object pid, long offset) throws CheckpointFormatException;
}
