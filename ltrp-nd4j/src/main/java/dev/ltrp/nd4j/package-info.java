/**
 * The ND4J engine module's entry points: {@link dev.ltrp.nd4j.DefaultModels} loads the models
 * bundled in the optional ltrp-models artifact from the class path and provides the reducer behind
 * {@code RedundancyReducer.loadDefault()}; {@link dev.ltrp.nd4j.Backends} reports and checks which
 * ND4J backend (CPU, or CUDA with the {@code -Pcuda} profile) runs the models. The oracle, the
 * ranker and the trainers are in the subpackages {@code oracle}, {@code ranker} and {@code
 * training}; the SameDiff graphs behind them are in {@code internal}, which is not API. ltrp-nd4j
 * depends on ltrp-api and ltrp-core; ltrp-eval, ltrp-cli, ltrp-bench and the examples depend on it,
 * and the Maven enforcer keeps ltrp-eval, ltrp-cli, JFreeChart, picocli and a compile or runtime
 * ltrp-models out of it.
 */
package dev.ltrp.nd4j;
