package org.fedgossip.simulations.partition;

import java.util.SplittableRandom;
import org.fedgossip.simulations.SeededGaussian;

/**
 * Seeded Gamma(shape, 1) and Dirichlet draws by the method of Marsaglia and Tsang (2000), "A simple
 * method for generating gamma variables", ACM TOMS 26(3): squeeze and rejection on a transformed
 * normal for shape ≥ 1, and the boost Gamma(a) = Gamma(a + 1)·U^(1/a) for shape < 1 (their §6).
 * Dirichlet(α) is a vector of independent Gamma(αᵢ) normalised to sum 1.
 *
 * <p>For small shapes U^(1/a) underflows double; the sampler therefore works with log Gamma and
 * normalises in log space (subtracting the largest log), so a Dirichlet draw with α = 0.001 still
 * sums to 1 instead of 0/0.
 */
public final class GammaSampler {

  private GammaSampler() {}

  /**
   * The natural logarithm of one Gamma(shape, 1) draw.
   *
   * @param shape the shape, finite and > 0
   * @param random the seeded source
   * @return log of the draw
   * @throws IllegalArgumentException if the shape is out of range
   */
  public static double logGamma(double shape, SplittableRandom random) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("shape must be finite and > 0, got " + shape);
    }
    if (shape < 1) {
      double u = 1 - random.nextDouble(); // (0, 1]
      return logGammaAtLeastOne(shape + 1, random) + Math.log(u) / shape;
    }
    return logGammaAtLeastOne(shape, random);
  }

  /**
   * One Gamma(shape, 1) draw.
   *
   * @param shape the shape, finite and > 0
   * @param random the seeded source
   * @return the draw, ≥ 0 (0 only by underflow for tiny shapes)
   */
  public static double gamma(double shape, SplittableRandom random) {
    return Math.exp(logGamma(shape, random));
  }

  /**
   * One draw from the symmetric Dirichlet(α, …, α) of dimension k.
   *
   * @param alpha the concentration, finite and > 0
   * @param k the dimension, ≥ 1
   * @param random the seeded source
   * @return k non-negative proportions summing to 1 (up to rounding)
   * @throws IllegalArgumentException if alpha or k is out of range
   */
  public static double[] symmetricDirichlet(double alpha, int k, SplittableRandom random) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    double[] logs = new double[k];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      logs[i] = logGamma(alpha, random);
      max = Math.max(max, logs[i]);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      logs[i] = Math.exp(logs[i] - max);
      sum += logs[i];
    }
    for (int i = 0; i < k; i++) {
      logs[i] /= sum;
    }
    return logs;
  }

  private static double logGammaAtLeastOne(double shape, SplittableRandom random) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = SeededGaussian.standardNormal(random);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) {
        return Math.log(d * v);
      }
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return Math.log(d * v);
      }
    }
  }
}
