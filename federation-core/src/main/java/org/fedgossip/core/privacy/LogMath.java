package org.fedgossip.core.privacy;

/**
 * Log-space arithmetic for the RDP accountant: log-sum-exp and a log-erfc that stays accurate far
 * into the tail, where erfc itself underflows to 0.
 */
final class LogMath {

  private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  /** Below this, erfc = 1 − erf with erf from its series; above, the continued fraction. */
  private static final double SERIES_LIMIT = 2.0;

  private static final int MAX_TERMS = 10_000;

  private LogMath() {}

  /**
   * Returns log(e^a + e^b) without overflow; either argument may be −∞.
   *
   * @param a a log value
   * @param b a log value
   * @return log(e^a + e^b)
   */
  static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  /**
   * Returns log(erfc(x)) for every finite x, accurate to a few ulps of erfc.
   *
   * <p>For x &ge; 2 it evaluates erfc(x)·√π·e^{x²} by the continued fraction 1/(x + (1/2)/(x + 1/(x
   * + (3/2)/(x + …)))) (Abramowitz and Stegun 7.1.14) with the modified Lentz method, then
   * subtracts x² in log space, so it never underflows (log erfc(1e6) ≈ −1e12). Below 2 it uses the
   * everywhere-positive series erf(x) = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)) (A&amp;S 7.1.6),
   * and erfc(x) = 2 − erfc(−x) for negative x.
   *
   * @param x the argument
   * @return log(erfc(x)); −∞ only when x² overflows
   */
  static double logErfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0.0) {
      return Math.log(2.0 - erfcNonNegative(-x));
    }
    if (x < SERIES_LIMIT) {
      return Math.log(1.0 - erf(x));
    }
    return -x * x - LOG_SQRT_PI - Math.log(continuedFraction(x));
  }

  /** erfc for x ≥ 0 in linear space; underflows to 0 for large x, which is fine for 2 − erfc. */
  private static double erfcNonNegative(double x) {
    if (x < SERIES_LIMIT) {
      return 1.0 - erf(x);
    }
    return Math.exp(-x * x - LOG_SQRT_PI) / continuedFraction(x);
  }

  /** erf(x) for 0 ≤ x &lt; SERIES_LIMIT, by a series of positive terms (no cancellation). */
  private static double erf(double x) {
    double twoXSquared = 2.0 * x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < MAX_TERMS; n++) {
      term *= twoXSquared / (2 * n + 1);
      double next = sum + term;
      if (next == sum) {
        break;
      }
      sum = next;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }

  /** Returns g(x) = x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))) so that erfc(x) = e^{−x²}/(√π·g). */
  private static double continuedFraction(double x) {
    final double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0.0;
    for (int n = 1; n < MAX_TERMS; n++) {
      double a = 0.5 * n;
      d = x + a * d;
      if (d == 0.0) {
        d = tiny;
      }
      c = x + a / c;
      if (c == 0.0) {
        c = tiny;
      }
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        return f;
      }
    }
    return f;
  }
}
