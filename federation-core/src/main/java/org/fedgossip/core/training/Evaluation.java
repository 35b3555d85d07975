package org.fedgossip.core.training;

/**
 * The evaluation of a model on a data set: mean loss, accuracy and the number of samples.
 *
 * @param loss mean loss per sample (cross-entropy in nats for the bundled models), finite and ≥ 0
 * @param accuracy fraction of correctly classified samples, in [0, 1]
 * @param count number of evaluated samples, ≥ 0
 */
public record Evaluation(double loss, double accuracy, long count) {

  /**
   * Validates the evaluation.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public Evaluation {
    if (!(loss >= 0) || Double.isInfinite(loss)) {
      throw new IllegalArgumentException("loss must be finite and >= 0, got " + loss);
    }
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
  }
}
