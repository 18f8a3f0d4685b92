package dev.ltrp.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint tensors of a MAE with the reference names and shapes (LTRP-METHOD §6), in the
 * order the reference model registers them.
 */
public final class MaeLayout {

  private MaeLayout() {}

  /** Every tensor a {@link MaeConfig} needs: encoder, then decoder. */
  public static List<TensorSpec> tensors(MaeConfig c) {
    List<TensorSpec> specs = new ArrayList<>(encoderTensors(c));
    specs.addAll(decoderTensors(c));
    return List.copyOf(specs);
  }

  /**
   * The encoder's tensors ({@code cls_token}, {@code pos_embed}, {@code patch_embed}, blocks,
   * norm).
   */
  public static List<TensorSpec> encoderTensors(MaeConfig c) {
    return List.copyOf(VitBlockSpecs.body(c));
  }

  /** The decoder's tensors ({@code decoder_embed}, {@code mask_token}, …, {@code decoder_pred}). */
  public static List<TensorSpec> decoderTensors(MaeConfig c) {
    int dd = c.decoderEmbedDim();
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(TensorSpec.of("decoder_embed.weight", dd, c.embedDim()));
    specs.add(TensorSpec.of("decoder_embed.bias", dd));
    specs.add(TensorSpec.of("mask_token", 1, 1, dd));
    specs.add(TensorSpec.of("decoder_pos_embed", 1, c.numPatches() + 1, dd));
    specs.addAll(
        VitBlockSpecs.blocks("decoder_blocks", c.decoderDepth(), dd, c.decoderMlpHidden()));
    specs.add(TensorSpec.of("decoder_norm.weight", dd));
    specs.add(TensorSpec.of("decoder_norm.bias", dd));
    specs.add(TensorSpec.of("decoder_pred.weight", c.patchDim(), dd));
    specs.add(TensorSpec.of("decoder_pred.bias", c.patchDim()));
    return List.copyOf(specs);
  }
}
