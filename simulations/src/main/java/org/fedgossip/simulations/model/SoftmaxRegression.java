package org.fedgossip.simulations.model;

import java.util.SplittableRandom;
import org.fedgossip.simulations.SeededGaussian;
import org.fedgossip.simulations.data.Dataset;

/**
 * Multinomial logistic regression: p(y = c | x) = softmax(W x + b)_c, trained on cross-entropy.
 *
 * <p>Parameter layout (dimension C·D + C for C classes and D features): W row-major, class c's
 * weights at [c·D, (c + 1)·D), then the biases b at [C·D, C·D + C). Softmax and loss use the
 * log-sum-exp shift by the largest logit, so no exponent overflows (Bishop, Pattern Recognition and
 * Machine Learning, 2006, §4.3.4). The gradient of one sample is (p − onehot(y)) xᵀ for W and p −
 * onehot(y) for b. Initial weights are N(0, 0.01²) from the seed, biases zero.
 */
public final class SoftmaxRegression extends SgdTrainer {

  /** Standard deviation of the initial weights. */
  public static final double INIT_STD = 0.01;

  private final int features;
  private final int classes;
  private final float[] logits;

  /**
   * Creates the model over one peer's rows.
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param config SGD hyper-parameters
   * @param seed the seed of initialisation and minibatch order
   */
  public SoftmaxRegression(Dataset train, int[] rows, Dataset eval, SgdConfig config, long seed) {
    this(train, rows, eval, config, seed, seed);
  }

  /**
   * Creates the model over one peer's rows with separate seeds for the initial weights and the
   * minibatch order (see {@link SgdTrainer}).
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param config SGD hyper-parameters
   * @param modelSeed the seed of the initial weights, the same on every process of a federation
   * @param orderSeed the seed of the minibatch order
   */
  public SoftmaxRegression(
      Dataset train, int[] rows, Dataset eval, SgdConfig config, long modelSeed, long orderSeed) {
    super(
        train,
        rows,
        eval,
        config,
        modelSeed,
        orderSeed,
        dimensionFor(train.featureCount(), train.classes()));
    this.features = train.featureCount();
    this.classes = train.classes();
    this.logits = new float[classes];
  }

  /**
   * The number of parameters for D features and C classes: C·D + C.
   *
   * @param features D, ≥ 1
   * @param classes C, ≥ 2
   * @return the dimension
   */
  public static int dimensionFor(int features, int classes) {
    long d = (long) classes * features + classes;
    if (d > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("classes * (features + 1) must fit in an array, got " + d);
    }
    return (int) d;
  }

  @Override
  protected void initialize(float[] w, SplittableRandom random) {
    int n = classes * features;
    for (int j = 0; j < n; j++) {
      w[j] = (float) (INIT_STD * SeededGaussian.standardNormal(random));
    }
  }

  @Override
  protected double forward(float[] w, float[] x, int offset, int label) {
    int d = features;
    int biasBase = classes * d;
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      int base = c * d;
      float z = w[biasBase + c];
      for (int j = 0; j < d; j++) {
        z += w[base + j] * x[offset + j];
      }
      logits[c] = z;
      if (z > max) {
        max = z;
      }
    }
    double shiftedLabelLogit = (double) logits[label] - max;
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      double e = Math.exp(logits[c] - max);
      sum += e;
      logits[c] = (float) e;
    }
    // logits now hold exp(z_c - max); normalise them into probabilities.
    float inv = (float) (1.0 / sum);
    for (int c = 0; c < classes; c++) {
      logits[c] *= inv;
    }
    // −log p_y = log Σ exp(z_c − max) − (z_y − max), finite for any logits.
    return Math.log(sum) - shiftedLabelLogit;
  }

  @Override
  protected int predicted() {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (logits[c] > logits[best]) {
        best = c;
      }
    }
    return best;
  }

  @Override
  protected double accumulate(float[] w, float[] x, int offset, int label, float[] g) {
    double loss = forward(w, x, offset, label);
    int d = features;
    int biasBase = classes * d;
    for (int c = 0; c < classes; c++) {
      float err = logits[c] - (c == label ? 1f : 0f);
      int base = c * d;
      for (int j = 0; j < d; j++) {
        g[base + j] += err * x[offset + j];
      }
      g[biasBase + c] += err;
    }
    return loss;
  }
}
