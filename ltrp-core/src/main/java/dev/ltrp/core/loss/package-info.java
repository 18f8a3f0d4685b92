/**
 * The ranking losses, engine-free: which loss to train with ({@link
 * dev.ltrp.core.loss.RankingLoss}: ListMLE, RankNet, ListNet, pointwise) and a batch of ranking
 * lists prepared in plain Java ({@link dev.ltrp.core.loss.RankingBatch}: sorting, top-k sampling
 * and pair targets done here, so that an engine's loss graph only multiplies and reduces). It
 * depends on ltrp-api only; engine modules build the differentiable losses from it (ltrp-nd4j's
 * {@code dev.ltrp.nd4j.internal.loss.LossGraph}) and the command line parses {@code RankingLoss}
 * names.
 */
package dev.ltrp.core.loss;
