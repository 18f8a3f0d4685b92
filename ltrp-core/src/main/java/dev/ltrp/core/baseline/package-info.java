/**
 * Baseline rankers that share the {@link dev.ltrp.api.PatchRanker} interface with the learned LTRP
 * model, so that every ranking can be kept with the same {@link
 * dev.ltrp.core.selection.TopKReducer} and scored with the same {@link
 * dev.ltrp.core.metrics.RankingMetrics}: a seeded {@link dev.ltrp.core.baseline.RandomRanker random
 * order}, {@link dev.ltrp.core.baseline.PixelVarianceRanker pixel variance}, {@link
 * dev.ltrp.core.baseline.DpcKnnRanker DPC-KNN center-likeness}, and the {@link
 * dev.ltrp.core.baseline.OracleRanker oracle itself} as an (expensive) upper bound.
 */
package dev.ltrp.core.baseline;
