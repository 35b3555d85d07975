package org.fedgossip.simulations.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgossip.simulations.SeededGaussian;
import org.fedgossip.simulations.data.Dataset;

/**
 * A multilayer perceptron with one hidden ReLU layer and a softmax output: p(y | x) = softmax(W₂
 * relu(W₁ x + b₁) + b₂), trained on cross-entropy by backpropagation.
 *
 * <p>Parameter layout for D features, H hidden units and C classes (dimension H·D + H + C·H + C):
 * W₁ row-major (unit h's weights at [h·D, (h + 1)·D)), then b₁ (H), then W₂ row-major (class c's
 * weights over the hidden units), then b₂ (C). Initialisation from the seed: W₁ ~ N(0, 2/D) (He et
 * al. 2015, "Delving deep into rectifiers", §2.2) for the ReLU layer, W₂ ~ N(0, 2/(H + C)) (Glorot
 * and Bengio 2010, eq. 12, normal form) for the linear output, biases zero. The output uses the
 * log-sum-exp shift like {@link SoftmaxRegression}. The ReLU derivative at exactly 0 is taken as 0.
 */
public final class Mlp extends SgdTrainer {

  /** Default number of hidden units. */
  public static final int DEFAULT_HIDDEN = 64;

  private final int features;
  private final int hidden;
  private final int classes;
  private final int b1;
  private final int w2;
  private final int b2;
  private final float[] activation;
  private final float[] probs;
  private final float[] hiddenError;

  /**
   * Creates the model over one peer's rows.
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param hidden number of hidden units, ≥ 1
   * @param config SGD hyper-parameters
   * @param seed the seed of initialisation and minibatch order
   * @throws IllegalArgumentException if hidden is out of range
   */
  public Mlp(Dataset train, int[] rows, Dataset eval, int hidden, SgdConfig config, long seed) {
    this(train, rows, eval, hidden, config, seed, seed);
  }

  /**
   * Creates the model over one peer's rows with separate seeds for the initial weights and the
   * minibatch order (see {@link SgdTrainer}).
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train
   * @param eval the data set evaluated by {@link #evaluate}
   * @param hidden number of hidden units, ≥ 1
   * @param config SGD hyper-parameters
   * @param modelSeed the seed of the initial weights, the same on every process of a federation
   * @param orderSeed the seed of the minibatch order
   * @throws IllegalArgumentException if hidden is out of range
   */
  public Mlp(
      Dataset train,
      int[] rows,
      Dataset eval,
      int hidden,
      SgdConfig config,
      long modelSeed,
      long orderSeed) {
    super(
        train,
        rows,
        eval,
        config,
        modelSeed,
        orderSeed,
        dimensionFor(train.featureCount(), hidden, train.classes()));
    this.features = train.featureCount();
    this.hidden = hidden;
    this.classes = train.classes();
    this.b1 = hidden * features;
    this.w2 = b1 + hidden;
    this.b2 = w2 + classes * hidden;
    this.activation = new float[hidden];
    this.probs = new float[classes];
    this.hiddenError = new float[hidden];
  }

  /**
   * The number of parameters: H·D + H + C·H + C.
   *
   * @param features D, ≥ 1
   * @param hidden H, ≥ 1
   * @param classes C, ≥ 2
   * @return the dimension
   * @throws IllegalArgumentException if hidden is below 1 or the dimension overflows an array
   */
  public static int dimensionFor(int features, int hidden, int classes) {
    if (hidden < 1) {
      throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
    }
    long d = (long) hidden * features + hidden + (long) classes * hidden + classes;
    if (d > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("MLP dimension must fit in an array, got " + d);
    }
    return (int) d;
  }

  @Override
  protected void initialize(float[] w, SplittableRandom random) {
    double std1 = Math.sqrt(2.0 / features);
    for (int j = 0; j < b1; j++) {
      w[j] = (float) (std1 * SeededGaussian.standardNormal(random));
    }
    double std2 = Math.sqrt(2.0 / (hidden + classes));
    for (int j = w2; j < b2; j++) {
      w[j] = (float) (std2 * SeededGaussian.standardNormal(random));
    }
  }

  @Override
  protected double forward(float[] w, float[] x, int offset, int label) {
    int d = features;
    for (int h = 0; h < hidden; h++) {
      int base = h * d;
      float z = w[b1 + h];
      for (int j = 0; j < d; j++) {
        z += w[base + j] * x[offset + j];
      }
      activation[h] = z > 0 ? z : 0f;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      int base = w2 + c * hidden;
      float z = w[b2 + c];
      for (int h = 0; h < hidden; h++) {
        z += w[base + h] * activation[h];
      }
      probs[c] = z;
      if (z > max) {
        max = z;
      }
    }
    double shiftedLabelLogit = (double) probs[label] - max;
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      double e = Math.exp(probs[c] - max);
      sum += e;
      probs[c] = (float) e;
    }
    float inv = (float) (1.0 / sum);
    for (int c = 0; c < classes; c++) {
      probs[c] *= inv;
    }
    return Math.log(sum) - shiftedLabelLogit;
  }

  @Override
  protected int predicted() {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (probs[c] > probs[best]) {
        best = c;
      }
    }
    return best;
  }

  @Override
  protected double accumulate(float[] w, float[] x, int offset, int label, float[] g) {
    double loss = forward(w, x, offset, label);
    Arrays.fill(hiddenError, 0f);
    for (int c = 0; c < classes; c++) {
      float err = probs[c] - (c == label ? 1f : 0f);
      int base = w2 + c * hidden;
      for (int h = 0; h < hidden; h++) {
        g[base + h] += err * activation[h];
        hiddenError[h] += err * w[base + h];
      }
      g[b2 + c] += err;
    }
    int d = features;
    for (int h = 0; h < hidden; h++) {
      if (activation[h] <= 0f) {
        continue;
      }
      float e = hiddenError[h];
      int base = h * d;
      for (int j = 0; j < d; j++) {
        g[base + j] += e * x[offset + j];
      }
      g[b1 + h] += e;
    }
    return loss;
  }
}
