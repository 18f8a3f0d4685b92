/**
 * The ranking losses of {@link dev.ltrp.core.loss.RankingLoss} as SameDiff ops ({@link
 * dev.ltrp.nd4j.internal.loss.LossGraph}), built only from ops whose ND4J gradients are right and
 * fed by a precomputed {@link dev.ltrp.core.loss.RankingBatch}; the tests check the gradients of
 * every loss by finite differences. Not API: this package may change in any release, it exposes
 * ND4J/SameDiff types, and only ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.loss;
