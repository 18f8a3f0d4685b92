package dev.ltrp.core.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts Hugging Face {@code ViTMAEForPreTraining} checkpoints (for example {@code
 * facebook/vit-mae-base}) to the tensor names of the reference MAE implementation, which the rest
 * of this SDK uses.
 *
 * <p>Names map one to one ({@code vit.embeddings.position_embeddings} → {@code pos_embed}, {@code
 * vit.encoder.layer.i.layernorm_before.*} → {@code blocks.i.norm1.*}, {@code
 * decoder.decoder_layers.i.intermediate.dense.*} → {@code decoder_blocks.i.mlp.fc1.*}, ...), except
 * that each layer's separate {@code attention.attention.{query,key,value}} linear layers become one
 * {@code attn.qkv} layer: its weight {@code [3D, D]} is the rows of query, then key, then value,
 * and its bias {@code [3D]} likewise, which is the row order the reference splits {@code qkv} in.
 * Values are not changed.
 *
 * <pre>{@code
 * StateDict weights = HfMaeNames.toReferenceIfHf(Checkpoints.read(path));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class HfMaeNames {

  private static final Map<String, String> GLOBAL_NAMES =
      Map.ofEntries(
          Map.entry("vit.embeddings.cls_token", "cls_token"),
          Map.entry("vit.embeddings.position_embeddings", "pos_embed"),
          Map.entry("vit.embeddings.patch_embeddings.projection.weight", "patch_embed.proj.weight"),
          Map.entry("vit.embeddings.patch_embeddings.projection.bias", "patch_embed.proj.bias"),
          Map.entry("vit.layernorm.weight", "norm.weight"),
          Map.entry("vit.layernorm.bias", "norm.bias"),
          Map.entry("decoder.decoder_embed.weight", "decoder_embed.weight"),
          Map.entry("decoder.decoder_embed.bias", "decoder_embed.bias"),
          Map.entry("decoder.mask_token", "mask_token"),
          Map.entry("decoder.decoder_pos_embed", "decoder_pos_embed"),
          Map.entry("decoder.decoder_norm.weight", "decoder_norm.weight"),
          Map.entry("decoder.decoder_norm.bias", "decoder_norm.bias"),
          Map.entry("decoder.decoder_pred.weight", "decoder_pred.weight"),
          Map.entry("decoder.decoder_pred.bias", "decoder_pred.bias"));

  private static final Map<String, String> LAYER_NAMES =
      Map.ofEntries(
          Map.entry("layernorm_before.weight", "norm1.weight"),
          Map.entry("layernorm_before.bias", "norm1.bias"),
          Map.entry("layernorm_after.weight", "norm2.weight"),
          Map.entry("layernorm_after.bias", "norm2.bias"),
          Map.entry("attention.output.dense.weight", "attn.proj.weight"),
          Map.entry("attention.output.dense.bias", "attn.proj.bias"),
          Map.entry("intermediate.dense.weight", "mlp.fc1.weight"),
          Map.entry("intermediate.dense.bias", "mlp.fc1.bias"),
          Map.entry("output.dense.weight", "mlp.fc2.weight"),
          Map.entry("output.dense.bias", "mlp.fc2.bias"));

  private static final Pattern LAYER =
      Pattern.compile(
          "(vit\\.encoder\\.layer|decoder\\.decoder_layers)\\.(0|[1-9][0-9]{0,5})\\.(.+)");
  private static final Pattern QKV =
      Pattern.compile("attention\\.attention\\.(query|key|value)\\.(weight|bias)");
  private static final String[] PARTS = {"query", "key", "value"};

  private HfMaeNames() {}

  /** Whether {@code stateDict} uses Hugging Face ViTMAE names (it has the HF patch embedding). */
  public static boolean isHfMae(StateDict stateDict) {
    return stateDict.contains("vit.embeddings.patch_embeddings.projection.weight")
        || stateDict.contains("vit.embeddings.cls_token");
  }

  /** {@link #toReference} if {@link #isHfMae}, else {@code stateDict} itself. */
  public static StateDict toReferenceIfHf(StateDict stateDict) throws CheckpointMismatchException {
    return isHfMae(stateDict) ? toReference(stateDict) : stateDict;
  }

  /**
   * The reference name that the Hugging Face tensor {@code hfName} becomes, or contributes to (for
   * query/key/value: the {@code qkv} tensor); empty if it is not a ViTMAE tensor name.
   */
  public static Optional<String> referenceName(String hfName) {
    String global = GLOBAL_NAMES.get(hfName);
    if (global != null) {
      return Optional.of(global);
    }
    Matcher layer = LAYER.matcher(hfName);
    if (!layer.matches()) {
      return Optional.empty();
    }
    String prefix = blockPrefix(layer);
    String sub = layer.group(3);
    String mapped = LAYER_NAMES.get(sub);
    if (mapped != null) {
      return Optional.of(prefix + mapped);
    }
    Matcher qkv = QKV.matcher(sub);
    return qkv.matches() ? Optional.of(prefix + "attn.qkv." + qkv.group(2)) : Optional.empty();
  }

  /**
   * Renames a Hugging Face {@code ViTMAEForPreTraining} state dict to reference MAE names,
   * concatenating query, key and value. Tensors keep their relative order; each {@code qkv} tensor
   * takes the place of its query tensor. A checkpoint without the decoder (or without any other
   * part) converts what it has: checking completeness is the model loader's job.
   *
   * @throws CheckpointMismatchException if a tensor has no reference name (all such names are
   *     listed: nothing is dropped silently), if a layer lacks one of query, key and value, or if
   *     their shapes differ
   */
  public static StateDict toReference(StateDict hf) throws CheckpointMismatchException {
    Map<String, Object> out = new LinkedHashMap<>(); // Tensor, or String[3] of HF names for qkv
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : hf.asMap().entrySet()) {
      String name = e.getKey();
      Optional<String> ref = referenceName(name);
      if (ref.isEmpty()) {
        unknown.add(name);
        continue;
      }
      Matcher layer = LAYER.matcher(name);
      Matcher qkv = layer.matches() ? QKV.matcher(layer.group(3)) : null;
      if (qkv != null && qkv.matches()) {
        String[] parts = (String[]) out.computeIfAbsent(ref.get(), k -> new String[3]);
        parts[List.of(PARTS).indexOf(qkv.group(1))] = name;
      } else {
        out.put(ref.get(), e.getValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw CheckpointMismatchException.unexpected(
          unknown, "not Hugging Face ViTMAEForPreTraining tensors");
    }
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : out.entrySet()) {
      tensors.put(
          e.getKey(),
          e.getValue() instanceof Tensor t
              ? t
              : concatenateRows(hf, e.getKey(), (String[]) e.getValue()));
    }
    return StateDict.wrap(tensors);
  }

  /** Query, key and value stacked along dimension 0. */
  private static Tensor concatenateRows(StateDict hf, String qkvName, String[] names)
      throws CheckpointMismatchException {
    String some = names[0] != null ? names[0] : names[1] != null ? names[1] : names[2];
    String base =
        some.substring(0, some.lastIndexOf(".attention.attention.") + 1) + "attention.attention.";
    String kind = qkvName.substring(qkvName.lastIndexOf('.') + 1);
    Tensor[] parts = new Tensor[3];
    for (int i = 0; i < 3; i++) {
      parts[i] = hf.require(base + PARTS[i] + "." + kind); // names a missing part
    }
    int[] shape = parts[0].shape();
    if (shape.length == 0 || parts[0].size() > TorchTensors.MAX_ELEMENTS / 3) {
      throw CheckpointMismatchException.incompatible(
          "tensor "
              + base
              + "query."
              + kind
              + " of shape "
              + Arrays.toString(shape)
              + " cannot be stacked into "
              + qkvName);
    }
    for (int i = 1; i < 3; i++) {
      if (!parts[i].hasShape(shape)) {
        throw CheckpointMismatchException.wrongShape(
            base + PARTS[i] + "." + kind, parts[i].shape(), shape);
      }
    }
    int n = parts[0].data().length;
    float[] data = new float[3 * n];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(parts[i].data(), 0, data, i * n, n);
    }
    int[] stacked = shape.clone();
    stacked[0] = 3 * shape[0];
    return Tensor.wrap(stacked, data, parts[0].sourceDType());
  }

  private static String blockPrefix(Matcher layer) {
    return (layer.group(1).startsWith("vit") ? "blocks." : "decoder_blocks.")
        + layer.group(2)
        + ".";
  }
}
