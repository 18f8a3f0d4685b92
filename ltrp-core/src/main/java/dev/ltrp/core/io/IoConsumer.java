package dev.ltrp.core.io;

import java.io.IOException;

/**
 * An action on a value that may fail with an {@link IOException}, such as writing a file's contents
 * to a stream.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface IoConsumer<T> {

  /**
   * Performs the action.
   *
   * @throws IOException if it fails
   */
  void accept(T value) throws IOException;
}
