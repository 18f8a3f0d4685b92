package dev.ltrp.core.checkpoint.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python list. Read-only once the reader returns it, and then thread-safe. Equality is identity,
 * as for every mutable Python container in a tree: trees may share objects, and structural
 * comparison of shared structures can be exponentially slow.
 */
public final class PyList {

  private final ArrayList<Object> items = new ArrayList<>();
  private final List<Object> view = Collections.unmodifiableList(items);

  PyList() {}

  void add(Object item) {
    items.add(item);
  }

  void addAll(List<Object> more) {
    items.addAll(more);
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
    return view;
  }

  @Override
  public String toString() {
    return PyRepr.repr(this);
  }
}
