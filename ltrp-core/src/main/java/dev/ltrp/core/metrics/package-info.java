/**
 * How well a ranking agrees with the oracle: rank correlations ({@link
 * dev.ltrp.core.metrics.RankingMetrics#kendallTauB Kendall's τ-b}, {@link
 * dev.ltrp.core.metrics.RankingMetrics#spearmanRho Spearman's ρ}) and top-of-list measures ({@link
 * dev.ltrp.core.metrics.RankingMetrics#ndcgAtK NDCG@k}, {@link
 * dev.ltrp.core.metrics.RankingMetrics#topKOverlap top-k overlap}), gathered per image in a {@link
 * dev.ltrp.core.metrics.RankingReport} and averaged over a data set.
 */
package dev.ltrp.core.metrics;
