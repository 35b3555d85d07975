package org.fedgossip.core.aggregation;

import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Coordinate-wise median (Yin et al. 2018, Sec. 3, "median-based" gradient descent).
 *
 * <p>For each coordinate, the median of the n values; for even n, the mean of the two middle
 * values. Blocks of coordinates are sorted column-wise by a SIMD-friendly sorting network, not one
 * branchy sort per coordinate. Every input counts as selected: no input is dropped as a whole.
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

  private static void medians(float[][] sorted, int len, float[] out, int outFrom) {
    int m = sorted.length;
    float[] upper = sorted[m >>> 1];
    if ((m & 1) == 1) {
      System.arraycopy(upper, 0, out, outFrom, len);
    } else {
      float[] lower = sorted[(m >>> 1) - 1];
      for (int c = 0; c < len; c++) {
        out[outFrom + c] = (float) (((double) lower[c] + upper[c]) / 2);
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
