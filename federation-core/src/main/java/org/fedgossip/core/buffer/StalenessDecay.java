package org.fedgossip.core.buffer;

/**
 * How the weight of a buffered update decays with its staleness {@code s = currentRound − round}.
 *
 * <p>Every implementation returns 1 at {@code s = 0} and a value in {@code [0, 1]} that never
 * increases with {@code s} (it is positive unless it underflows for extreme parameters). The
 * polynomial form is the staleness function {@code s_a(t − τ) = (t − τ + 1)^−a} of Xie, Koyejo and
 * Gupta 2019, "Asynchronous Federated Optimization" (FedAsync, arXiv:1903.03934, the
 * staleness-function paragraph of the algorithm section); the exponential form {@code e^(−λ s)} is
 * the usual smooth alternative with a constant ratio per round.
 */
public sealed interface StalenessDecay
    permits StalenessDecay.Polynomial, StalenessDecay.Exponential {

  /** Largest accepted polynomial exponent or exponential rate; beyond it weights underflow. */
  double MAX_PARAMETER = 64.0;

  /**
   * The weight of an update that is {@code staleness} rounds old.
   *
   * @param staleness rounds since the update's round, at least 0
   * @return a weight in {@code [0, 1]}, exactly 1 for {@code staleness == 0}
   * @throws IllegalArgumentException if {@code staleness} is negative
   */
  double weight(long staleness);

  /**
   * Polynomial decay {@code (1 + s)^−a}, FedAsync's {@code s_a}.
   *
   * @param exponent the exponent {@code a}, in {@code [0, 64]}; 0 gives constant weight 1
   */
  record Polynomial(double exponent) implements StalenessDecay {

    /**
     * Validates the exponent.
     *
     * @param exponent see the record component
     */
    public Polynomial {
      requireParameter("exponent", exponent);
    }

    @Override
    public double weight(long staleness) {
      requireStaleness(staleness);
      return Math.pow(1.0 + staleness, -exponent);
    }
  }

  /**
   * Exponential decay {@code e^(−λ s)}.
   *
   * @param rate the rate {@code λ} per round, in {@code [0, 64]}; 0 gives constant weight 1
   */
  record Exponential(double rate) implements StalenessDecay {

    /**
     * Validates the rate.
     *
     * @param rate see the record component
     */
    public Exponential {
      requireParameter("rate", rate);
    }

    @Override
    public double weight(long staleness) {
      requireStaleness(staleness);
      return Math.exp(-rate * staleness);
    }
  }

  /**
   * Polynomial decay {@code (1 + s)^−exponent}.
   *
   * @param exponent in {@code [0, 64]}
   * @return the decay
   */
  static StalenessDecay polynomial(double exponent) {
    return new Polynomial(exponent);
  }

  /**
   * Exponential decay {@code e^(−rate s)}.
   *
   * @param rate per round, in {@code [0, 64]}
   * @return the decay
   */
  static StalenessDecay exponential(double rate) {
    return new Exponential(rate);
  }

  private static void requireParameter(String name, double value) {
    if (!(value >= 0.0 && value <= MAX_PARAMETER)) {
      throw new IllegalArgumentException(
          name + " must be finite and in [0, " + MAX_PARAMETER + "], got " + value);
    }
  }

  private static void requireStaleness(long staleness) {
    if (staleness < 0) {
      throw new IllegalArgumentException("staleness must be >= 0, got " + staleness);
    }
  }
}
