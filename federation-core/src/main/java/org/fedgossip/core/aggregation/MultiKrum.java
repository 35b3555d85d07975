package org.fedgossip.core.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Multi-Krum (Blanchard et al. 2017, Sec. 4): the mean of the m inputs with the best Krum scores.
 *
 * <p>Scores are Krum's ({@link Krum}), computed once over all n inputs; ties go to the lower index.
 * The mean is unweighted, in double per coordinate. It needs {@code n > 2f + 2} and {@code 1 ≤ m ≤
 * n}; m = 1 is Krum and m = n is the plain mean.
 */
public final class MultiKrum implements AggregationRule {

  private static final String NAME = "Multi-Krum";

  private final int byzantine;
  private final int keep;
  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param byzantine f ≥ 0, the number of Byzantine inputs to tolerate
   * @param keep m ≥ 1, the number of inputs averaged
   * @param runner where the kernels run; the result does not depend on it
   * @throws IllegalArgumentException if f &lt; 0 or m &lt; 1
   */
  public MultiKrum(int byzantine, int keep, ParallelRunner runner) {
    KrumScoring.requireByzantine(NAME, byzantine);
    if (keep < 1) {
      throw new IllegalArgumentException(NAME + " needs m >= 1 inputs kept, got m=" + keep);
    }
    this.byzantine = byzantine;
    this.keep = keep;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "multi-krum";
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    Inputs.weights(NAME, weights, v.length);
    int n = v.length;
    checkInputCount(n);
    double[][] dist = KrumScoring.distances(NAME, updates, runner);
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    int[] ranking = KrumScoring.ranking(KrumScoring.scores(dist, all, n - byzantine - 2));
    int[] chosen = Arrays.copyOf(ranking, keep);
    Arrays.sort(chosen);
    double[] ones = new double[keep];
    Arrays.fill(ones, 1.0);
    float[] mean = CoordinateBlocks.weightedMean(NAME, v, chosen, ones, runner);
    return AggregationResult.selecting(mean, n, chosen);
  }

  @Override
  public void checkInputCount(int n) {
    if (n <= 2 * byzantine + 2) {
      throw new IllegalArgumentException(NAME + " needs n > 2f+2, got n=" + n + ", f=" + byzantine);
    }
    if (keep > n) {
      throw new IllegalArgumentException(NAME + " needs 1 <= m <= n, got m=" + keep + ", n=" + n);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code 2C}, not {@code 2C/m}: replacing one input changes every Krum score, so the selected
   * set can change entirely, not just in one member. Both outputs are means of inputs in the ball
   * of radius C, hence inside that ball, hence at most 2C apart. The 2C/m of a fixed selection does
   * not hold.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    return 2 * clipNorm;
  }
}
