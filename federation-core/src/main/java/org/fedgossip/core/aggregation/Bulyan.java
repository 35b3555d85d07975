package org.fedgossip.core.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Bulyan over Krum (El Mhamdi et al. 2018, Algorithm 1).
 *
 * <p>Selection: θ = n − 2f inputs are picked by applying Krum repeatedly to the shrinking set of
 * remaining inputs, removing each pick, all from one distance matrix. With r inputs left, a score
 * sums the distances to the {@code max(1, r − f − 2)} nearest others (at most r − 1), as the set
 * shrinks below Krum's own bound near the end. With a single neighbour (f ≤ 2), two mutual nearest
 * neighbours tie exactly and the lower index wins; and f colluding inputs close to each other can
 * win those late rounds, which is why the coordinate step below still trims. Aggregation: for each
 * coordinate, the mean of the β = θ − 2f values of the θ picks closest to their median (mean of the
 * two middle values for even θ); when two candidates are equally close, the larger value is dropped
 * first. Needs {@code n ≥ 4f + 3}. The θ picks are selected; the other 2f are rejected.
 */
public final class Bulyan implements AggregationRule {

  private static final String NAME = "Bulyan";

  private final int byzantine;
  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param byzantine f ≥ 0, the number of Byzantine inputs to tolerate
   * @param runner where the kernels run; the result does not depend on it
   * @throws IllegalArgumentException if f &lt; 0
   */
  public Bulyan(int byzantine, ParallelRunner runner) {
    KrumScoring.requireByzantine(NAME, byzantine);
    this.byzantine = byzantine;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "bulyan";
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    Inputs.weights(NAME, weights, v.length);
    int n = v.length;
    checkInputCount(n);
    int theta = n - 2 * byzantine;
    int beta = theta - 2 * byzantine;
    double[][] dist = KrumScoring.distances(NAME, updates, runner);
    int[] remaining = new int[n];
    Arrays.setAll(remaining, i -> i);
    int[] picks = new int[theta];
    for (int p = 0; p < theta; p++) {
      int r = remaining.length;
      int neighbours = Math.min(r - 1, Math.max(1, r - byzantine - 2));
      int winner = KrumScoring.ranking(KrumScoring.scores(dist, remaining, neighbours))[0];
      picks[p] = remaining[winner];
      int[] next = new int[r - 1];
      System.arraycopy(remaining, 0, next, 0, winner);
      System.arraycopy(remaining, winner + 1, next, winner, r - winner - 1);
      remaining = next;
    }
    Arrays.sort(picks);
    float[] out =
        CoordinateBlocks.reduce(
            NAME,
            v,
            picks,
            runner,
            (sorted, len, o, from) -> closestMeans(sorted, beta, len, o, from));
    return AggregationResult.selecting(out, n, picks);
  }

  /**
   * For sorted values v_0 ≤ … ≤ v_{θ−1} with median med, the β closest to med form a window [s, s +
   * β). Dropping the farther end of the current window 2f times (the larger value on a tie) drops
   * v_i from below exactly when {@code v_i + v_{i+β} < 2·med}, and that condition holds for a
   * prefix of i because the left side is non-decreasing in i. So the window sum is {@code Σ_{j<β}
   * v_j + Σ_{i<2f, v_i+v_{i+β}<2med} (v_{i+β} − v_i)}, computed without data-dependent indexing.
   */
  static void closestMeans(float[][] sorted, int beta, int len, float[] out, int outFrom) {
    int theta = sorted.length;
    int half = theta >>> 1;
    double[] twiceMedian = new double[len];
    float[] upper = sorted[half];
    if ((theta & 1) == 1) {
      for (int c = 0; c < len; c++) {
        twiceMedian[c] = 2.0 * upper[c];
      }
    } else {
      float[] lower = sorted[half - 1];
      for (int c = 0; c < len; c++) {
        twiceMedian[c] = (double) lower[c] + upper[c];
      }
    }
    double[] acc = new double[len];
    for (int r = 0; r < beta; r++) {
      float[] row = sorted[r];
      for (int c = 0; c < len; c++) {
        acc[c] += row[c];
      }
    }
    for (int i = 0; i < theta - beta; i++) {
      float[] lo = sorted[i];
      float[] hi = sorted[i + beta];
      for (int c = 0; c < len; c++) {
        double sum = (double) lo[c] + hi[c];
        acc[c] += sum < twiceMedian[c] ? (double) hi[c] - lo[c] : 0.0;
      }
    }
    for (int c = 0; c < len; c++) {
      out[outFrom + c] = (float) (acc[c] / beta);
    }
  }

  @Override
  public void checkInputCount(int n) {
    if (n < 4 * byzantine + 3) {
      throw new IllegalArgumentException(
          NAME + " needs n >= 4f+3, got n=" + n + ", f=" + byzantine);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Bound by the output's norm. Each output coordinate is the mean of β values taken from the θ
   * picks, so by Jensen {@code out_j² ≤ (1/β)·Σ_{picks} x_ij²}; summing over j, {@code ‖out‖² ≤
   * (θ/β)·C²}. Two outputs therefore differ by at most {@code 2C·√(θ/β)} (for n = 50, f = 10: θ =
   * 30, β = 10, so 2√3·C). Conservative: replacing one input can change the picks entirely, and
   * this argument does not need the picks to stay fixed.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    int theta = n - 2 * byzantine;
    int beta = theta - 2 * byzantine;
    return 2 * clipNorm * Math.sqrt((double) theta / beta);
  }
}
