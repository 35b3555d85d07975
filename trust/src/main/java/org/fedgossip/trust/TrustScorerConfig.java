package org.fedgossip.trust;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link TrustScorer}.
 *
 * @param prior the score of a peer never seen, and the value scores decay towards, in [0, 1]
 * @param halfLife how long until half of a score's distance to the prior has decayed, positive
 * @param weights for each evidence, the fraction of the distance to 1 (good evidence) or to 0 (bad
 *     evidence) the score moves, each in [0, 1]; every {@link Evidence} must be present
 * @param downWeightBelow a trusted peer whose score falls below this is down-weighted, in (0, 1]
 * @param excludeBelow a peer whose score falls below this is excluded, in [0, downWeightBelow)
 * @param hysteresis how far above a threshold a score must climb back before the standing improves,
 *     in [0, 1 - downWeightBelow]
 */
public record TrustScorerConfig(
    double prior,
    Duration halfLife,
    Map<Evidence, Double> weights,
    double downWeightBelow,
    double excludeBelow,
    double hysteresis) {

  /**
   * Default prior: 1.0. Every peer holds a certificate from the federation CA, so membership is
   * vetted before it ever sends; evidence can only take trust away, and decay gives it back.
   */
  public static final double DEFAULT_PRIOR = 1.0;

  /** Default half-life of evidence: 10 minutes. */
  public static final Duration DEFAULT_HALF_LIFE = Duration.ofMinutes(10);

  /** Default weight of ACCEPTED: each accepted message closes 5% of the gap to 1. */
  public static final double DEFAULT_ACCEPTED_WEIGHT = 0.05;

  /** Default weight of REJECTED_BY_ROBUST_RULE: 10% of the score is lost. */
  public static final double DEFAULT_ROBUST_REJECT_WEIGHT = 0.10;

  /** Default weight of INVALID_PACKET: 20% of the score is lost. */
  public static final double DEFAULT_INVALID_PACKET_WEIGHT = 0.20;

  /** Default weight of BAD_SIGNATURE: half the score is lost. */
  public static final double DEFAULT_BAD_SIGNATURE_WEIGHT = 0.50;

  /** Default weight of TIMEOUT: 5% of the score is lost. */
  public static final double DEFAULT_TIMEOUT_WEIGHT = 0.05;

  /** Default down-weight threshold. */
  public static final double DEFAULT_DOWN_WEIGHT_BELOW = 0.5;

  /** Default exclusion threshold. */
  public static final double DEFAULT_EXCLUDE_BELOW = 0.2;

  /** Default hysteresis. */
  public static final double DEFAULT_HYSTERESIS = 0.1;

  /** The defaults. */
  public static final TrustScorerConfig DEFAULT =
      new TrustScorerConfig(
          DEFAULT_PRIOR,
          DEFAULT_HALF_LIFE,
          defaultWeights(),
          DEFAULT_DOWN_WEIGHT_BELOW,
          DEFAULT_EXCLUDE_BELOW,
          DEFAULT_HYSTERESIS);

  /** Validates every field; messages name the field, its value and the allowed range. */
  public TrustScorerConfig {
    requireIn("prior", prior, 0, 1);
    if (halfLife == null || halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("halfLife must be a positive duration, got " + halfLife);
    }
    Objects.requireNonNull(weights, "weights");
    EnumMap<Evidence, Double> copy = new EnumMap<>(Evidence.class);
    for (Evidence e : Evidence.values()) {
      Double w = weights.get(e);
      if (w == null) {
        throw new IllegalArgumentException("weights has no entry for " + e);
      }
      requireIn("weights[" + e + "]", w, 0, 1);
      copy.put(e, w);
    }
    weights = java.util.Collections.unmodifiableMap(copy);
    if (!(downWeightBelow > 0 && downWeightBelow <= 1)) {
      throw new IllegalArgumentException(
          "downWeightBelow must be in (0, 1], got " + downWeightBelow);
    }
    if (!(excludeBelow >= 0 && excludeBelow < downWeightBelow)) {
      throw new IllegalArgumentException(
          "excludeBelow must be in [0, downWeightBelow="
              + downWeightBelow
              + "), got "
              + excludeBelow);
    }
    requireIn("hysteresis", hysteresis, 0, 1 - downWeightBelow);
  }

  /**
   * The default weights, keyed by evidence.
   *
   * @return a fresh modifiable map
   */
  public static Map<Evidence, Double> defaultWeights() {
    EnumMap<Evidence, Double> w = new EnumMap<>(Evidence.class);
    w.put(Evidence.ACCEPTED, DEFAULT_ACCEPTED_WEIGHT);
    w.put(Evidence.REJECTED_BY_ROBUST_RULE, DEFAULT_ROBUST_REJECT_WEIGHT);
    w.put(Evidence.INVALID_PACKET, DEFAULT_INVALID_PACKET_WEIGHT);
    w.put(Evidence.BAD_SIGNATURE, DEFAULT_BAD_SIGNATURE_WEIGHT);
    w.put(Evidence.TIMEOUT, DEFAULT_TIMEOUT_WEIGHT);
    return w;
  }

  /**
   * A copy with another prior.
   *
   * @param value the prior
   * @return the copy
   */
  public TrustScorerConfig withPrior(double value) {
    return new TrustScorerConfig(
        value, halfLife, weights, downWeightBelow, excludeBelow, hysteresis);
  }

  /**
   * A copy with another half-life.
   *
   * @param value the half-life
   * @return the copy
   */
  public TrustScorerConfig withHalfLife(Duration value) {
    return new TrustScorerConfig(prior, value, weights, downWeightBelow, excludeBelow, hysteresis);
  }

  /**
   * A copy with one weight changed.
   *
   * @param evidence the evidence
   * @param weight its weight
   * @return the copy
   */
  public TrustScorerConfig withWeight(Evidence evidence, double weight) {
    EnumMap<Evidence, Double> w = new EnumMap<>(weights);
    w.put(evidence, weight);
    return new TrustScorerConfig(prior, halfLife, w, downWeightBelow, excludeBelow, hysteresis);
  }

  private static void requireIn(String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }
}
