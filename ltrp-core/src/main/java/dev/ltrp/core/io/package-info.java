/**
 * File primitives that know nothing of models, images or training: {@link
 * dev.ltrp.core.io.AtomicFiles} writes a file so that a reader or a restarted run sees the old
 * contents or the complete new ones, never a torn file, and {@link dev.ltrp.core.io.IoConsumer} is
 * the writer it calls. This package depends on the JDK alone, so every package of ltrp-core and
 * every module above it (ltrp-nd4j, ltrp-eval, ltrp-cli, ltrp-bench, examples) may use it; every
 * file the SDK replaces in place (checkpoints, model files and their JSON, training state, score
 * files, PNG renderings and plots) is written through it. Stateless and thread-safe.
 */
package dev.ltrp.core.io;
