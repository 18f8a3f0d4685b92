/**
 * The evaluation's ViT image classifier: {@link dev.ltrp.eval.classifier.VitClassifier} trains with
 * random patch dropping or fine-tunes from a MAE encoder on a ranker's selections, classifies only
 * the patches a ranker kept (token dropping), and offers its class-token attention as the
 * "supervised" ranker; {@code ClassifierGraph} is its SameDiff training graph. Used by {@link
 * dev.ltrp.eval.downstream.DownstreamEvaluation}; not a general classification API. It builds on
 * ltrp-nd4j's {@code dev.ltrp.nd4j.internal} graph and training code and so exposes ND4J/SameDiff
 * types.
 */
package dev.ltrp.eval.classifier;
