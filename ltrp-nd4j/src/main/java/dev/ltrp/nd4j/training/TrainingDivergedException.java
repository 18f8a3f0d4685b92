package dev.ltrp.nd4j.training;

/**
 * Training stopped because the loss became NaN or infinite. Nothing of the failed step was applied
 * and the last checkpoint on disk is intact; lower the learning rate or check the data.
 */
public final class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
