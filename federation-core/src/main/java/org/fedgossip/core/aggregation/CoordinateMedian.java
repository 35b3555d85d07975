package org.fedgossip.core.aggregation;

import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Coordinate-wise median (Yin et al. 2018, Sec. 3, "median-based" gradient descent).
 *
 * <p>For each coordinate, the median of the n values; for even n, the mean of the two middle
 * values. It uses quickselect on a transposed block, not a sort per coordinate. Every input counts
 * as selected: no input is dropped as a whole.
 */
public final class CoordinateMedian implements AggregationRule {

  private static final String NAME = "coordinate-wise median";

  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param runner where the per-coordinate work runs; the result does not depend on it
   */
  public CoordinateMedian(ParallelRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "median";
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    Inputs.weights(NAME, weights, v.length);
    int n = v.length;
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    float[] out = CoordinateBlocks.reduce(NAME, v, all, runner, CoordinateMedian::medians);
    return AggregationResult.allSelected(out, n);
  }

  private static void medians(float[] buf, int m, int count, float[] out, int outFrom) {
    int half = m >>> 1;
    boolean odd = (m & 1) == 1;
    for (int c = 0, base = 0; c < count; c++, base += m) {
      Selection.select(buf, base, base + m, base + half);
      float upper = buf[base + half];
      if (odd) {
        out[outFrom + c] = upper;
      } else {
        float lower = buf[base];
        for (int i = base + 1; i < base + half; i++) {
          lower = Math.max(lower, buf[i]);
        }
        out[outFrom + c] = (float) (((double) lower + upper) / 2);
      }
    }
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
   * <p>Bound by the output's norm, since both outputs of a neighbouring pair obey it. If the median
   * m_j of coordinate j is ≥ 0, at least n/2 inputs have {@code x_ij ≥ m_j ≥ 0} (for even n, the
   * values from the upper middle up), and symmetrically if it is negative; so {@code Σ_i x_ij² ≥
   * (n/2)·m_j²}. Summing over j, {@code ‖m‖² ≤ (2/n)·Σ_i ‖x_i‖² ≤ 2C²}, hence {@code ‖m‖ ≤ √2·C}
   * and two outputs differ by at most {@code 2√2·C}. This is conservative: it does not use that
   * only one input changes. The bound is independent of n.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    return 2 * Math.sqrt(2) * clipNorm;
  }
}
