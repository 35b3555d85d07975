package org.fedgossip.simulations.model;

import java.util.Objects;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.simulations.data.TrainTestSplit;

/**
 * Trains a model on the whole training split in one place, the reference a federated result is
 * reported beside: the same model, optimiser and seed, but no partitioning and no aggregation.
 */
public final class CentralizedBaseline {

  private CentralizedBaseline() {}

  /**
   * The outcome of a centralized run.
   *
   * @param weights the trained weights
   * @param test the evaluation on the held-out split
   */
  public record Result(float[] weights, Evaluation test) {

    /**
     * Validates the result.
     *
     * @throws NullPointerException if a component is null
     */
    public Result {
      Objects.requireNonNull(weights, "weights");
      Objects.requireNonNull(test, "test");
    }
  }

  /**
   * Trains from the model's seeded initial weights for {@code epochs} passes over all training
   * rows, then evaluates on the test split.
   *
   * @param factory builds the model
   * @param split the training and held-out data
   * @param config SGD hyper-parameters; its localEpochs and localSteps are replaced
   * @param epochs passes over the training data, ≥ 1
   * @param seed the model's seed
   * @return the trained weights and their held-out evaluation
   * @throws IllegalArgumentException if epochs is below 1
   */
  public static Result train(
      TrainerFactory factory, TrainTestSplit split, SgdConfig config, int epochs, long seed) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    SgdTrainer trainer =
        factory.create(
            split.train(),
            split.train().allRows(),
            split.test(),
            config.withLocalEpochs(epochs),
            seed);
    float[] w = trainer.initialWeights();
    TrainingResult result = trainer.train(w, 0);
    float[] delta = result.delta();
    for (int j = 0; j < w.length; j++) {
      w[j] += delta[j];
    }
    return new Result(w, trainer.evaluate(w));
  }
}
