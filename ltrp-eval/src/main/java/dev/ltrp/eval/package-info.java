/**
 * The downstream evaluation of patch rankers ({@code ltrp eval}): the paper's protocol, where every
 * ranker gets its own classifier fine-tuned from the teacher's encoder on the patches that ranker
 * keeps ({@link dev.ltrp.eval.downstream.DownstreamEvaluation} over a {@link
 * dev.ltrp.eval.data.LabeledDataset}), the teacher's quality ({@link dev.ltrp.eval.TeacherQuality})
 * and the committed Fashion-MNIST models ({@link dev.ltrp.eval.EvalModels}); charts are drawn with
 * JFreeChart ({@link dev.ltrp.eval.ResultPlots}). It depends on ltrp-api, ltrp-core and ltrp-nd4j;
 * only the command line depends on it, and ltrp-nd4j must not (the Maven enforcer bans it there).
 */
package dev.ltrp.eval;
