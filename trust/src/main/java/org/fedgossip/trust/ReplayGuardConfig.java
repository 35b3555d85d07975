package org.fedgossip.trust;

import java.time.Duration;

/**
 * Settings of a {@link ReplayGuard}.
 *
 * @param freshnessMillis how old a timestamp may be, in milliseconds, &gt; 0
 * @param futureSkewMillis how far ahead of the receiver's clock a timestamp may be, in
 *     milliseconds, &ge; 0
 * @param sequenceWindow how many sequence numbers below the highest are still tracked (the anti-
 *     replay window of RFC 4303, section 3.4.3), in [1, 64]
 * @param maxSenders how many senders are tracked at most before the least recently seen is evicted,
 *     &ge; 1
 */
public record ReplayGuardConfig(
    long freshnessMillis, long futureSkewMillis, int sequenceWindow, int maxSenders) {

  /** Default freshness window: 2 minutes. */
  public static final long DEFAULT_FRESHNESS_MILLIS = Duration.ofMinutes(2).toMillis();

  /** Default future skew: 30 seconds. */
  public static final long DEFAULT_FUTURE_SKEW_MILLIS = Duration.ofSeconds(30).toMillis();

  /** Default window: 64 sequence numbers, the size IPsec recommends. */
  public static final int DEFAULT_SEQUENCE_WINDOW = 64;

  /** Default bound on tracked senders: 65 536 (about 5 MiB of state). */
  public static final int DEFAULT_MAX_SENDERS = 1 << 16;

  /** The defaults. */
  public static final ReplayGuardConfig DEFAULT =
      new ReplayGuardConfig(
          DEFAULT_FRESHNESS_MILLIS,
          DEFAULT_FUTURE_SKEW_MILLIS,
          DEFAULT_SEQUENCE_WINDOW,
          DEFAULT_MAX_SENDERS);

  /** Validates every field; the message names the field, its value and the allowed range. */
  public ReplayGuardConfig {
    if (freshnessMillis <= 0) {
      throw new IllegalArgumentException("freshnessMillis must be > 0, got " + freshnessMillis);
    }
    if (futureSkewMillis < 0) {
      throw new IllegalArgumentException("futureSkewMillis must be >= 0, got " + futureSkewMillis);
    }
    if (sequenceWindow < 1 || sequenceWindow > 64) {
      throw new IllegalArgumentException(
          "sequenceWindow must be in [1, 64], got " + sequenceWindow);
    }
    if (maxSenders < 1) {
      throw new IllegalArgumentException("maxSenders must be >= 1, got " + maxSenders);
    }
  }

  /**
   * A copy with another sender bound.
   *
   * @param value the new bound
   * @return the copy
   */
  public ReplayGuardConfig withMaxSenders(int value) {
    return new ReplayGuardConfig(freshnessMillis, futureSkewMillis, sequenceWindow, value);
  }

  /**
   * A copy with another window.
   *
   * @param value the new window
   * @return the copy
   */
  public ReplayGuardConfig withSequenceWindow(int value) {
    return new ReplayGuardConfig(freshnessMillis, futureSkewMillis, value, maxSenders);
  }
}
