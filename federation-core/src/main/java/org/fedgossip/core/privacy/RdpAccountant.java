package org.fedgossip.core.privacy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rényi-DP accountant for the Poisson-sampled Gaussian mechanism, with conversion to (ε, δ).
 *
 * <p>RDP of one step at order α follows Mironov, Talwar and Zhang 2019, "Rényi Differential Privacy
 * of the Sampled Gaussian Mechanism", Section 3.3: for integer α the binomial expansion A_α =
 * Σ_{i=0}^{α} C(α,i)(1−q)^{α−i} q^i exp((i²−i)/(2σ²)), and for fractional α the two convergent
 * series with erfc, both summed in log space; then RDP(α) = log(A_α)/(α−1) per step. With q = 1 it
 * is the closed form α/(2σ²) and with q = 0 it is 0. RDP of composed events adds per order (Mironov
 * 2017, Proposition 1). The conversion to (ε, δ) is Balle et al. 2020, "Hypothesis Testing
 * Interpretations and Renyi Differential Privacy", Theorem 21: ε = RDP(α) + log((α−1)/α) − (log δ +
 * log α)/(α−1), minimised over the orders; it is reported clamped at 0.
 *
 * <p>The default orders are Opacus's: 1.1, 1.2, …, 10.9, then 12, 13, …, 63. Instances are
 * thread-safe; their only mutable state is a bounded memo of per-step RDP curves keyed by (q, σ),
 * so replaying a long ledger costs one curve per distinct (q, σ). All ε are in nats.
 */
public final class RdpAccountant {

  /**
   * Largest Rényi order accepted; the series cost grows with the order, and orders past a few
   * hundred never give the best ε for practical δ.
   */
  public static final double MAX_ORDER = 10_000;

  /** Lower end of the noise-multiplier search of {@link #calibrateNoise}. */
  public static final double MIN_NOISE_MULTIPLIER = 1e-2;

  /** Upper end of the noise-multiplier search of {@link #calibrateNoise}. */
  public static final double MAX_NOISE_MULTIPLIER = 1e4;

  /** Relative width at which the bisection of {@link #calibrateNoise} stops. */
  public static final double NOISE_RELATIVE_TOLERANCE = 1e-9;

  /**
   * The fractional series stop once both current terms fall this many nats below the running sum.
   * Past i &gt; α the signs of C(α,i) alternate and the magnitudes decrease, so each omitted tail
   * is bounded by its first term: a relative error below 2e^-30 ≈ 2e-13 in A_α, before the midpoint
   * correction below makes it smaller still.
   */
  private static final double SERIES_CUTOFF_NATS = 30.0;

  private static final int MAX_SERIES_TERMS = 5_000_000;
  private static final double LOG_HALF = Math.log(0.5);
  private static final double SQRT2 = Math.sqrt(2.0);

  /** Bound on the per-step RDP curves memoised; a ledger usually holds a handful of (q, σ). */
  private static final int MAX_CACHED_CURVES = 1024;

  private final double[] orders;
  private final Map<SamplingKey, double[]> perStepCache = new ConcurrentHashMap<>();

  /**
   * Creates an accountant over the given Rényi orders.
   *
   * @param orders the orders α; each in (1, {@value #MAX_ORDER}], at least one
   */
  public RdpAccountant(double[] orders) {
    Objects.requireNonNull(orders, "orders");
    if (orders.length == 0) {
      throw new IllegalArgumentException("orders must hold at least one order, got none");
    }
    for (int k = 0; k < orders.length; k++) {
      if (!(orders[k] > 1.0 && orders[k] <= MAX_ORDER)) {
        throw new IllegalArgumentException(
            "orders[" + k + "] must be in (1, " + MAX_ORDER + "], got " + orders[k]);
      }
    }
    this.orders = orders.clone();
  }

  /**
   * Returns an accountant over {@link #defaultOrders()}.
   *
   * @return the accountant
   */
  public static RdpAccountant withDefaultOrders() {
    return new RdpAccountant(defaultOrders());
  }

  /**
   * Returns Opacus's default orders: 1.1 to 10.9 in steps of 0.1, then the integers 12 to 63.
   *
   * <p>Each fractional order is computed as k/10 from an integer k, never by accumulating 0.1, so
   * that 3.0 is exactly 3 and takes the integer formula.
   *
   * @return a fresh array of 151 orders, increasing
   */
  public static double[] defaultOrders() {
    double[] result = new double[99 + 52];
    int n = 0;
    for (int k = 11; k <= 109; k++) {
      result[n++] = k / 10.0;
    }
    for (int a = 12; a <= 63; a++) {
      result[n++] = a;
    }
    return result;
  }

  /**
   * Returns the orders of this accountant.
   *
   * @return a fresh copy
   */
  public double[] orders() {
    return orders.clone();
  }

  /**
   * Returns the RDP of one step of the sampled Gaussian mechanism at one order.
   *
   * <p>Mironov, Talwar and Zhang 2019, Section 3.3 (see the class comment).
   *
   * @param samplingRate q in [0, 1]
   * @param noiseMultiplier σ, finite and &gt; 0
   * @param order α in (1, {@value #MAX_ORDER}]
   * @return RDP(α) of one step, in nats; 0 if q = 0, α/(2σ²) if q = 1, +∞ if σ² underflows
   */
  public static double rdpPerStep(double samplingRate, double noiseMultiplier, double order) {
    if (!(samplingRate >= 0.0 && samplingRate <= 1.0)) {
      throw new IllegalArgumentException("samplingRate must be in [0, 1], got " + samplingRate);
    }
    if (!(noiseMultiplier > 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (!(order > 1.0 && order <= MAX_ORDER)) {
      throw new IllegalArgumentException("order must be in (1, " + MAX_ORDER + "], got " + order);
    }
    if (samplingRate == 0.0) {
      return 0.0;
    }
    if (samplingRate == 1.0) {
      return order / (2.0 * noiseMultiplier * noiseMultiplier);
    }
    if (2.0 * noiseMultiplier * noiseMultiplier < Double.MIN_NORMAL) {
      return Double.POSITIVE_INFINITY; // the noise vanishes in double precision: no privacy
    }
    double logA =
        order == Math.rint(order)
            ? logAInteger(samplingRate, noiseMultiplier, (long) order)
            : logAFractional(samplingRate, noiseMultiplier, order);
    // A_α ≥ 1 in exact arithmetic; rounding can give −1e-17.
    return Math.max(0.0, logA) / (order - 1.0);
  }

  /**
   * Returns the RDP of one event at every order of this accountant.
   *
   * @param event the event
   * @return RDP per order (same indexing as {@link #orders()}), in nats, times the event's steps
   */
  public double[] rdp(PrivacyEvent event) {
    SamplingKey key = new SamplingKey(event.samplingRate(), event.noiseMultiplier());
    double[] perStep = perStepCache.get(key);
    if (perStep == null) {
      perStep = computePerStep(key);
      if (perStepCache.size() >= MAX_CACHED_CURVES) {
        perStepCache.clear();
      }
      perStepCache.put(key, perStep);
    }
    double[] result = new double[orders.length];
    for (int k = 0; k < orders.length; k++) {
      result[k] = event.steps() * perStep[k];
    }
    return result;
  }

  private double[] computePerStep(SamplingKey key) {
    double[] perStep = new double[orders.length];
    for (int k = 0; k < orders.length; k++) {
      perStep[k] = rdpPerStep(key.samplingRate(), key.noiseMultiplier(), orders[k]);
    }
    return perStep;
  }

  /** Cache key: RDP per step depends only on (q, σ); record equality compares doubles exactly. */
  private record SamplingKey(double samplingRate, double noiseMultiplier) {}

  /**
   * Returns the RDP of a sequence of events composed: the per-order sum of their RDP.
   *
   * @param events the events, possibly none
   * @return RDP per order, in nats; all zero for no events
   */
  public double[] rdp(List<PrivacyEvent> events) {
    double[] total = new double[orders.length];
    for (PrivacyEvent event : events) {
      double[] one = rdp(event);
      for (int k = 0; k < total.length; k++) {
        total[k] += one[k];
      }
    }
    return total;
  }

  /**
   * Converts an RDP curve to the smallest ε at δ over the orders (Balle et al. 2020, Theorem 21).
   *
   * @param rdp RDP per order, same indexing as {@link #orders()}; each ≥ 0 or +∞
   * @param delta δ in (0, 1)
   * @return the best ε (clamped at 0) and the order that attains it; ε = +∞ if every order is
   */
  public PrivacySpent epsilon(double[] rdp, double delta) {
    if (rdp.length != orders.length) {
      throw new IllegalArgumentException(
          "rdp must have one value per order (" + orders.length + "), got " + rdp.length);
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    double logDelta = Math.log(delta);
    double bestEpsilon = Double.POSITIVE_INFINITY;
    double bestOrder = orders[0];
    for (int k = 0; k < orders.length; k++) {
      if (!(rdp[k] >= 0.0)) {
        throw new IllegalArgumentException("rdp[" + k + "] must be >= 0, got " + rdp[k]);
      }
      double a = orders[k];
      double eps = rdp[k] + Math.log1p(-1.0 / a) - (logDelta + Math.log(a)) / (a - 1.0);
      if (eps < bestEpsilon) {
        bestEpsilon = eps;
        bestOrder = a;
      }
    }
    return new PrivacySpent(Math.max(0.0, bestEpsilon), bestOrder);
  }

  /**
   * Returns the (ε, δ) of a sequence of composed events.
   *
   * @param events the events
   * @param delta δ in (0, 1)
   * @return the best ε and its order
   */
  public PrivacySpent epsilon(List<PrivacyEvent> events, double delta) {
    return epsilon(rdp(events), delta);
  }

  /**
   * Finds the smallest noise multiplier σ for which {@code steps} steps at rate q stay within ε at
   * δ.
   *
   * <p>ε is non-increasing in σ, so a bisection on log σ over [{@value #MIN_NOISE_MULTIPLIER},
   * {@value #MAX_NOISE_MULTIPLIER}] keeps a σ that meets the target and a σ that misses it, and
   * stops when they are within a relative {@value #NOISE_RELATIVE_TOLERANCE}; it returns the one
   * that meets the target. If even the smallest σ of the range meets it, that σ is returned.
   *
   * @param samplingRate q in (0, 1]
   * @param steps number of steps, ≥ 1
   * @param delta δ in (0, 1)
   * @param targetEpsilon the ε to stay within, finite and &gt; 0
   * @return σ, the ε it reaches (≤ target) and the best order
   * @throws IllegalArgumentException if the target is unreachable even at σ = {@value
   *     #MAX_NOISE_MULTIPLIER}, or an argument is out of range
   */
  public NoiseCalibration calibrateNoise(
      double samplingRate, long steps, double delta, double targetEpsilon) {
    if (!(samplingRate > 0.0 && samplingRate <= 1.0)) {
      throw new IllegalArgumentException("samplingRate must be in (0, 1], got " + samplingRate);
    }
    if (!(targetEpsilon > 0.0) || Double.isInfinite(targetEpsilon)) {
      throw new IllegalArgumentException(
          "targetEpsilon must be finite and > 0, got " + targetEpsilon);
    }
    double hi = MAX_NOISE_MULTIPLIER;
    PrivacySpent atHi = epsilon(List.of(new PrivacyEvent(samplingRate, hi, steps)), delta);
    if (atHi.epsilon() > targetEpsilon) {
      throw new IllegalArgumentException(
          "targetEpsilon "
              + targetEpsilon
              + " is unreachable: even the largest noise multiplier searched, "
              + hi
              + ", gives epsilon "
              + atHi.epsilon()
              + " at delta "
              + delta);
    }
    double lo = MIN_NOISE_MULTIPLIER;
    PrivacySpent atLo = epsilon(List.of(new PrivacyEvent(samplingRate, lo, steps)), delta);
    if (atLo.epsilon() <= targetEpsilon) {
      return new NoiseCalibration(lo, atLo.epsilon(), atLo.order());
    }
    while (hi - lo > NOISE_RELATIVE_TOLERANCE * hi) {
      double mid = Math.sqrt(lo * hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      PrivacySpent atMid = epsilon(List.of(new PrivacyEvent(samplingRate, mid, steps)), delta);
      if (atMid.epsilon() <= targetEpsilon) {
        hi = mid;
        atHi = atMid;
      } else {
        lo = mid;
      }
    }
    return new NoiseCalibration(hi, atHi.epsilon(), atHi.order());
  }

  /** log A_α for integer α: the binomial expansion, summed in log space. */
  private static double logAInteger(double q, double sigma, long alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigmaSq = 2.0 * sigma * sigma;
    double logBinom = 0.0; // log C(alpha, 0)
    double logA = Double.NEGATIVE_INFINITY;
    for (long i = 0; i <= alpha; i++) {
      if (i > 0) {
        logBinom += Math.log((double) (alpha - i + 1)) - Math.log((double) i);
      }
      double term = logBinom + i * logQ + (alpha - i) * log1mQ + (i * (double) i - i) / twoSigmaSq;
      logA = LogMath.logAdd(logA, term);
    }
    return logA;
  }

  /**
   * log A_α for fractional α: A_α = A₀ + A₁ with, for z₀ = σ² log(1/q − 1) + 1/2,
   *
   * <pre>
   * A₀ = Σ_i C(α,i) q^i (1−q)^{α−i} exp((i²−i)/(2σ²)) · ½ erfc((i − z₀)/(√2 σ))
   * A₁ = Σ_i C(α,i) q^{α−i} (1−q)^i exp(((α−i)²−(α−i))/(2σ²)) · ½ erfc((z₀ − (α−i))/(√2 σ))
   * </pre>
   *
   * (Mironov, Talwar and Zhang 2019, Section 3.3). C(α,i) changes sign for i &gt; α, so the sums
   * are kept as signed log magnitudes.
   */
  private static double logAFractional(double q, double sigma, double alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double sigmaSq = sigma * sigma;
    double z0 = sigmaSq * (log1mQ - logQ) + 0.5;
    double sqrt2Sigma = SQRT2 * sigma;
    SignedLogSum sum = new SignedLogSum();
    double logBinom = 0.0;
    int binomSign = 1;
    for (int i = 0; i < MAX_SERIES_TERMS; i++) {
      if (i > 0) {
        double factor = alpha - (i - 1);
        logBinom += Math.log(Math.abs(factor)) - Math.log(i);
        if (factor < 0) {
          binomSign = -binomSign;
        }
      }
      double j = alpha - i;
      double logS0 =
          logBinom
              + i * logQ
              + j * log1mQ
              + ((double) i * i - i) / (2.0 * sigmaSq)
              + LOG_HALF
              + LogMath.logErfc((i - z0) / sqrt2Sigma);
      double logS1 =
          logBinom
              + j * logQ
              + i * log1mQ
              + (j * j - j) / (2.0 * sigmaSq)
              + LOG_HALF
              + LogMath.logErfc((z0 - j) / sqrt2Sigma);
      sum.add(logS0, binomSign);
      sum.add(logS1, binomSign);
      // Beyond i > α both series alternate in sign with decreasing magnitude (like a power of i).
      if (i > alpha && Math.max(logS0, logS1) < sum.logIfPositive() - SERIES_CUTOFF_NATS) {
        // The limit of an alternating series lies between its last two partial sums: take the
        // midpoint, which cuts the truncation error by a further factor of order i.
        sum.add(LogMath.logAdd(logS0, logS1) + LOG_HALF, -binomSign);
        return sum.logIfPositive();
      }
    }
    throw new ArithmeticException(
        "sampled Gaussian RDP series did not converge in "
            + MAX_SERIES_TERMS
            + " terms for q="
            + q
            + ", sigma="
            + sigma
            + ", order="
            + alpha);
  }

  /** A real number held as sign·exp(logMagnitude), for sums with terms of both signs. */
  private static final class SignedLogSum {
    private double logMagnitude = Double.NEGATIVE_INFINITY;
    private int sign = 0;

    void add(double logTerm, int termSign) {
      if (logTerm == Double.NEGATIVE_INFINITY) {
        return;
      }
      if (sign == 0) {
        logMagnitude = logTerm;
        sign = termSign;
      } else if (sign == termSign) {
        logMagnitude = LogMath.logAdd(logMagnitude, logTerm);
      } else if (logTerm > logMagnitude) {
        logMagnitude = logTerm + Math.log1p(-Math.exp(logMagnitude - logTerm));
        sign = termSign;
      } else if (logTerm == logMagnitude) {
        logMagnitude = Double.NEGATIVE_INFINITY;
        sign = 0;
      } else {
        logMagnitude = logMagnitude + Math.log1p(-Math.exp(logTerm - logMagnitude));
      }
    }

    /** Returns log of the sum, or −∞ while the partial sum is not positive. */
    double logIfPositive() {
      return sign > 0 ? logMagnitude : Double.NEGATIVE_INFINITY;
    }
  }

  /**
   * An (ε, δ) guarantee read off an RDP curve.
   *
   * @param epsilon ε in nats, ≥ 0 (+∞ if no order gives a finite bound)
   * @param order the Rényi order α that gives it
   */
  public record PrivacySpent(double epsilon, double order) {}

  /**
   * The outcome of {@link #calibrateNoise}.
   *
   * @param noiseMultiplier the σ found
   * @param epsilon the ε it reaches, in nats, at most the target
   * @param order the Rényi order that gives that ε
   */
  public record NoiseCalibration(double noiseMultiplier, double epsilon, double order) {}
}
