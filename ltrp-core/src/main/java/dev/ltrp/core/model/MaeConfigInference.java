package dev.ltrp.core.model;

import dev.ltrp.core.checkpoint.CheckpointMismatchException;
import dev.ltrp.core.checkpoint.StateDict;
import java.util.Arrays;

/**
 * Reads a MAE's architecture off its tensor shapes, and checks a given architecture against them.
 *
 * <p>Shapes determine every field except the attention head counts. Those are taken from the given
 * configuration, or else from the presets: an encoder of width 768 and depth 12 has 12 heads, 1024
 * and 24 has 16, 1280 and 32 has 16; a 512-wide decoder has 16 heads. Anything else needs an
 * explicit configuration.
 */
public final class MaeConfigInference {

  private MaeConfigInference() {}

  /**
   * The architecture of {@code sd}.
   *
   * @param given the caller's configuration, or null
   * @throws CheckpointMismatchException if a required tensor is missing, the shapes contradict
   *     {@code given} (the message names the field and both values), or the head counts cannot be
   *     inferred
   */
  public static MaeConfig infer(StateDict sd, MaeConfig given) throws CheckpointMismatchException {
    int[] cls = StateDictShapes.shape(sd, "cls_token", "a MAE");
    int[] pos = StateDictShapes.shape(sd, "pos_embed", "a MAE");
    int[] patch = StateDictShapes.shape(sd, "patch_embed.proj.weight", "a MAE");
    int[] decEmbed = StateDictShapes.shape(sd, "decoder_embed.weight", "a MAE");
    int[] fc1 = StateDictShapes.shape(sd, "blocks.0.mlp.fc1.weight", "a MAE");
    if (cls.length != 3
        || pos.length != 3
        || patch.length != 4
        || decEmbed.length != 2
        || fc1.length != 2) {
      throw CheckpointMismatchException.incompatible(
          "unexpected tensor ranks: cls_token "
              + Arrays.toString(cls)
              + ", pos_embed "
              + Arrays.toString(pos)
              + ", patch_embed.proj.weight "
              + Arrays.toString(patch));
    }
    int embedDim = cls[2];
    int inChans = patch[1];
    int patchSize = patch[2];
    int imgSize = StateDictShapes.squareSide(pos[1] - 1, "pos_embed") * patchSize;
    int depth = StateDictShapes.countBlocks(sd, "blocks.");
    int decoderDepth = StateDictShapes.countBlocks(sd, "decoder_blocks.");
    int decoderEmbedDim = decEmbed[0];
    double mlpRatio = fc1[0] / (double) embedDim;

    int numHeads;
    int decoderNumHeads;
    if (given != null) {
      numHeads = given.numHeads();
      decoderNumHeads = given.decoderNumHeads();
    } else {
      numHeads = presetHeads(embedDim, depth);
      decoderNumHeads = decoderEmbedDim == 512 ? 16 : -1;
      if (numHeads < 0 || decoderNumHeads < 0) {
        throw CheckpointMismatchException.incompatible(
            "cannot infer the attention head counts of a MAE"
                + " with embed_dim "
                + embedDim
                + ", depth "
                + depth
                + " and decoder_embed_dim "
                + decoderEmbedDim
                + " from tensor shapes; pass its configuration (a JSON file with"
                + " num_heads and decoder_num_heads)");
      }
    }
    MaeConfig inferred;
    try {
      inferred =
          new MaeConfig(
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
              given != null && given.normPixLoss());
    } catch (IllegalArgumentException e) {
      throw CheckpointMismatchException.incompatible(
          "checkpoint shapes give an invalid MAE: " + e.getMessage());
    }
    if (given != null) {
      StateDictShapes.compare("img_size", given.imgSize(), inferred.imgSize());
      StateDictShapes.compare("patch_size", given.patchSize(), inferred.patchSize());
      StateDictShapes.compare("in_chans", given.inChans(), inferred.inChans());
      StateDictShapes.compare("embed_dim", given.embedDim(), inferred.embedDim());
      StateDictShapes.compare("depth", given.depth(), inferred.depth());
      StateDictShapes.compare(
          "decoder_embed_dim", given.decoderEmbedDim(), inferred.decoderEmbedDim());
      StateDictShapes.compare("decoder_depth", given.decoderDepth(), inferred.decoderDepth());
      if (given.mlpHidden() != inferred.mlpHidden()) {
        throw CheckpointMismatchException.incompatible(
            "the configuration says mlp_ratio "
                + given.mlpRatio()
                + " but the checkpoint's MLP width gives "
                + inferred.mlpRatio());
      }
      return given;
    }
    return inferred;
  }

  private static int presetHeads(int embedDim, int depth) {
    if (embedDim == 768 && depth == 12) {
      return 12;
    }
    if (embedDim == 1024 && depth == 24) {
      return 16;
    }
    if (embedDim == 1280 && depth == 32) {
      return 16;
    }
    return -1;
  }
}
