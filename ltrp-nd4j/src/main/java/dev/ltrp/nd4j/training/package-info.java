/**
 * Training on ND4J: self-supervised MAE pretraining ({@link dev.ltrp.nd4j.training.MaePretrainer})
 * and the LTRP ranker's training ({@link dev.ltrp.nd4j.training.RankerTrainer}) on the oracle's
 * targets ({@link dev.ltrp.core.training.PseudoLabels}: online from a {@link
 * dev.ltrp.api.ScoreOracle}, or offline from stored score maps), with resumable atomic checkpoints
 * ({@link dev.ltrp.nd4j.training.TrainingCheckpoint}), a metrics log, held-out validation, and a
 * clean stop on a non-finite loss ({@link dev.ltrp.nd4j.training.TrainingDivergedException}). It
 * builds on ltrp-core's engine-free training state and schedule and on the graphs of {@code
 * dev.ltrp.nd4j.internal.training}; the command line, the evaluation and the examples use it.
 */
package dev.ltrp.nd4j.training;
