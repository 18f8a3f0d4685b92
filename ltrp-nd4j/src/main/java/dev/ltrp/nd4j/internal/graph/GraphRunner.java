package dev.ltrp.nd4j.internal.graph;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Runs every use of one {@link SameDiff} graph on one dedicated thread.
 *
 * <p>Why a thread of its own: SameDiff keeps an inference session (with its array cache) and its
 * placeholder maps per calling thread and never drops them, so a graph called from the threads of a
 * server pool would hold one copy per thread ever seen. Funnelling the calls through one thread
 * keeps exactly one session, lets us install a session without ND4J's unbounded bookkeeping ({@link
 * BoundedInferenceSession}), and serializes the calls, which is what one graph can do anyway (each
 * pass already uses every core through OpenMP).
 *
 * <p>Thread-safety: safe for concurrent callers; their work runs one at a time, in submission
 * order. {@link #close()} frees the graph's arrays and stops the thread; it is idempotent, and
 * {@link #call} throws {@link IllegalStateException} after it.
 */
public final class GraphRunner implements AutoCloseable {

  /**
   * Default bytes of freed intermediate arrays kept for reuse by the next pass (saves allocation
   * and page faults): the working set of a ViT-B MAE decoder pass of 40 sequences.
   */
  public static final long DEFAULT_CACHE_BYTES = 1L << 30;

  private final SameDiff graph;
  private final ExecutorService engine;
  private volatile boolean closed;

  private GraphRunner(SameDiff graph, String threadName, long cacheBytes) {
    this.graph = graph;
    this.engine =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, threadName);
              t.setDaemon(true);
              return t;
            });
    call(
        g -> {
          install(g, cacheBytes);
          // A training graph's backward pass runs in its own SameDiff, with sessions of its own.
          SameDiff backward = g.getFunction(Gradients.GRAD_FUNCTION);
          if (backward != null) {
            install(backward, cacheBytes);
          }
          return null;
        });
  }

  private static void install(SameDiff g, long cacheBytes) {
    g.getSessions().put(Thread.currentThread().getId(), new BoundedInferenceSession(g, cacheBytes));
  }

  /**
   * Takes ownership of {@code graph} and starts its thread, named {@code threadName}. A training
   * graph must have its backward graph prepared ({@link Gradients#prepare}) before this.
   */
  public static GraphRunner start(SameDiff graph, String threadName) {
    return new GraphRunner(graph, threadName, DEFAULT_CACHE_BYTES);
  }

  /**
   * As {@link #start(SameDiff, String)}, keeping at most {@code cacheBytes} of freed arrays for
   * reuse (training graphs do better with less: their many small arrays fragment memory).
   */
  public static GraphRunner start(SameDiff graph, String threadName, long cacheBytes) {
    return new GraphRunner(graph, threadName, cacheBytes);
  }

  /**
   * Runs {@code work} on the graph's thread and returns its result. Runtime exceptions and errors
   * thrown by {@code work} are rethrown as they are; the caller's thread waits without being
   * interruptible (the interrupt flag is restored afterwards), because the work cannot be abandoned
   * halfway through a native call.
   *
   * @throws IllegalStateException if this runner is closed
   */
  public <T> T call(Function<SameDiff, T> work) {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    Future<T> future;
    try {
      future =
          engine.submit(
              () -> {
                if (closed) {
                  throw new IllegalStateException("the model is closed");
                }
                return work.apply(graph);
              });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the model is closed", e);
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Frees the graph's native arrays and stops the thread. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    call(
        g -> {
          GraphArrays.release(g);
          g.getSessions().clear();
          return null;
        });
    closed = true;
    engine.shutdown();
  }
}
