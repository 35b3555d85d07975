package org.fedgossip.simulations.model;

import org.fedgossip.simulations.data.Dataset;

/**
 * Builds a trainer for one peer's rows; lets the same code run any bundled model, for example
 * {@code SoftmaxRegression::new} or {@code (t, r, e, c, s) -> new Mlp(t, r, e, 64, c, s)}.
 */
@FunctionalInterface
public interface TrainerFactory {

  /**
   * Creates a trainer.
   *
   * @param train the data set holding the peer's rows
   * @param rows the peer's row indices into train
   * @param eval the data set the trainer evaluates on
   * @param config SGD hyper-parameters
   * @param seed the trainer's seed
   * @return the trainer
   */
  SgdTrainer create(Dataset train, int[] rows, Dataset eval, SgdConfig config, long seed);
}
