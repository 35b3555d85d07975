package org.fedgossip.core.privacy;

/**
 * A total (ε, δ) differential-privacy budget that a peer may spend over its whole life.
 *
 * <p>The {@link PrivacyLedger} refuses any charge whose composed ε, at this δ, would exceed {@code
 * epsilon}.
 *
 * @param epsilon the ε budget in nats; finite and &gt; 0
 * @param delta the δ at which ε is measured; in (0, 1)
 */
public record PrivacyBudget(double epsilon, double delta) implements java.io.Serializable {

  /** Validates both fields; each error names the field, its value and the allowed range. */
  public PrivacyBudget {
    if (!(epsilon > 0.0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
  }
}
