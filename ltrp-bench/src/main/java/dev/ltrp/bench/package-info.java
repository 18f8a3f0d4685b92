/**
 * JMH benchmarks of the engine: the oracle's batched leave-one-out scoring ({@link
 * dev.ltrp.bench.OracleBenchmark}), the ranker's forward pass and {@code keepTopK}, plain and
 * hybrid ({@link dev.ltrp.bench.RankerBenchmark}), one ranker training step ({@link
 * dev.ltrp.bench.TrainingStepBenchmark}) and the machine's float32 GEMM peak as their baseline
 * ({@link dev.ltrp.bench.SgemmBaseline}). It depends on ltrp-api, ltrp-core and ltrp-nd4j
 * (including its {@code dev.ltrp.nd4j.internal} graphs, to time a training step without the
 * trainer), and nothing depends on it.
 */
package dev.ltrp.bench;
