package org.fedgossip.core.aggregation;

import java.util.Arrays;
import java.util.List;
import org.fedgossip.core.math.NonFiniteValueException;
import org.fedgossip.core.math.PairwiseDistances;
import org.fedgossip.core.math.ParallelRunner;

/** Krum scores (Blanchard et al. 2017, Def. 1) over a subset, from one distance matrix. */
final class KrumScoring {

  private KrumScoring() {}

  static double[][] distances(String rule, List<float[]> updates, ParallelRunner runner) {
    try {
      return PairwiseDistances.squared(updates, runner);
    } catch (NonFiniteValueException e) {
      throw Inputs.nonFinite(rule, e);
    }
  }

  /**
   * Scores each member: the sum of its squared distances to its {@code neighbours} nearest other
   * members.
   *
   * @param members indices into {@code dist}, ascending
   * @return one score per member, in member order
   */
  static double[] scores(double[][] dist, int[] members, int neighbours) {
    int m = members.length;
    double[] scores = new double[m];
    double[] others = new double[Math.max(0, m - 1)];
    for (int a = 0; a < m; a++) {
      int o = 0;
      double[] row = dist[members[a]];
      for (int b = 0; b < m; b++) {
        if (b != a) {
          others[o++] = row[members[b]];
        }
      }
      Arrays.sort(others);
      double s = 0;
      for (int k = 0; k < neighbours; k++) {
        s += others[k];
      }
      scores[a] = s;
    }
    return scores;
  }

  /** Member positions ordered by score, ties by position (members ascending: lower index wins). */
  static int[] ranking(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int c = Double.compare(scores[x], scores[y]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    int[] result = new int[order.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = order[i];
    }
    return result;
  }

  static void requireByzantine(String rule, int f) {
    if (f < 0) {
      throw new IllegalArgumentException(
          rule + " needs a number of Byzantine inputs f >= 0, got f=" + f);
    }
  }
}
