package dev.ltrp.core.checkpoint.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Python tuple. Immutable and thread-safe (its items may be mutable-looking containers, which are
 * themselves read-only after unpickling). Equality is element-wise.
 */
public final class PyTuple {

  static final PyTuple EMPTY = new PyTuple(new ArrayList<>());

  private final List<Object> items;
  private final int hash;

  private PyTuple(ArrayList<Object> items) {
    this.items = Collections.unmodifiableList(items);
    this.hash = items.hashCode();
  }

  /** A tuple of the given items (no nulls; use {@link PyNone#NONE}). */
  public static PyTuple of(Object... items) {
    ArrayList<Object> list = new ArrayList<>(items.length);
    for (Object item : items) {
      list.add(Objects.requireNonNull(item, "item"));
    }
    return new PyTuple(list);
  }

  /** For the reader: takes ownership of {@code items}. */
  static PyTuple wrap(ArrayList<Object> items) {
    return items.isEmpty() ? EMPTY : new PyTuple(items);
  }

  /** Number of items. */
  public int size() {
    return items.size();
  }

  /** Item {@code i}. */
  public Object get(int i) {
    return items.get(i);
  }

  /** The items; an unmodifiable view. */
  public List<Object> items() {
    return items;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof PyTuple other && hash == other.hash && items.equals(other.items));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return PyRepr.repr(this);
  }
}
