package dev.ltrp.core.checkpoint;

/** The checkpoint file formats this package reads, as {@link Checkpoints#detect} tells them. */
public enum CheckpointFormat {
  /** PyTorch ≥ 1.6 {@code torch.save}: a zip archive holding {@code data.pkl} and storages. */
  TORCH_ZIP,
  /** Pre-1.6 {@code torch.save}: consecutive pickles followed by raw storages. */
  TORCH_LEGACY,
  /** Hugging Face safetensors. */
  SAFETENSORS
}
