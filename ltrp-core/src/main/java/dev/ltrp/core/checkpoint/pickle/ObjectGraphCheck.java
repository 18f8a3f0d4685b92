package dev.ltrp.core.checkpoint.pickle;

import dev.ltrp.core.checkpoint.CheckpointFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Checks that an unpickled object graph is acyclic and at most {@link #MAX_DEPTH} containers deep,
 * so that every later recursive walk over it (ours or a caller's) is bounded.
 *
 * <p>A few bytes of pickle can build an arbitrarily deep or self-referential structure (a chain of
 * TUPLE1 opcodes, or a list appended to itself through the memo), so the check is an explicit-stack
 * depth-first search that visits each container once: linear in the size of the graph.
 */
final class ObjectGraphCheck {

  /** Deepest nesting of containers; real checkpoints nest fewer than ten. */
  static final int MAX_DEPTH = 256;

  /** Height recorded for a container whose children are still being visited. */
  private static final int IN_PROGRESS = -1;

  private ObjectGraphCheck() {}

  static void check(Object root, long offset) throws CheckpointFormatException {
    if (children(root) == null) {
      return;
    }
    // Finished containers map to their height (containers on the longest path below, inclusive).
    IdentityHashMap<Object, Integer> height = new IdentityHashMap<>();
    ArrayDeque<Frame> path = new ArrayDeque<>();
    path.push(new Frame(root, children(root)));
    height.put(root, IN_PROGRESS);
    while (!path.isEmpty()) {
      Frame top = path.peek();
      if (top.next < top.children.size()) {
        Object child = top.children.get(top.next++);
        List<Object> grandChildren = children(child);
        if (grandChildren == null) {
          continue; // a scalar
        }
        Integer h = height.get(child);
        if (h != null && h == IN_PROGRESS) {
          throw CheckpointFormatException.atOffset(
              "pickle object graph contains a reference cycle (through a "
                  + PickleMachine.typeName(child)
                  + ")",
              offset);
        }
        if (h != null) {
          top.maxChild = Math.max(top.maxChild, h);
          continue;
        }
        if (path.size() >= MAX_DEPTH) {
          throw tooDeep(offset);
        }
        height.put(child, IN_PROGRESS);
        path.push(new Frame(child, grandChildren));
      } else {
        path.pop();
        int h = top.maxChild + 1;
        if (h > MAX_DEPTH) {
          throw tooDeep(offset);
        }
        height.put(top.node, h);
        if (!path.isEmpty()) {
          path.peek().maxChild = Math.max(path.peek().maxChild, h);
        }
      }
    }
  }

  private static CheckpointFormatException tooDeep(long offset) {
    return CheckpointFormatException.atOffset(
        "pickle objects nest deeper than " + MAX_DEPTH + " levels", offset);
  }

  /** The values a container holds, or null for a scalar. */
  private static List<Object> children(Object v) {
    if (v instanceof PyTuple t) {
      return t.items();
    } else if (v instanceof PyList l) {
      return l.items();
    } else if (v instanceof PySet s) {
      return s.items();
    } else if (v instanceof PyDict d) {
      return new ArrayList<>(d.asMap().values()); // keys are scalars
    } else if (v instanceof PyInstance o) {
      List<Object> c = new ArrayList<>(2);
      c.add(o.args());
      o.state().ifPresent(c::add);
      return c;
    }
    return null;
  }

  private static final class Frame {
    final Object node;
    final List<Object> children;
    int next;
    int maxChild;

    Frame(Object node, List<Object> children) {
      this.node = node;
      this.children = children == null ? Collections.emptyList() : children;
    }
  }
}
