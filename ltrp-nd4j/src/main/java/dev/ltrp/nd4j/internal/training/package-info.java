/**
 * The training graphs and the optimizer step beneath the trainers: the MAE pretraining graph
 * ({@link dev.ltrp.nd4j.internal.training.MaeTrainingGraph}), the ranker's graph with its ranking
 * loss ({@link dev.ltrp.nd4j.internal.training.RankerTrainingGraph}), a checkpointable AdamW
 * ({@link dev.ltrp.nd4j.internal.training.AdamW}) and one loss-gradient-update step ({@link
 * dev.ltrp.nd4j.internal.training.GradientStep}), and the one training loop every trainer runs
 * ({@link dev.ltrp.nd4j.internal.training.TrainingLoop} over a {@link
 * dev.ltrp.nd4j.internal.training.TrainingTask} on a {@link
 * dev.ltrp.nd4j.internal.training.TrainingSession}); used by {@code dev.ltrp.nd4j.training} and by
 * the evaluation's classifier. Not API: this package may change in any release, it exposes
 * ND4J/SameDiff types, and only ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.training;
