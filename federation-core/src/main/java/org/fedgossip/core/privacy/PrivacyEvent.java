package org.fedgossip.core.privacy;

/**
 * One run of the Poisson-sampled Gaussian mechanism: {@code steps} releases, each sampling every
 * record independently with probability {@code samplingRate} and adding Gaussian noise of standard
 * deviation {@code noiseMultiplier} times the L2 sensitivity.
 *
 * <p>This is the unit the {@link RdpAccountant} composes and the {@link PrivacyLedger} records
 * (Mironov, Talwar and Zhang 2019, Section 3).
 *
 * @param samplingRate the Poisson sampling probability q, in [0, 1]; 1 means no subsampling
 * @param noiseMultiplier σ, the noise standard deviation divided by the L2 sensitivity; finite and
 *     &gt; 0
 * @param steps the number of releases composed, at least 1
 */
public record PrivacyEvent(double samplingRate, double noiseMultiplier, long steps) {

  /** Validates the three fields; each error names the field, its value and the allowed range. */
  public PrivacyEvent {
    if (!(samplingRate >= 0.0 && samplingRate <= 1.0)) {
      throw new IllegalArgumentException("samplingRate must be in [0, 1], got " + samplingRate);
    }
    if (!(noiseMultiplier > 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
  }
}
