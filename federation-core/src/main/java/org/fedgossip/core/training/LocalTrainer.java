package org.fedgossip.core.training;

/**
 * A model trained on one peer's local data: from global weights it produces a delta and the number
 * of samples behind it, and it evaluates weights on a data set it holds.
 *
 * <p>Weights are a flat float32 vector of length {@link #dimension()}. Implementations are
 * deterministic: the same seed, the same global weights and the same round give the same delta bit
 * for bit (the round may select the minibatch order). An instance is confined to one thread; it may
 * keep scratch buffers between calls, so it must not be shared without external synchronisation.
 */
public interface LocalTrainer {

  /**
   * The number of parameters of the model, the length of every weight and delta vector.
   *
   * @return the dimension, ≥ 1
   */
  int dimension();

  /**
   * The starting weights of the federation, derived only from the trainer's seed.
   *
   * @return a new array of length {@link #dimension()}
   */
  float[] initialWeights();

  /**
   * Trains locally, starting from the given global weights, and returns new − global.
   *
   * <p>The argument is not modified.
   *
   * @param globalWeights the current global model, length {@link #dimension()}
   * @param round the federation round, ≥ 0; it seeds the local data order
   * @return the delta and the number of local samples it was computed from
   * @throws IllegalArgumentException if the weights have the wrong length or the round is negative
   */
  TrainingResult train(float[] globalWeights, long round);

  /**
   * Evaluates the given weights on the trainer's evaluation data.
   *
   * <p>The argument is not modified.
   *
   * @param weights the model to evaluate, length {@link #dimension()}
   * @return the mean loss, the accuracy and the number of evaluated samples
   * @throws IllegalArgumentException if the weights have the wrong length
   */
  Evaluation evaluate(float[] weights);
}
