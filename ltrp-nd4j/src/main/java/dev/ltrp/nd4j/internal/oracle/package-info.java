/**
 * The oracle's SameDiff inference graph ({@link dev.ltrp.nd4j.internal.oracle.OracleGraph}): MAE
 * encoder, decoder and the L1 score of every leave-one-out reconstruction against its anchor, for a
 * whole {@link dev.ltrp.core.oracle.LeaveOneOutPlan} in one pass; run by {@link
 * dev.ltrp.nd4j.oracle.MaeScoreOracle}. Not API: this package may change in any release, it exposes
 * ND4J/SameDiff types, and only ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.oracle;
