package org.fedgossip.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BulyanCoordinateStepTest {

  /**
   * El Mhamdi et al.'s step read literally: drop the farther end until β remain (larger on tie).
   */
  private static double greedyClosestMean(float[] sortedColumn, int beta) {
    int theta = sortedColumn.length;
    double median =
        theta % 2 == 1
            ? sortedColumn[theta / 2]
            : ((double) sortedColumn[theta / 2 - 1] + sortedColumn[theta / 2]) / 2;
    int lo = 0;
    int hi = theta - 1;
    while (hi - lo + 1 > beta) {
      if (median - sortedColumn[lo] > sortedColumn[hi] - median) {
        lo++;
      } else {
        hi--;
      }
    }
    double s = 0;
    for (int i = lo; i <= hi; i++) {
      s += sortedColumn[i];
    }
    return s / beta;
  }

  @Property(tries = 300)
  void branchFreeWindowEqualsTheGreedyDefinition(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int theta,
      @ForAll @IntRange(min = 1, max = 40) int betaRaw,
      @ForAll @IntRange(min = 1, max = 20) int columns) {
    int beta = Math.min(theta, betaRaw);
    Random random = new Random(seed);
    boolean coarse = random.nextBoolean();
    float[][] sorted = new float[theta][columns];
    float[][] byColumn = new float[columns][theta];
    for (int c = 0; c < columns; c++) {
      for (int i = 0; i < theta; i++) {
        // Small integers make exact ties between the two ends common.
        byColumn[c][i] = coarse ? random.nextInt(7) : (float) random.nextGaussian();
      }
      Arrays.sort(byColumn[c]);
      for (int i = 0; i < theta; i++) {
        sorted[i][c] = byColumn[c][i];
      }
    }
    float[] out = new float[columns];
    Bulyan.closestMeans(sorted, beta, columns, out, 0);
    for (int c = 0; c < columns; c++) {
      assertThat(out[c]).isEqualTo((float) greedyClosestMean(byColumn[c], beta));
    }
  }
}
