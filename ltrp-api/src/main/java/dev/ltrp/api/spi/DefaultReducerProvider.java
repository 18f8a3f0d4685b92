package dev.ltrp.api.spi;

import dev.ltrp.api.RedundancyReducer;

/**
 * Supplies the SDK's bundled default reducer to {@link
 * dev.ltrp.api.RedundancyReducer#loadDefault()} through {@link java.util.ServiceLoader}, so that
 * the engine-free API can hand out an engine-backed model. {@code ltrp-nd4j} registers one in
 * {@code META-INF/services/dev.ltrp.api.spi.DefaultReducerProvider}.
 *
 * <p>Implementations must be thread-safe and cheap to construct (load the model in {@link
 * #create()}, not in the constructor).
 */
public interface DefaultReducerProvider {

  /**
   * A new reducer over the bundled default model; the caller closes it.
   *
   * @throws IllegalStateException if the bundled model cannot be loaded (its message says why)
   */
  RedundancyReducer create();
}
