package dev.ltrp.core.checkpoint.pickle;

import java.util.Objects;

/**
 * A reference to an allow-listed Python class or function, such as {@code
 * torch._utils._rebuild_tensor_v2}: in an object tree it appears where the pickle named a class
 * (for example the storage class in a PyTorch persistent id). It is a name, never something that
 * runs. Immutable and thread-safe.
 */
public final class PyGlobal {

  private final String module;
  private final String name;

  PyGlobal(String module, String name) {
    this.module = Objects.requireNonNull(module);
    this.name = Objects.requireNonNull(name);
  }

  /** The module, for example {@code "torch._utils"}. */
  public String module() {
    return module;
  }

  /** The name within the module, for example {@code "_rebuild_tensor_v2"}. */
  public String name() {
    return name;
  }

  /** {@code module + "." + name}. */
  public String qualifiedName() {
    return module + "." + name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyGlobal other && module.equals(other.module) && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return 31 * module.hashCode() + name.hashCode();
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
