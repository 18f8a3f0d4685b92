package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link MaeWeights} and {@link RankerWeights} hold and do alike: an architecture, its checked
 * tensors, where they came from and their {@link ModelProvenance}, saved as safetensors with the
 * architecture in the metadata and as JSON beside the file. Immutable and thread-safe.
 *
 * @param <C> the architecture
 * @param <W> the concrete weights type, which {@link #withProvenance} returns
 */
public abstract sealed class ModelWeights<C extends VitShape, W extends ModelWeights<C, W>>
    permits MaeWeights, RankerWeights {

  private final C config;
  private final StateDict tensors;
  private final String source;
  private final ModelProvenance provenance;

  ModelWeights(C config, StateDict tensors, String source, ModelProvenance provenance) {
    this.config = config;
    this.tensors = tensors;
    this.source = source;
    this.provenance = provenance;
  }

  /** The same weights carrying {@code provenance} (not null). */
  abstract W copy(ModelProvenance provenance);

  /** The safetensors metadata key under which {@link #save} stores the architecture. */
  abstract String configKey();

  /** What the weights are, for messages ("MAE", "ranker"). */
  abstract String kind();

  /**
   * Saves as {@code file} (safetensors, the architecture and the {@link #provenance()} stamped with
   * this writer's version, commit and time in its metadata) and the architecture as JSON beside it
   * ({@code name.json}); both written atomically.
   *
   * @param dtype F32, or F16/BF16 to halve the file (values rounded to nearest even)
   */
  public void save(Path file, DType dtype) throws IOException {
    SavedModels.save(file, tensors, dtype, configKey(), config.toJson(), provenance);
  }

  /**
   * These weights carrying {@code provenance}, which {@link #save} writes (for example {@link
   * ModelProvenance#training} after a training run).
   */
  public W withProvenance(ModelProvenance provenance) {
    return copy(Objects.requireNonNull(provenance, "provenance"));
  }

  /**
   * Where the weights came from, as far as recorded: read from the file's metadata, set by {@link
   * #withProvenance}, else {@link ModelProvenance#none()}.
   */
  public ModelProvenance provenance() {
    return provenance;
  }

  /** The architecture. */
  public C config() {
    return config;
  }

  /** All tensors, with the reference (MAE) or timm (ranker) names. */
  public StateDict stateDict() {
    return tensors;
  }

  /**
   * The tensor called {@code name}.
   *
   * @throws IllegalArgumentException if the model has no such tensor
   */
  public Tensor tensor(String name) {
    return tensors
        .find(name)
        .orElseThrow(() -> new IllegalArgumentException("no " + kind() + " tensor named " + name));
  }

  /** Where the weights came from (a file name or a description). */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + source + ", " + config + "]";
  }
}
