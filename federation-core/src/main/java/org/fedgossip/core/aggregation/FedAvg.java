package org.fedgossip.core.aggregation;

import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Federated averaging: the mean of the updates weighted by sample count (McMahan et al. 2017,
 * Algorithm 1).
 *
 * <p>Not robust: one Byzantine input moves the output arbitrarily. It accepts any n ≥ 1 and selects
 * every input. Sums are in double per coordinate, in input order.
 */
public final class FedAvg implements AggregationRule {

  private static final String NAME = "FedAvg";

  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param runner where the per-coordinate work runs; the result does not depend on it
   */
  public FedAvg(ParallelRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "fedavg";
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    double[] w = Inputs.weights(NAME, weights, v.length);
    int[] all = new int[v.length];
    java.util.Arrays.setAll(all, i -> i);
    return AggregationResult.allSelected(
        CoordinateBlocks.weightedMean(NAME, v, all, w, runner), v.length);
  }

  @Override
  public void checkInputCount(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(NAME + " needs n >= 1, got n=" + n);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>For the unweighted mean of n inputs, replacing input i by i' moves the output by {@code ‖x_i
   * − x_i'‖/n ≤ 2C/n}.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    return 2 * clipNorm / n;
  }

  /**
   * The L2 sensitivity of the weighted mean when the weights themselves are fixed and public.
   *
   * <p>Replacing input i moves the output by {@code w_i·‖x_i − x_i'‖/Σw ≤ 2C·max(w)/Σw}.
   *
   * @param clipNorm the clipping norm C
   * @param weights the weights, all finite and &gt; 0
   * @return {@code 2C·max(w)/Σw}
   */
  public double l2Sensitivity(double clipNorm, double[] weights) {
    double[] w = Inputs.weights(NAME, weights, weights == null ? 0 : weights.length);
    checkInputCount(w.length);
    double max = 0;
    double sum = 0;
    for (double x : w) {
      max = Math.max(max, x);
      sum += x;
    }
    return 2 * clipNorm * max / sum;
  }
}
