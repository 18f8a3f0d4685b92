package dev.ltrp.nd4j.training;

import dev.ltrp.core.model.RankerWeights;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link RankerTrainer#train()}.
 *
 * @param weights the trained ranker
 * @param losses the loss of each step this call ran, in order
 * @param validations the metric records of each validation (the same keys as the metrics log)
 * @param firstStep the step this call started from (0, or the resumed checkpoint's)
 * @param steps the run's total steps
 */
public record TrainingResult(
    RankerWeights weights,
    List<Double> losses,
    List<Map<String, Object>> validations,
    long firstStep,
    long steps) {}
