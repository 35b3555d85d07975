package org.fedgossip.core.aggregation;

import java.util.List;
import java.util.Objects;
import org.fedgossip.core.math.ParallelRunner;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018, Definition 2).
 *
 * <p>For each coordinate, drop the {@code k = ⌊β·n⌋} smallest and k largest of the n values and
 * average the remaining {@code n − 2k}. Blocks of coordinates are sorted column-wise by a sorting
 * network; the kept values are summed in double in sorted order, so the result does not depend on
 * the input order. Every input counts as selected: none is dropped as a whole.
 */
public final class TrimmedMean implements AggregationRule {

  private static final String NAME = "trimmed mean";

  private final double trimFraction;
  private final ParallelRunner runner;

  /**
   * Creates the rule.
   *
   * @param trimFraction β in [0, 0.5): the fraction cut from each end
   * @param runner where the per-coordinate work runs; the result does not depend on it
   * @throws IllegalArgumentException if β is outside [0, 0.5)
   */
  public TrimmedMean(double trimFraction, ParallelRunner runner) {
    if (!(trimFraction >= 0 && trimFraction < 0.5)) {
      throw new IllegalArgumentException(
          NAME + " needs a trim fraction beta in [0, 0.5), got beta=" + trimFraction);
    }
    this.trimFraction = trimFraction;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "trimmed-mean";
  }

  /**
   * The fraction β cut from each end.
   *
   * @return β in [0, 0.5)
   */
  public double trimFraction() {
    return trimFraction;
  }

  /**
   * The number of values cut from each end for n inputs.
   *
   * @param n the number of inputs
   * @return {@code ⌊β·n⌋}
   */
  public int trimCount(int n) {
    return (int) Math.floor(trimFraction * n);
  }

  @Override
  public AggregationResult aggregate(List<float[]> updates, double[] weights) {
    float[][] v = Inputs.shape(NAME, updates);
    Inputs.weights(NAME, weights, v.length);
    int n = v.length;
    checkInputCount(n);
    int k = trimCount(n);
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    float[] out =
        CoordinateBlocks.reduce(
            NAME, v, all, runner, (sorted, len, o, from) -> trimmedMeans(sorted, k, len, o, from));
    return AggregationResult.allSelected(out, n);
  }

  private static void trimmedMeans(float[][] sorted, int k, int len, float[] out, int outFrom) {
    int m = sorted.length;
    double[] acc = new double[len];
    for (int r = k; r < m - k; r++) {
      float[] row = sorted[r];
      for (int c = 0; c < len; c++) {
        acc[c] += row[c];
      }
    }
    int kept = m - 2 * k;
    for (int c = 0; c < len; c++) {
      out[outFrom + c] = (float) (acc[c] / kept);
    }
  }

  @Override
  public void checkInputCount(int n) {
    int k = trimCount(n);
    if (n < 1 || n - 2 * k < 1) {
      throw new IllegalArgumentException(
          NAME
              + " needs n - 2*floor(beta*n) >= 1, got n="
              + n
              + ", beta="
              + trimFraction
              + " (cuts "
              + k
              + " from each end)");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Bound by the output's norm, with k cut from each end and {@code r = n − 2k} kept. Two
   * arguments, per coordinate j with output t_j: (1) t_j is the mean of r kept values, so by Jensen
   * {@code t_j² ≤ (1/r)·Σ_kept x_ij² ≤ (1/r)·Σ_i x_ij²}; (2) if t_j ≥ 0, the k+1 largest values are
   * all ≥ t_j, so {@code Σ_i x_ij² ≥ (k+1)·t_j²} (and symmetrically if negative). Summing over j
   * and using {@code Σ_i ‖x_i‖² ≤ n·C²}: {@code ‖t‖ ≤ C·√(min(n/r, n/(k+1)))}, so two outputs
   * differ by at most twice that. Conservative: it ignores that only one input changes.
   */
  @Override
  public double l2Sensitivity(double clipNorm, int n) {
    checkInputCount(n);
    int k = trimCount(n);
    int kept = n - 2 * k;
    return 2 * clipNorm * Math.sqrt(Math.min((double) n / kept, (double) n / (k + 1)));
  }
}
