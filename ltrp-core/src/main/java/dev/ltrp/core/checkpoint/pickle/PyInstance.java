package dev.ltrp.core.checkpoint.pickle;

import java.util.Optional;

/**
 * An object that the pickle asked to construct by calling an allow-listed global, recorded instead
 * of constructed: the callable ({@link #type()}), its positional arguments, and the state a later
 * {@code BUILD} opcode gave it (for example the attribute dict of an {@code argparse.Namespace}).
 * The PyTorch reader interprets the tensor-rebuild calls; every other instance stays an inert
 * record.
 *
 * <p>Read-only once the reader returns it, and then thread-safe. Equality is identity.
 */
public final class PyInstance {

  private final PyGlobal type;
  private final PyTuple args;
  private Object state;

  PyInstance(PyGlobal type, PyTuple args) {
    this.type = type;
    this.args = args;
  }

  void setState(Object state) {
    this.state = state;
  }

  /** The class or function that would have been called. */
  public PyGlobal type() {
    return type;
  }

  /** The positional arguments of the call. */
  public PyTuple args() {
    return args;
  }

  /** The state set by {@code BUILD}, if any. */
  public Optional<Object> state() {
    return Optional.ofNullable(state);
  }

  @Override
  public String toString() {
    return PyRepr.repr(this);
  }
}
