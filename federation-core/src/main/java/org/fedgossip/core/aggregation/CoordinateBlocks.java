package org.fedgossip.core.aggregation;

import org.fedgossip.core.math.ParallelRunner;

/**
 * Drives a per-coordinate reduction over a transposed buffer.
 *
 * <p>The coordinates are cut into fixed tasks of {@value #TASK}; a task gathers blocks of {@value
 * #GATHER} coordinates from the m member vectors into a coordinate-major buffer ({@code buf[c·m +
 * r]} is member r's value at coordinate c), so each coordinate's m values are contiguous and the
 * member vectors are read sequentially. The gather also sums {@code x·0}, which stays 0 unless a
 * value is NaN or infinite, so finiteness is checked without a separate pass.
 */
final class CoordinateBlocks {

  static final int TASK = 1 << 14;
  static final int GATHER = 256;

  /** Reduces {@code count} coordinates held in {@code buf}, writing {@code out[outFrom + c]}. */
  interface Reducer {
    void reduce(float[] buf, int m, int count, float[] out, int outFrom);
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
    float[] out = new float[d];
    int tasks = (d + TASK - 1) / TASK;
    boolean[] nonFinite = new boolean[tasks];
    runner.forEachTask(
        tasks,
        t -> {
          float[] buf = new float[m * GATHER];
          float[] check = new float[GATHER];
          int end = Math.min(d, (t + 1) * TASK);
          for (int from = t * TASK; from < end; from += GATHER) {
            int count = Math.min(GATHER, end - from);
            for (int r = 0; r < m; r++) {
              float[] x = v[members[r]];
              for (int c = 0; c < count; c++) {
                buf[c * m + r] = x[from + c];
              }
              for (int c = 0; c < count; c++) {
                check[c] += x[from + c] * 0f;
              }
            }
            reducer.reduce(buf, m, count, out, from);
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
   * The mean of the given members, weighted, accumulated in double per coordinate.
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
