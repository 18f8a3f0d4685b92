/**
 * The LTRP oracle on ND4J: {@link dev.ltrp.nd4j.oracle.MaeScoreOracle} scores visible patches by
 * how much the MAE's reconstruction of the masked patches changes without them, all leave-one-out
 * passes of a batch of images at once.
 */
package dev.ltrp.nd4j.oracle;
