package dev.ltrp.core.checkpoint.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python {@code set} or {@code frozenset}, with its items in pickle order (duplicates, which a
 * well-formed pickle does not contain, are not removed). Read-only once the reader returns it, and
 * then thread-safe. Equality is identity.
 */
public final class PySet {

  private final ArrayList<Object> items = new ArrayList<>();
  private final List<Object> view = Collections.unmodifiableList(items);
  private final boolean frozen;

  PySet(boolean frozen) {
    this.frozen = frozen;
  }

  void addAll(List<Object> more) {
    items.addAll(more);
  }

  /** Whether this was a {@code frozenset}. */
  public boolean isFrozen() {
    return frozen;
  }

  /** Number of items. */
  public int size() {
    return items.size();
  }

  /** The items in pickle order; an unmodifiable view. */
  public List<Object> items() {
    return view;
  }

  @Override
  public String toString() {
    return PyRepr.repr(this);
  }
}
