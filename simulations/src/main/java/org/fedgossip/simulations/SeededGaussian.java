package org.fedgossip.simulations;

import java.util.SplittableRandom;

/**
 * Standard normal draws from a seeded {@link SplittableRandom} by the polar method (Marsaglia and
 * Bray 1964).
 *
 * <p>The algorithm is written out here, rather than taken from {@code
 * RandomGenerator.nextGaussian()}, because that method's algorithm is not fixed by its
 * specification: a seed must give the same model initialisation and the same Dirichlet partitions
 * on every JDK.
 */
public final class SeededGaussian {

  private SeededGaussian() {}

  /**
   * Draws one value from N(0, 1).
   *
   * @param random the seeded source; advanced by two or more doubles
   * @return the draw
   */
  public static double standardNormal(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
