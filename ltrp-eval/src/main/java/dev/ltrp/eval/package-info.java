/**
 * The downstream evaluation of LTRP at CPU scale on Fashion-MNIST ({@link
 * dev.ltrp.eval.LtrpEvaluation}, sized by {@link dev.ltrp.eval.EvaluationSettings}): it pretrains a
 * MAE, trains an LTRP ranker from its oracle and a ViT classifier, then compares the accuracy with
 * only the kept patches and the ranking quality of LTRP, the hybrid, the oracle and the baselines;
 * its numbers are an {@link dev.ltrp.eval.EvaluationReport} (with a Markdown rendering) and its
 * charts are drawn with JFreeChart ({@link dev.ltrp.eval.ResultPlots}). It depends on ltrp-api,
 * ltrp-core and ltrp-nd4j; only the command line ({@code ltrp eval}) depends on it, and ltrp-nd4j
 * must not (the Maven enforcer bans it there).
 */
package dev.ltrp.eval;
