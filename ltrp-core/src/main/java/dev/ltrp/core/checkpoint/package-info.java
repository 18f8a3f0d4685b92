/**
 * Checkpoints: reading PyTorch ({@code .pth}, zip and legacy) and safetensors files into {@link
 * dev.ltrp.core.checkpoint.StateDict}s of float32 {@link dev.ltrp.core.checkpoint.Tensor}s, writing
 * safetensors, and converting Hugging Face MAE names, all without a deep-learning engine.
 *
 * <p>Start at {@link dev.ltrp.core.checkpoint.Checkpoints}: {@code read} gives a state dict, {@code
 * load} a {@link dev.ltrp.core.checkpoint.Checkpoint} (format, tensors and metadata from one read),
 * from a file or from a stream held in memory within a stated size limit. Files are untrusted
 * input: PyTorch pickles are interpreted by a reader that executes nothing and accepts only an
 * allow-list of globals ({@link dev.ltrp.core.checkpoint.pickle.SafePickleReader}), every size and
 * offset is checked against the file before memory is allocated, and every problem is a checked
 * {@link dev.ltrp.core.checkpoint.CheckpointFormatException} naming the tensor or byte offset.
 *
 * <p>Readers and writers are stateless and thread-safe; values are immutable.
 */
package dev.ltrp.core.checkpoint;
