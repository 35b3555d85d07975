package org.fedgossip.simulations.data;

import java.util.SplittableRandom;

/**
 * Seeded Fisher–Yates shuffles of index arrays (Knuth, TAOCP vol. 2, §3.4.2, Algorithm P), shared
 * by the splits, the partitioners and the models' minibatch order.
 */
public final class Shuffle {

  private Shuffle() {}

  /**
   * Shuffles the array in place, uniformly over all permutations.
   *
   * @param a the array
   * @param random the seeded source
   */
  public static void inPlace(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
