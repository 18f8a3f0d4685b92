package dev.ltrp.core.checkpoint.pickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Python {@code dict} or {@code collections.OrderedDict}, in insertion order.
 *
 * <p>Keys are strings, integers ({@code Long} or {@code BigInteger}), floats ({@code Double}),
 * booleans, {@link PyNone} or {@link PyBytes}: the reader rejects other keys (tuples included),
 * which plain-data checkpoints do not use and whose hashing an adversary could make quadratic.
 * Unlike Python, {@code 1}, {@code 1.0} and {@code True} are different keys. Instance attributes
 * that a pickle sets on an {@code OrderedDict} (such as PyTorch's {@code _metadata}) are not kept.
 *
 * <p>Read-only once the reader returns it, and then thread-safe. Equality is identity (see {@link
 * PyList}).
 */
public final class PyDict {

  private final LinkedHashMap<Object, Object> entries = new LinkedHashMap<>();
  private final Map<Object, Object> view = Collections.unmodifiableMap(entries);

  PyDict() {}

  void put(Object key, Object value) {
    entries.put(key, value);
  }

  /** Number of entries. */
  public int size() {
    return entries.size();
  }

  /** The value under {@code key}, if present. */
  public Optional<Object> get(Object key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** The entries in insertion order; an unmodifiable view. */
  public Map<Object, Object> asMap() {
    return view;
  }

  @Override
  public String toString() {
    return PyRepr.repr(this);
  }
}
