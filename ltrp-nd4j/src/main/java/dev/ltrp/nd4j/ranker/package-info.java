/**
 * Step 2 of LTRP on ND4J: {@link dev.ltrp.nd4j.ranker.VitRanker}, the learned ViT ranker, a {@link
 * dev.ltrp.api.PatchRanker} that scores every patch of an image in one forward pass from {@link
 * dev.ltrp.core.model.RankerWeights}. Its signatures use only ltrp-api and ltrp-core types; it owns
 * native memory, so whoever creates it closes it. Put it behind a reducer with {@link
 * dev.ltrp.core.selection.TopKReducer}.
 */
package dev.ltrp.nd4j.ranker;
