package org.fedgossip.simulations;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic model updates with a block of far-away Byzantine ones, the workload of the
 * aggregation benchmarks ({@code fedgossip bench aggregate} and the JMH suite measure the same
 * inputs through this one generator).
 *
 * <p>The first n − f updates are honest: independent coordinates uniform in [−1, 1) on the float
 * grid of step 2⁻²³. The last f are the same distribution shifted by {@link #BYZANTINE_SHIFT} on
 * every coordinate, far enough that every robust rule should reject them. Update i draws from the
 * i-th split of a {@link SplittableRandom} seeded with {@code seed}, so the inputs depend only on
 * (n, d, f, seed).
 */
public final class SyntheticUpdates {

  /** How far the Byzantine updates sit from the honest ones, on every coordinate. */
  public static final float BYZANTINE_SHIFT = 100f;

  private SyntheticUpdates() {}

  /**
   * Builds n updates of dimension d, the last f of them Byzantine.
   *
   * @param n number of updates, ≥ 1
   * @param d dimension, ≥ 1
   * @param f number of Byzantine updates, in [0, n]
   * @param seed the seed
   * @return n new arrays of length d
   * @throws IllegalArgumentException naming the bad value
   */
  public static List<float[]> withFarByzantine(int n, int d, int f, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    if (f < 0 || f > n) {
      throw new IllegalArgumentException("f must be in [0, n=" + n + "], got " + f);
    }
    SplittableRandom root = new SplittableRandom(seed);
    List<float[]> updates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SplittableRandom random = root.split();
      float shift = i >= n - f ? BYZANTINE_SHIFT : 0f;
      float[] v = new float[d];
      for (int k = 0; k < d; k++) {
        // The top 24 bits of an int, signed, scaled to [-1, 1) exactly representable in float.
        v[k] = shift + ((random.nextInt() >> 8) * 0x1.0p-23f);
      }
      updates.add(v);
    }
    return updates;
  }
}
