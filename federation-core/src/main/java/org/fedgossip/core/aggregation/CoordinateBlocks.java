package org.fedgossip.core.aggregation;

import org.fedgossip.core.math.ParallelRunner;

/**
 * Drives the coordinate-wise rules: per block of coordinates, sort each coordinate's m values with
 * a {@link SortingNetwork} and hand the sorted rows to a reducer.
 *
 * <p>The coordinates are cut into fixed tasks of {@value #TASK}; a task copies blocks of {@value
 * #BLOCK} coordinates of the m member vectors into m rows (sequential reads of each vector), sorts
 * the columns, and lets the reducer write the outputs. The copy also sums {@code x·0}, which stays
 * 0 unless a value is NaN or infinite, so finiteness is checked without a separate pass. Because
 * the reducers see sorted values, their results do not depend on the input order at all.
 */
final class CoordinateBlocks {

  static final int TASK = 1 << 14;
  static final int BLOCK = 512;

  /** Reduces columns {@code [0, len)} of the sorted rows into {@code out[outFrom + c]}. */
  interface Reducer {
    void reduce(float[][] sorted, int len, float[] out, int outFrom);
  }

  private CoordinateBlocks() {}

  /**
   * Runs {@code reducer} over every coordinate of the members' vectors.
   *
   * @return the output vector
   * @throws IllegalArgumentException naming the first non-finite value, if any
   */
  static float[] reduce(
      String rule, float[][] v, int[] members, ParallelRunner runner, Reducer reducer) {
    int d = v[0].length;
    int m = members.length;
    int[] network = SortingNetwork.forSize(m);
    float[] out = new float[d];
    int tasks = (d + TASK - 1) / TASK;
    boolean[] nonFinite = new boolean[tasks];
    runner.forEachTask(
        tasks,
        t -> {
          float[][] rows = new float[m][BLOCK];
          float[] check = new float[BLOCK];
          int end = Math.min(d, (t + 1) * TASK);
          for (int from = t * TASK; from < end; from += BLOCK) {
            int len = Math.min(BLOCK, end - from);
            for (int r = 0; r < m; r++) {
              float[] row = rows[r];
              System.arraycopy(v[members[r]], from, row, 0, len);
              for (int c = 0; c < len; c++) {
                check[c] += row[c] * 0f;
              }
            }
            SortingNetwork.sortColumns(rows, network, len);
            reducer.reduce(rows, len, out, from);
          }
          for (float c : check) {
            if (c != 0f) {
              nonFinite[t] = true;
            }
          }
        });
    for (boolean bad : nonFinite) {
      if (bad) {
        throw Inputs.nonFinite(rule, v);
      }
    }
    return out;
  }

  /**
   * The mean of the given members, weighted, accumulated in double per coordinate in member order.
   *
   * @param weights one weight per member
   * @return the mean, or throws naming a non-finite input
   */
  static float[] weightedMean(
      String rule, float[][] v, int[] members, double[] weights, ParallelRunner runner) {
    int d = v[0].length;
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double norm = total;
    float[] out = new float[d];
    int tasks = (d + TASK - 1) / TASK;
    boolean[] nonFinite = new boolean[tasks];
    runner.forEachTask(
        tasks,
        t -> {
          int from = t * TASK;
          int len = Math.min(d, from + TASK) - from;
          double[] acc = new double[len];
          for (int r = 0; r < members.length; r++) {
            float[] x = v[members[r]];
            double w = weights[r];
            for (int c = 0; c < len; c++) {
              acc[c] += w * x[from + c];
            }
          }
          boolean bad = false;
          for (int c = 0; c < len; c++) {
            double mean = acc[c] / norm;
            bad |= !Double.isFinite(mean);
            out[from + c] = (float) mean;
          }
          nonFinite[t] = bad;
        });
    for (boolean bad : nonFinite) {
      if (bad) {
        throw Inputs.nonFinite(rule, v);
      }
    }
    return out;
  }
}
