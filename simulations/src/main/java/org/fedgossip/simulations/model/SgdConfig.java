package org.fedgossip.simulations.model;

/**
 * Hyper-parameters of local minibatch SGD.
 *
 * <p>One local call runs {@code localSteps} minibatch steps if that is positive, otherwise {@code
 * localEpochs} passes over the local rows (the last batch of a pass may be smaller). Rows are
 * reshuffled at the start of every pass. Weight decay adds {@code weightDecay · w} to the gradient
 * of every parameter, biases included (L2 regularisation of strength weightDecay / 2 · ‖w‖²).
 *
 * @param learningRate step size, finite and > 0
 * @param batchSize rows per minibatch, ≥ 1
 * @param localEpochs passes over the local rows per call, ≥ 1 (ignored when localSteps > 0)
 * @param localSteps minibatch steps per call, ≥ 0; 0 means "use localEpochs"
 * @param weightDecay L2 coefficient, finite and ≥ 0
 */
public record SgdConfig(
    float learningRate, int batchSize, int localEpochs, int localSteps, float weightDecay) {

  /** Default step size. */
  public static final float DEFAULT_LEARNING_RATE = 0.1f;

  /** Default minibatch size. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /** The quickstart setting: learning rate 0.1, batch 32, one local epoch, no weight decay. */
  public static final SgdConfig DEFAULT =
      new SgdConfig(DEFAULT_LEARNING_RATE, DEFAULT_BATCH_SIZE, 1, 0, 0f);

  /**
   * Validates the hyper-parameters.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  public SgdConfig {
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be finite and > 0, got " + learningRate);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (localEpochs < 1) {
      throw new IllegalArgumentException("localEpochs must be >= 1, got " + localEpochs);
    }
    if (localSteps < 0) {
      throw new IllegalArgumentException("localSteps must be >= 0, got " + localSteps);
    }
    if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
    }
  }

  /**
   * A copy with another learning rate.
   *
   * @param value the learning rate
   * @return the copy
   */
  public SgdConfig withLearningRate(float value) {
    return new SgdConfig(value, batchSize, localEpochs, localSteps, weightDecay);
  }

  /**
   * A copy with another batch size.
   *
   * @param value the batch size
   * @return the copy
   */
  public SgdConfig withBatchSize(int value) {
    return new SgdConfig(learningRate, value, localEpochs, localSteps, weightDecay);
  }

  /**
   * A copy with another number of local epochs (and localSteps reset to 0).
   *
   * @param value the epochs
   * @return the copy
   */
  public SgdConfig withLocalEpochs(int value) {
    return new SgdConfig(learningRate, batchSize, value, 0, weightDecay);
  }

  /**
   * A copy that runs a fixed number of local steps.
   *
   * @param value the steps, ≥ 1
   * @return the copy
   */
  public SgdConfig withLocalSteps(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("localSteps must be >= 1, got " + value);
    }
    return new SgdConfig(learningRate, batchSize, localEpochs, value, weightDecay);
  }

  /**
   * A copy with another weight decay.
   *
   * @param value the L2 coefficient
   * @return the copy
   */
  public SgdConfig withWeightDecay(float value) {
    return new SgdConfig(learningRate, batchSize, localEpochs, localSteps, value);
  }
}
