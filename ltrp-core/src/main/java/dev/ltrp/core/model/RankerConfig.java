package dev.ltrp.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The architecture of an LTRP ranking model: a ViT whose head maps the normalized class token to
 * one logit per patch position ({@code head = Linear(D, L)}), with fixed sin-cos position
 * embeddings, qkv bias and LayerNorm eps 1e-5 (PyTorch's default, as in the reference).
 *
 * <p>Presets at 224 pixels with 16-pixel patches: {@link #tiny()} (192 wide, 12 blocks, 3 heads),
 * {@link #small()} (384/12/6, the paper's choice), {@link #base()} (768/12/12). Custom models use a
 * JSON file with timm's {@code VisionTransformer} field names:
 *
 * <pre>{@code
 * {"img_size": 32, "patch_size": 4, "in_chans": 3, "embed_dim": 48, "depth": 2, "num_heads": 3,
 *  "mlp_ratio": 4.0}
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param imgSize side of the square input image in pixels
 * @param patchSize patch side in pixels; must divide {@code imgSize}
 * @param inChans image channels
 * @param embedDim token width {@code D}
 * @param depth number of blocks
 * @param numHeads attention heads; must divide {@code embedDim}
 * @param mlpRatio MLP hidden width as a multiple of {@code embedDim}
 */
public record RankerConfig(
    @JsonProperty("img_size") int imgSize,
    @JsonProperty("patch_size") int patchSize,
    @JsonProperty("in_chans") int inChans,
    @JsonProperty("embed_dim") int embedDim,
    @JsonProperty("depth") int depth,
    @JsonProperty("num_heads") int numHeads,
    @JsonProperty("mlp_ratio") double mlpRatio)
    implements VitShape {

  /** LayerNorm epsilon of the ranker (PyTorch's default; the MAE uses 1e-6). */
  public static final double LAYER_NORM_EPS = 1e-5;

  private static final String[] REQUIRED_FIELDS = {
    "img_size", "patch_size", "in_chans", "embed_dim", "depth", "num_heads", "mlp_ratio"
  };

  /** Validates the architecture. */
  public RankerConfig {
    VitShapeChecks.checkBody(
        REQUIRED_FIELDS,
        new int[] {imgSize, patchSize, inChans, embedDim, depth, numHeads},
        imgSize,
        patchSize,
        embedDim,
        numHeads);
    if (embedDim % 4 != 0) {
      throw new IllegalArgumentException(
          "embed_dim " + embedDim + " must be a multiple of 4 for the sin-cos position embedding");
    }
    if (!(mlpRatio > 0) || !VitShapeChecks.isWhole(embedDim * mlpRatio)) {
      throw new IllegalArgumentException(
          "mlp_ratio "
              + mlpRatio
              + " must be positive and give a whole MLP width for embed_dim "
              + embedDim);
    }
  }

  /**
   * The JSON form: timm's field names; the optional {@code num_classes} (the head's width, which
   * timm configs carry) must equal the number of patches.
   */
  @JsonCreator
  static RankerConfig fromJson(
      @JsonProperty("img_size") int imgSize,
      @JsonProperty("patch_size") int patchSize,
      @JsonProperty("in_chans") int inChans,
      @JsonProperty("embed_dim") int embedDim,
      @JsonProperty("depth") int depth,
      @JsonProperty("num_heads") int numHeads,
      @JsonProperty("mlp_ratio") double mlpRatio,
      @JsonProperty("num_classes") Integer numClasses) {
    RankerConfig c =
        new RankerConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio);
    if (numClasses != null && numClasses != c.numPatches()) {
      throw new IllegalArgumentException(
          "num_classes "
              + numClasses
              + " must equal the number of"
              + " patches "
              + c.numPatches()
              + ": the ranker's head has one logit per patch");
    }
    return c;
  }

  /** ViT-Ti/16 ranker at 224 pixels (192 wide, 12 blocks, 3 heads). */
  public static RankerConfig tiny() {
    return new RankerConfig(224, 16, 3, 192, 12, 3, 4.0);
  }

  /** ViT-S/16 ranker at 224 pixels (384 wide, 12 blocks, 6 heads): the paper's ranker. */
  public static RankerConfig small() {
    return new RankerConfig(224, 16, 3, 384, 12, 6, 4.0);
  }

  /** ViT-B/16 ranker at 224 pixels (768 wide, 12 blocks, 12 heads). */
  public static RankerConfig base() {
    return new RankerConfig(224, 16, 3, 768, 12, 12, 4.0);
  }

  /**
   * A preset by name: {@code tiny}, {@code small} or {@code base} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static RankerConfig preset(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "tiny", "ti", "vit_tiny_patch16_224" -> {
        return tiny();
      }
      case "small", "s", "vit_small_patch16_224" -> {
        return small();
      }
      case "base", "b", "vit_base_patch16_224" -> {
        return base();
      }
      default ->
          throw new IllegalArgumentException(
              "unknown ranker preset '"
                  + name
                  + "': expected tiny, small, base or a JSON config file");
    }
  }

  /** Reads a JSON configuration (all fields required, unknown fields rejected). */
  public static RankerConfig readJson(Path file) throws IOException {
    return ConfigJson.read(file, RankerConfig.class, "ranker config", REQUIRED_FIELDS);
  }

  /** Parses a JSON configuration held in a string; {@code source} names it in messages. */
  public static RankerConfig parseJson(String json, String source) throws IOException {
    return ConfigJson.parse(json, source, RankerConfig.class, "ranker config", REQUIRED_FIELDS);
  }

  /** A preset name or, when {@code spec} names a file or ends in {@code .json}, a JSON config. */
  public static RankerConfig fromSpec(String spec) throws IOException {
    return ConfigJson.fromSpec(spec, RankerConfig::readJson, RankerConfig::preset);
  }

  /** This configuration as JSON with timm's field names. */
  public String toJson() {
    return ConfigJson.write(this);
  }
}
