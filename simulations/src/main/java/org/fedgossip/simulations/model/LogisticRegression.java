package org.fedgossip.simulations.model;

import java.util.SplittableRandom;
import org.fedgossip.simulations.SeededGaussian;
import org.fedgossip.simulations.data.Dataset;

/**
 * Binary logistic regression: p(y = 1 | x) = σ(wᵀx + b), trained on cross-entropy.
 *
 * <p>Parameter layout (dimension D + 1): the weights w at [0, D), then the bias b at D. The loss of
 * one sample with logit z is log(1 + e^z) − y·z, computed as max(z, 0) − y·z + log1p(e^−|z|) so it
 * neither overflows nor loses precision (Bishop 2006, §4.3.2); its gradient is (σ(z) − y)·(x, 1).
 * Initial weights are N(0, 0.01²) from the seed, bias zero. Requires exactly two classes.
 */
public final class LogisticRegression extends SgdTrainer {

  /** Standard deviation of the initial weights. */
  public static final double INIT_STD = 0.01;

  private final int features;
  private double probability;

  /**
   * Creates the model over one peer's rows.
   *
   * @param train the data set holding this peer's rows, with exactly 2 classes
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param config SGD hyper-parameters
   * @param seed the seed of initialisation and minibatch order
   * @throws IllegalArgumentException if the data set does not have 2 classes
   */
  public LogisticRegression(Dataset train, int[] rows, Dataset eval, SgdConfig config, long seed) {
    this(train, rows, eval, config, seed, seed);
  }

  /**
   * Creates the model over one peer's rows with separate seeds for the initial weights and the
   * minibatch order (see {@link SgdTrainer}).
   *
   * @param train the data set holding this peer's rows, with exactly 2 classes
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param config SGD hyper-parameters
   * @param modelSeed the seed of the initial weights, the same on every process of a federation
   * @param orderSeed the seed of the minibatch order
   * @throws IllegalArgumentException if the data set does not have 2 classes
   */
  public LogisticRegression(
      Dataset train, int[] rows, Dataset eval, SgdConfig config, long modelSeed, long orderSeed) {
    super(train, rows, eval, config, modelSeed, orderSeed, requireBinary(train).featureCount() + 1);
    this.features = train.featureCount();
  }

  private static Dataset requireBinary(Dataset train) {
    if (train.classes() != 2) {
      throw new IllegalArgumentException(
          "LogisticRegression needs classes = 2, got " + train.classes());
    }
    return train;
  }

  @Override
  protected void initialize(float[] w, SplittableRandom random) {
    for (int j = 0; j < features; j++) {
      w[j] = (float) (INIT_STD * SeededGaussian.standardNormal(random));
    }
  }

  @Override
  protected double forward(float[] w, float[] x, int offset, int label) {
    int d = features;
    float z = w[d];
    for (int j = 0; j < d; j++) {
      z += w[j] * x[offset + j];
    }
    double zd = z;
    probability = zd >= 0 ? 1 / (1 + Math.exp(-zd)) : Math.exp(zd) / (1 + Math.exp(zd));
    return Math.max(zd, 0) - label * zd + Math.log1p(Math.exp(-Math.abs(zd)));
  }

  @Override
  protected int predicted() {
    return probability >= 0.5 ? 1 : 0;
  }

  @Override
  protected double accumulate(float[] w, float[] x, int offset, int label, float[] g) {
    double loss = forward(w, x, offset, label);
    int d = features;
    float err = (float) (probability - label);
    for (int j = 0; j < d; j++) {
      g[j] += err * x[offset + j];
    }
    g[d] += err;
    return loss;
  }
}
