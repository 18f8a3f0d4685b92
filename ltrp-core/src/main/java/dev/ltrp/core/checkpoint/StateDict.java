package dev.ltrp.core.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The tensors of a checkpoint by name ({@code "blocks.0.attn.qkv.weight"}), in the order the file
 * lists them.
 *
 * <p>A model loader takes what it needs with {@link #require(String, int...)}, which checks the
 * shape and names the tensor in its exception, and may then call {@link #checkNoUnused} to refuse a
 * checkpoint with tensors it does not know:
 *
 * <pre>{@code
 * StateDict weights = Checkpoints.read(path);
 * Tensor qkv = weights.require("blocks.0.attn.qkv.weight", 3 * 768, 768);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class StateDict {

  private static final StateDict EMPTY = new StateDict(new LinkedHashMap<>());

  /** How many similar names a "missing tensor" message suggests. */
  private static final int SUGGESTIONS = 3;

  private final Map<String, Tensor> tensors;

  private StateDict(LinkedHashMap<String, Tensor> tensors) {
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /**
   * A state dict with the entries of {@code tensors}, in its iteration order (use a {@link
   * LinkedHashMap} to control it). The map is copied; the tensors are immutable and shared.
   *
   * @throws NullPointerException if a name or tensor is null
   */
  public static StateDict of(Map<String, Tensor> tensors) {
    LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
    tensors.forEach(
        (name, tensor) ->
            copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(tensor, name)));
    return new StateDict(copy);
  }

  /** The state dict without tensors. */
  public static StateDict empty() {
    return EMPTY;
  }

  /** For this package: takes ownership of the map without copying. */
  static StateDict wrap(LinkedHashMap<String, Tensor> tensors) {
    return new StateDict(tensors);
  }

  /** The names, in order; an unmodifiable view. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** The entries, in order; an unmodifiable view. */
  public Map<String, Tensor> asMap() {
    return tensors;
  }

  /** Number of tensors. */
  public int size() {
    return tensors.size();
  }

  /** Whether there are no tensors. */
  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** Whether a tensor is called {@code name}. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The tensor called {@code name}, if present. */
  public Optional<Tensor> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /** Total number of elements over all tensors. */
  public long totalElements() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.size();
    }
    return n;
  }

  /**
   * The tensor called {@code name}, of any shape.
   *
   * @throws CheckpointMismatchException if it is missing; the message suggests similar names
   */
  public Tensor require(String name) throws CheckpointMismatchException {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw CheckpointMismatchException.missing(name, similarNames(name), tensors.size());
    }
    return t;
  }

  /**
   * The tensor called {@code name}, which must have shape {@code expectedShape} (pass {@code new
   * int[0]} for a scalar; {@link #require(String)} accepts any shape).
   *
   * @throws CheckpointMismatchException if it is missing (the message suggests similar names) or
   *     has another shape (the message gives both shapes)
   */
  public Tensor require(String name, int... expectedShape) throws CheckpointMismatchException {
    Tensor t = require(name);
    if (!t.hasShape(expectedShape)) {
      throw CheckpointMismatchException.wrongShape(name, t.shape(), expectedShape);
    }
    return t;
  }

  /**
   * Checks that every tensor is in {@code used}: the check that a loader ran through all of a
   * checkpoint, so that a tensor it does not know (a wrong model size, an extra head) is reported
   * instead of silently ignored.
   *
   * @throws CheckpointMismatchException listing the unexpected names, in order
   */
  public void checkNoUnused(Collection<String> used) throws CheckpointMismatchException {
    List<String> extra = new ArrayList<>();
    for (String name : tensors.keySet()) {
      if (!used.contains(name)) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw CheckpointMismatchException.unexpected(extra);
    }
  }

  /** The tensors whose name satisfies {@code keep}, in order. */
  public StateDict filter(Predicate<String> keep) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> {
          if (keep.test(name)) {
            out.put(name, t);
          }
        });
    return new StateDict(out);
  }

  /**
   * Renames every tensor with {@code newName}, keeping the order.
   *
   * @throws CheckpointMismatchException if two tensors would get the same name
   * @throws NullPointerException if {@code newName} returns null
   */
  public StateDict rename(Function<String, String> newName) throws CheckpointMismatchException {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String renamed = Objects.requireNonNull(newName.apply(e.getKey()), "new name");
      String previous = sourceOf.put(renamed, e.getKey());
      if (previous != null) {
        throw CheckpointMismatchException.collision(renamed, previous, e.getKey());
      }
      out.put(renamed, e.getValue());
    }
    return new StateDict(out);
  }

  /**
   * Removes {@code prefix} from the names that start with it and keeps the other names as they are:
   * for example {@code "module."}, which {@code DistributedDataParallel} adds.
   *
   * @throws CheckpointMismatchException if a stripped name equals another name
   */
  public StateDict withPrefixStripped(String prefix) throws CheckpointMismatchException {
    Objects.requireNonNull(prefix, "prefix");
    return rename(n -> n.startsWith(prefix) ? n.substring(prefix.length()) : n);
  }

  /** Names present that resemble {@code name}, best first, at most {@value #SUGGESTIONS}. */
  List<String> similarNames(String name) {
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    int limit = Math.max(2, name.length() / 3);
    for (String candidate : tensors.keySet()) {
      boolean contains =
          !candidate.isEmpty() && (candidate.endsWith(name) || name.endsWith(candidate));
      int d = contains ? 0 : boundedEditDistance(name, candidate, limit);
      if (d <= limit) {
        scored.add(new Scored(candidate, d));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(SUGGESTIONS, scored.size()); i++) {
      out.add(scored.get(i).name());
    }
    return out;
  }

  /** Levenshtein distance, or {@code limit + 1} as soon as it must exceed {@code limit}. */
  private static int boundedEditDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit || a.length() > 512 || b.length() > 512) {
      return limit + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  /** Same names mapped to equal tensors; order is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof StateDict other && tensors.equals(other.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  /** The count and the first few names with shapes. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StateDict[").append(tensors.size()).append(" tensors");
    int i = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (i == 4) {
        sb.append(", ...");
        break;
      }
      sb.append(i == 0 ? ": " : ", ")
          .append(e.getKey())
          .append(' ')
          .append(Arrays.toString(e.getValue().shape()));
      i++;
    }
    return sb.append(']').toString();
  }
}
