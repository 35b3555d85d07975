package org.fedgossip.core.aggregation;

import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Krum (Blanchard et al. 2017, Definition 1 and Sec. 4): selects the one input closest to its
 * neighbours.
 *
 * <p>The score of input i is the sum of its squared distances to its {@code n − f − 2} nearest
 * other inputs; the input with the lowest score is the output, ties going to the lower index. It
 * tolerates f Byzantine inputs when {@code n > 2f + 2}. Distances come from one Gram-form pass over
 * the data ({@link org.fedgossip.core.math.PairwiseDistances}).
 */
public final class Krum implements AggregationRule {

  private static final String NAME = "Krum";

  private final int byzantine;
  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param byzantine f ≥ 0, the number of Byzantine inputs to tolerate
   * @param runner where the distance kernel runs; the result does not depend on it
   * @throws IllegalArgumentException if f &lt; 0
   */
  public Krum(int byzantine, ParallelRunner runner) {
    KrumScoring.requireByzantine(NAME, byzantine);
    this.byzantine = byzantine;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "krum";
  }

  /**
   * The number f of Byzantine inputs tolerated.
   *
   * @return f ≥ 0
   */
  public int byzantine() {
    return byzantine;
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    Inputs.weights(NAME, weights, v.length);
    int n = v.length;
    checkInputCount(n);
    double[][] dist = KrumScoring.distances(NAME, updates, runner);
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    int winner = KrumScoring.ranking(KrumScoring.scores(dist, all, n - byzantine - 2))[0];
    return AggregationResult.selecting(v[winner].clone(), n, new int[] {winner});
  }

  @Override
  public void checkInputCount(int n) {
    if (n <= 2 * byzantine + 2) {
      throw new IllegalArgumentException(NAME + " needs n > 2f+2, got n=" + n + ", f=" + byzantine);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The output is one of the inputs, all in the ball of radius C, so any two outputs are at most
   * {@code 2C} apart. No smaller bound holds in general: replacing one input can switch the
   * selection to an input on the other side of the ball.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    return 2 * clipNorm;
  }
}
