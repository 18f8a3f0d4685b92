package dev.ltrp.core.checkpoint.pickle;

import dev.ltrp.core.checkpoint.CheckpointFormatException;
import dev.ltrp.core.checkpoint.UnsafePickleException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads Python pickles (protocols 0–5, binary opcodes) as plain data, without executing anything.
 *
 * <p>A pickle is a program: its {@code GLOBAL}/{@code STACK_GLOBAL} opcodes import any Python
 * callable and {@code REDUCE} calls it, which is how a malicious checkpoint runs code inside {@code
 * torch.load}. This reader resolves globals only against a fixed allow-list of names that plain
 * checkpoints use — {@code collections.OrderedDict}, the PyTorch tensor and parameter rebuild
 * functions, the PyTorch storage classes, {@code torch.Size}, and the inert {@code
 * argparse.Namespace}, {@code numpy.dtype} and {@code numpy.core.multiarray.scalar} — and gives
 * each a fixed data-only meaning: a dict, a tuple, or a {@link PyInstance} record of the call. Any
 * other global ({@code os.system}, {@code builtins.eval}, {@code builtins.getattr}, {@code
 * torch.storage._load_from_bytes}, ...) stops the read with an {@link UnsafePickleException} naming
 * it and its offset.
 *
 * <p>Values: {@code str} is {@link String}, {@code int} is {@link Long} (or {@link
 * java.math.BigInteger} beyond 64 bits), {@code float} is {@link Double}, {@code bool} is {@link
 * Boolean}, {@code None} is {@link PyNone#NONE}; containers are {@link PyTuple}, {@link PyList},
 * {@link PyDict} and {@link PySet}; bytes are {@link PyBytes}; a named class is a {@link PyGlobal}.
 * A tree never contains Java {@code null}.
 *
 * <p>The input is untrusted: every length is checked against the remaining input before allocation;
 * the stack (2^20 items), memo (2^20 entries), MARK nesting (256), number of values created (2^22)
 * and integer size (256 bytes) are capped; the machine is iterative; and the result is checked to
 * be acyclic and at most 256 containers deep. Memory is linear in the input and capped, and the run
 * takes one step per input byte, so no input can exhaust memory, overflow the Java stack or loop;
 * every failure is a {@link CheckpointFormatException} with the byte offset of the opcode.
 *
 * <p>Stateless and thread-safe.
 */
public final class SafePickleReader {

  private SafePickleReader() {}

  /**
   * Reads the pickle that starts at {@code in}'s position and leaves the position just after its
   * {@code STOP} opcode, so that consecutive pickles can be read one after another. Byte offsets in
   * exceptions are absolute indices into {@code in}.
   *
   * @param loader resolves persistent ids ({@link PersistentLoader#NONE} to refuse them)
   * @return the unpickled object, never null
   * @throws UnsafePickleException if the pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the pickle is malformed or exceeds a limit
   */
  public static Object read(ByteBuffer in, PersistentLoader loader)
      throws CheckpointFormatException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(loader, "loader");
    return new PickleMachine(in, loader).run();
  }

  /**
   * Python's name for the type of a value in an object tree ({@code "str"}, {@code "int"}, {@code
   * "dict"}, {@code "argparse.Namespace object"}, ...), for messages.
   */
  public static String typeName(Object value) {
    return PickleMachine.typeName(value);
  }

  /** Reads a whole pickle that has no persistent ids. */
  public static Object read(byte[] pickle) throws CheckpointFormatException {
    return read(ByteBuffer.wrap(pickle), PersistentLoader.NONE);
  }
}
