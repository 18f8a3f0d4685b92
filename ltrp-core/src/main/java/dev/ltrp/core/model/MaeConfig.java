package dev.ltrp.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The architecture of a masked autoencoder (MAE): a ViT encoder and a lightweight ViT decoder, as
 * the reference {@code MaskedAutoencoderViT} constructor describes it.
 *
 * <p>Presets: {@link #base()} (ViT-B/16), {@link #large()} (ViT-L/16), {@link #huge()} (ViT-H/14),
 * all at 224 pixels with the standard decoder (512 wide, 8 blocks, 16 heads). Custom models are
 * described by a small JSON file with the reference constructor's field names, for example:
 *
 * <pre>{@code
 * {"img_size": 32, "patch_size": 4, "in_chans": 3, "embed_dim": 48, "depth": 2, "num_heads": 3,
 *  "decoder_embed_dim": 32, "decoder_depth": 2, "decoder_num_heads": 4, "mlp_ratio": 4.0}
 * }</pre>
 *
 * <p>{@code layerNormEps} is 1e-6 for every MAE (it is not a constructor argument of the reference,
 * but fixed by it). Immutable and thread-safe.
 *
 * @param imgSize side of the square input image in pixels
 * @param patchSize patch side in pixels; must divide {@code imgSize}
 * @param inChans image channels (3 for RGB)
 * @param embedDim encoder width {@code D}
 * @param depth number of encoder blocks
 * @param numHeads encoder attention heads; must divide {@code embedDim}
 * @param decoderEmbedDim decoder width {@code Dd}
 * @param decoderDepth number of decoder blocks
 * @param decoderNumHeads decoder attention heads; must divide {@code decoderEmbedDim}
 * @param mlpRatio MLP hidden width as a multiple of the block width; {@code width · mlpRatio} must
 *     be an integer for both stacks
 * @param normPixLoss whether the model was trained to predict per-patch standardized pixels (the
 *     {@code _full} pretraining checkpoints) rather than normalized pixels (the "visualize"
 *     checkpoints LTRP uses); it changes the scale of the reconstructions, not the computation
 */
public record MaeConfig(
    @JsonProperty("img_size") int imgSize,
    @JsonProperty("patch_size") int patchSize,
    @JsonProperty("in_chans") int inChans,
    @JsonProperty("embed_dim") int embedDim,
    @JsonProperty("depth") int depth,
    @JsonProperty("num_heads") int numHeads,
    @JsonProperty("decoder_embed_dim") int decoderEmbedDim,
    @JsonProperty("decoder_depth") int decoderDepth,
    @JsonProperty("decoder_num_heads") int decoderNumHeads,
    @JsonProperty("mlp_ratio") double mlpRatio,
    @JsonProperty("norm_pix_loss") boolean normPixLoss)
    implements VitShape {

  /** LayerNorm epsilon of every MAE block and final norm. */
  public static final double LAYER_NORM_EPS = 1e-6;

  private static final String[] REQUIRED_FIELDS = {
    "img_size",
    "patch_size",
    "in_chans",
    "embed_dim",
    "depth",
    "num_heads",
    "decoder_embed_dim",
    "decoder_depth",
    "decoder_num_heads",
    "mlp_ratio"
  };

  /** Validates the architecture. */
  @JsonCreator
  public MaeConfig {
    VitShapeChecks.checkBody(
        REQUIRED_FIELDS,
        new int[] {
          imgSize,
          patchSize,
          inChans,
          embedDim,
          depth,
          numHeads,
          decoderEmbedDim,
          decoderDepth,
          decoderNumHeads
        },
        imgSize,
        patchSize,
        embedDim,
        numHeads);
    if (decoderEmbedDim % decoderNumHeads != 0) {
      throw new IllegalArgumentException(
          "decoder_embed_dim "
              + decoderEmbedDim
              + " is not divisible by decoder_num_heads "
              + decoderNumHeads);
    }
    if (!(mlpRatio > 0)
        || !VitShapeChecks.isWhole(embedDim * mlpRatio)
        || !VitShapeChecks.isWhole(decoderEmbedDim * mlpRatio)) {
      throw new IllegalArgumentException(
          "mlp_ratio "
              + mlpRatio
              + " must be positive and give whole MLP widths for embed_dim "
              + embedDim
              + " and decoder_embed_dim "
              + decoderEmbedDim);
    }
  }

  /** A configuration with the given encoder and decoder shapes and normalized-pixel targets. */
  public static MaeConfig of(
      int imgSize,
      int patchSize,
      int inChans,
      int embedDim,
      int depth,
      int numHeads,
      int decoderEmbedDim,
      int decoderDepth,
      int decoderNumHeads,
      double mlpRatio) {
    return new MaeConfig(
        imgSize,
        patchSize,
        inChans,
        embedDim,
        depth,
        numHeads,
        decoderEmbedDim,
        decoderDepth,
        decoderNumHeads,
        mlpRatio,
        false);
  }

  /** MAE with a ViT-B/16 encoder (D 768, 12 blocks, 12 heads) at 224 pixels. */
  public static MaeConfig base() {
    return of(224, 16, 3, 768, 12, 12, 512, 8, 16, 4.0);
  }

  /** MAE with a ViT-L/16 encoder (D 1024, 24 blocks, 16 heads) at 224 pixels. */
  public static MaeConfig large() {
    return of(224, 16, 3, 1024, 24, 16, 512, 8, 16, 4.0);
  }

  /** MAE with a ViT-H/14 encoder (D 1280, 32 blocks, 16 heads) at 224 pixels. */
  public static MaeConfig huge() {
    return of(224, 14, 3, 1280, 32, 16, 512, 8, 16, 4.0);
  }

  /**
   * A preset by name: {@code base}, {@code large} or {@code huge} (case-insensitive; {@code
   * vit_base_patch16} style names are accepted too).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static MaeConfig preset(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("base")
        || n.equals("b")
        || n.startsWith("vit_base")
        || n.startsWith("mae_vit_base")) {
      return base();
    }
    if (n.equals("large")
        || n.equals("l")
        || n.startsWith("vit_large")
        || n.startsWith("mae_vit_large")) {
      return large();
    }
    if (n.equals("huge")
        || n.equals("h")
        || n.startsWith("vit_huge")
        || n.startsWith("mae_vit_huge")) {
      return huge();
    }
    throw new IllegalArgumentException(
        "unknown MAE preset '" + name + "': expected base, large, huge or a JSON config file");
  }

  /**
   * Reads a JSON configuration. Every field except {@code norm_pix_loss} is required; unknown
   * fields are rejected so that a misspelt name does not silently fall back to a default.
   *
   * @throws IOException if the file cannot be read or is not a valid configuration (the message
   *     names the offending field)
   */
  public static MaeConfig readJson(Path file) throws IOException {
    return ConfigJson.read(file, MaeConfig.class, "MAE config", REQUIRED_FIELDS);
  }

  /** Parses a JSON configuration held in a string; {@code source} names it in messages. */
  public static MaeConfig parseJson(String json, String source) throws IOException {
    return ConfigJson.parse(json, source, MaeConfig.class, "MAE config", REQUIRED_FIELDS);
  }

  /**
   * Reads a preset name or, when {@code spec} names an existing file or ends in {@code .json}, a
   * JSON configuration.
   */
  public static MaeConfig fromSpec(String spec) throws IOException {
    return ConfigJson.fromSpec(spec, MaeConfig::readJson, MaeConfig::preset);
  }

  /** Writes this configuration as JSON with the reference field names. */
  public String toJson() {
    return ConfigJson.write(this);
  }

  /**
   * A ViT body of this MAE's encoder shape (grid, channels, width, depth, heads, MLP ratio): the
   * shape whose ranker or classifier can start from this MAE's encoder weights.
   */
  public RankerConfig encoderConfig() {
    return new RankerConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio);
  }

  /** Decoder MLP hidden width. */
  public int decoderMlpHidden() {
    return (int) Math.round(decoderEmbedDim * mlpRatio);
  }

  /** This configuration with {@code normPixLoss} set. */
  public MaeConfig withNormPixLoss(boolean value) {
    return new MaeConfig(
        imgSize,
        patchSize,
        inChans,
        embedDim,
        depth,
        numHeads,
        decoderEmbedDim,
        decoderDepth,
        decoderNumHeads,
        mlpRatio,
        value);
  }
}
