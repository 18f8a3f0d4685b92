/**
 * The LTRP ranking model as a SameDiff graph ({@link dev.ltrp.nd4j.internal.ranker.RankerGraph}): a
 * ViT encoder and {@code head = Linear(D, L)} on the class token, over the whole image or only the
 * visible patches; used by {@link dev.ltrp.nd4j.ranker.VitRanker} for inference and by the ranker's
 * training graph. Not API: this package may change in any release, it exposes ND4J/SameDiff types,
 * and only ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.ranker;
