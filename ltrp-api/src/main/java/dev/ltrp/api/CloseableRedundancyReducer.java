package dev.ltrp.api;

/**
 * A {@link RedundancyReducer} that holds native resources (model weights in engine memory).
 *
 * <p>Use it in try-with-resources: {@link #close()} frees the resources, is idempotent, and any
 * other method throws {@link IllegalStateException} after it.
 */
public interface CloseableRedundancyReducer extends RedundancyReducer, AutoCloseable {

  /** Frees the native resources. Idempotent; throws nothing. */
  @Override
  void close();
}
