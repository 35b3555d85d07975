package org.fedgossip.simulations.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.Shuffle;

/**
 * Seeded minibatch SGD over one peer's rows of a data set, shared by the bundled models; a subclass
 * supplies the forward pass, the per-sample gradient and the initial weights.
 *
 * <p>Determinism: the initial weights come from {@code SplittableRandom(modelSeed)}, the minibatch
 * order of round r from a stream derived from (orderSeed, r) only, and all arithmetic runs in a
 * fixed order on one thread, so equal inputs give equal deltas bit for bit. A federation gives
 * every process the same model seed (so all start from the same weights) and each peer its own
 * order seed; the single-seed constructors use one seed for both. The trainer keeps its weight,
 * gradient and order buffers between calls: it is confined to one thread.
 *
 * <p>The training rows are a view: the data set is shared, read-only, and only the row indices
 * belong to this peer.
 */
public abstract class SgdTrainer implements LocalTrainer {

  /** Golden-ratio increment used to derive a per-round seed from the trainer seed. */
  private static final long ROUND_GAMMA = 0x9E3779B97F4A7C15L;

  private final Dataset train;
  private final int[] rows;
  private final Dataset eval;
  private final SgdConfig config;
  private final long modelSeed;
  private final long orderSeed;
  private final int dimension;
  private final float[] weights;
  private final float[] gradient;
  private final int[] order;

  /**
   * Creates the trainer.
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train, each in [0, train.rows()); copied
   * @param eval the data set evaluated by {@link #evaluate}, same features and classes
   * @param config SGD hyper-parameters
   * @param seed the seed of initialisation and minibatch order
   * @param dimension the number of parameters, ≥ 1
   * @throws IllegalArgumentException if a row index is out of range or the data sets disagree
   */
  protected SgdTrainer(
      Dataset train, int[] rows, Dataset eval, SgdConfig config, long seed, int dimension) {
    this(train, rows, eval, config, seed, seed, dimension);
  }

  /**
   * Creates the trainer with separate seeds for the initial weights and the minibatch order.
   *
   * @param train the data set holding this peer's rows
   * @param rows this peer's row indices into train, each in [0, train.rows()); copied
   * @param eval the data set evaluated by {@link #evaluate}, same features and classes
   * @param config SGD hyper-parameters
   * @param modelSeed the seed of {@link #initialWeights()}, the same on every process of a
   *     federation
   * @param orderSeed the seed of the minibatch order, usually different on every peer
   * @param dimension the number of parameters, ≥ 1
   * @throws IllegalArgumentException if a row index is out of range or the data sets disagree
   */
  protected SgdTrainer(
      Dataset train,
      int[] rows,
      Dataset eval,
      SgdConfig config,
      long modelSeed,
      long orderSeed,
      int dimension) {
    this.train = Objects.requireNonNull(train, "train");
    this.rows = Objects.requireNonNull(rows, "rows").clone();
    this.eval = Objects.requireNonNull(eval, "eval");
    this.config = Objects.requireNonNull(config, "config");
    if (eval.featureCount() != train.featureCount() || eval.classes() != train.classes()) {
      throw new IllegalArgumentException(
          "eval must match train's featureCount/classes "
              + train.featureCount()
              + "/"
              + train.classes()
              + ", got "
              + eval.featureCount()
              + "/"
              + eval.classes());
    }
    for (int r : this.rows) {
      if (r < 0 || r >= train.rows()) {
        throw new IllegalArgumentException(
            "row index must be in [0, " + train.rows() + "), got " + r);
      }
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    this.modelSeed = modelSeed;
    this.orderSeed = orderSeed;
    this.dimension = dimension;
    this.weights = new float[dimension];
    this.gradient = new float[dimension];
    this.order = new int[this.rows.length];
  }

  @Override
  public final int dimension() {
    return dimension;
  }

  @Override
  public final float[] initialWeights() {
    float[] w = new float[dimension];
    initialize(w, new SplittableRandom(modelSeed));
    return w;
  }

  /**
   * The number of local training rows, the sample count of every delta.
   *
   * @return rows, ≥ 0
   */
  public final int localRows() {
    return rows.length;
  }

  /**
   * The SGD hyper-parameters.
   *
   * @return the config
   */
  public final SgdConfig config() {
    return config;
  }

  /**
   * Runs local SGD from the global weights and returns new − global with the local row count.
   *
   * <p>Round r shuffles with a stream derived from (orderSeed, r) only, so a replayed round gives
   * the same delta bit for bit.
   *
   * @throws IllegalStateException if SGD diverged to a non-finite weight (learning rate too high)
   */
  @Override
  public final TrainingResult train(float[] globalWeights, long round) {
    checkWeights(globalWeights, "globalWeights");
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0, got " + round);
    }
    float[] w = weights;
    float[] g = gradient;
    System.arraycopy(globalWeights, 0, w, 0, dimension);
    int n = rows.length;
    if (n > 0) {
      SplittableRandom random = new SplittableRandom(orderSeed + ROUND_GAMMA * (round + 1));
      int batch = config.batchSize();
      long steps =
          config.localSteps() > 0
              ? config.localSteps()
              : (long) config.localEpochs() * ((n + batch - 1) / batch);
      float lr = config.learningRate();
      float decay = 1f - lr * config.weightDecay();
      float[] x = train.features();
      int[] labels = train.labels();
      int stride = train.featureCount();
      int pos = n;
      for (long s = 0; s < steps; s++) {
        if (pos >= n) {
          System.arraycopy(rows, 0, order, 0, n);
          Shuffle.inPlace(order, random);
          pos = 0;
        }
        int end = Math.min(pos + batch, n);
        Arrays.fill(g, 0f);
        for (int i = pos; i < end; i++) {
          int r = order[i];
          accumulate(w, x, r * stride, labels[r], g);
        }
        float scale = lr / (end - pos);
        for (int j = 0; j < dimension; j++) {
          w[j] = decay * w[j] - scale * g[j];
        }
        pos = end;
      }
    }
    float[] delta = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      delta[j] = w[j] - globalWeights[j];
      if (!Float.isFinite(delta[j])) {
        throw new IllegalStateException(
            "local training diverged: parameter "
                + j
                + " became "
                + w[j]
                + "; lower learningRate (now "
                + config.learningRate()
                + ") or check the features' scale");
      }
    }
    return new TrainingResult(delta, n);
  }

  @Override
  public final Evaluation evaluate(float[] weights) {
    return evaluateOn(weights, eval);
  }

  /**
   * Evaluates the weights on any data set with the same features and classes: mean loss (nats) and
   * accuracy over all its rows.
   *
   * @param w the weights, length {@link #dimension()}
   * @param data the data set
   * @return the evaluation; loss 0 and accuracy 0 for an empty data set
   */
  public final Evaluation evaluateOn(float[] w, Dataset data) {
    checkWeights(w, "weights");
    if (data.featureCount() != train.featureCount()) {
      throw new IllegalArgumentException(
          "data featureCount must be " + train.featureCount() + ", got " + data.featureCount());
    }
    int n = data.rows();
    if (n == 0) {
      return new Evaluation(0, 0, 0);
    }
    float[] x = data.features();
    int[] labels = data.labels();
    int stride = data.featureCount();
    double loss = 0;
    long correct = 0;
    for (int r = 0; r < n; r++) {
      loss += forward(w, x, r * stride, labels[r]);
      if (predicted() == labels[r]) {
        correct++;
      }
    }
    return new Evaluation(loss / n, (double) correct / n, n);
  }

  /**
   * The mean loss over the given training rows and its exact gradient, without weight decay.
   *
   * <p>For gradient checks and full-batch diagnostics; does not touch the training buffers.
   *
   * @param w the weights, length {@link #dimension()}
   * @param rowIndices rows of the training data set, non-empty
   * @param gradientOut receives the mean gradient, length {@link #dimension()}
   * @return the mean loss in nats
   */
  public final double lossAndGradient(float[] w, int[] rowIndices, float[] gradientOut) {
    checkWeights(w, "weights");
    checkWeights(gradientOut, "gradientOut");
    if (rowIndices.length == 0) {
      throw new IllegalArgumentException("rowIndices must be non-empty");
    }
    Arrays.fill(gradientOut, 0f);
    float[] x = train.features();
    int[] labels = train.labels();
    int stride = train.featureCount();
    double loss = 0;
    for (int r : rowIndices) {
      loss += accumulate(w, x, r * stride, labels[r], gradientOut);
    }
    float inv = 1f / rowIndices.length;
    for (int j = 0; j < dimension; j++) {
      gradientOut[j] *= inv;
    }
    return loss / rowIndices.length;
  }

  /**
   * Fills the initial weights.
   *
   * @param w the array to fill, length {@link #dimension()}, all zero on entry
   * @param random the seeded source
   */
  protected abstract void initialize(float[] w, SplittableRandom random);

  /**
   * Runs the forward pass of one sample and adds its loss gradient to {@code g}.
   *
   * @param w the weights
   * @param x the feature array
   * @param offset where the sample's features start in x
   * @param label the sample's label
   * @param g the gradient accumulator
   * @return the sample's loss in nats
   */
  protected abstract double accumulate(float[] w, float[] x, int offset, int label, float[] g);

  /**
   * Runs the forward pass of one sample and returns its loss; {@link #predicted()} then returns the
   * predicted class.
   *
   * @param w the weights
   * @param x the feature array
   * @param offset where the sample's features start in x
   * @param label the sample's label
   * @return the sample's loss in nats
   */
  protected abstract double forward(float[] w, float[] x, int offset, int label);

  /**
   * The class predicted by the last {@link #forward} call.
   *
   * @return the class index
   */
  protected abstract int predicted();

  private void checkWeights(float[] w, String name) {
    Objects.requireNonNull(w, name);
    if (w.length != dimension) {
      throw new IllegalArgumentException(
          name + " must have length " + dimension + ", got " + w.length);
    }
  }
}
