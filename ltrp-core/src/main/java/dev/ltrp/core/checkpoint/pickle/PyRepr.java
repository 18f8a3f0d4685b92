package dev.ltrp.core.checkpoint.pickle;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Python-like, bounded text for object trees: at most a few levels and items, and {@value
 * #MAX_LENGTH} characters in all, so that printing a hostile or huge tree (say in a test failure)
 * stays short.
 */
final class PyRepr {

  private static final int MAX_DEPTH = 3;
  private static final int MAX_ITEMS = 8;
  private static final int MAX_STRING = 64;

  /**
   * The whole text's limit: levels and items alone still allowed 16^3 leaves of 600-digit integers,
   * 87,000 characters from a 344-byte pickle (found by fuzzing, issue 5).
   */
  static final int MAX_LENGTH = 2000;

  private PyRepr() {}

  static String repr(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, 0);
    return sb.length() > MAX_LENGTH ? sb.substring(0, MAX_LENGTH) + "..." : sb.toString();
  }

  private static void append(StringBuilder sb, Object v, int depth) {
    if (sb.length() > MAX_LENGTH) {
      return; // cut by repr
    }
    if (v instanceof String s) {
      String shown = s.length() > MAX_STRING ? s.substring(0, MAX_STRING) + "..." : s;
      sb.append('\'').append(shown).append('\'');
    } else if (v instanceof Boolean b) {
      sb.append(b ? "True" : "False");
    } else if (v instanceof Long
        || v instanceof BigInteger
        || v instanceof Double
        || v instanceof PyNone
        || v instanceof PyBytes
        || v instanceof PyGlobal) {
      sb.append(v);
    } else if (depth >= MAX_DEPTH) {
      sb.append("...");
    } else if (v instanceof PyTuple t) {
      items(sb, "(", t.items(), t.size() == 1 ? ",)" : ")", depth);
    } else if (v instanceof PyList l) {
      items(sb, "[", l.items(), "]", depth);
    } else if (v instanceof PySet s) {
      items(sb, s.isFrozen() ? "frozenset({" : "{", s.items(), s.isFrozen() ? "})" : "}", depth);
    } else if (v instanceof PyDict d) {
      sb.append('{');
      int i = 0;
      for (Map.Entry<Object, Object> e : d.asMap().entrySet()) {
        if (i == MAX_ITEMS) {
          sb.append(", ...");
          break;
        }
        sb.append(i++ == 0 ? "" : ", ");
        append(sb, e.getKey(), depth + 1);
        sb.append(": ");
        append(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof PyInstance o) {
      sb.append(o.type().qualifiedName());
      items(sb, "(", o.args().items(), ")", depth);
      if (o.state().isPresent()) {
        sb.append(" with state ");
        append(sb, o.state().get(), depth + 1);
      }
    } else {
      sb.append(v);
    }
  }

  private static void items(
      StringBuilder sb, String open, List<Object> items, String close, int depth) {
    sb.append(open);
    for (int i = 0; i < items.size(); i++) {
      if (i == MAX_ITEMS) {
        sb.append(", ... (").append(items.size()).append(" items)");
        break;
      }
      sb.append(i == 0 ? "" : ", ");
      append(sb, items.get(i), depth + 1);
    }
    sb.append(close);
  }
}
