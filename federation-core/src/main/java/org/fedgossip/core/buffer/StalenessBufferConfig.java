package org.fedgossip.core.buffer;

import java.util.Objects;

/**
 * Immutable, validated configuration of a {@link StalenessBuffer}.
 *
 * @param maxEntries the most updates held at once, in {@code [1, 1_000_000]}; bounds memory to
 *     about {@code maxEntries × dimension × 4} bytes
 * @param maxStaleness the oldest staleness kept, in rounds, in {@code [0, 1_000_000]}; an update
 *     with {@code currentRound − round > maxStaleness} is refused or evicted
 * @param decay how weights fall with staleness
 */
public record StalenessBufferConfig(int maxEntries, long maxStaleness, StalenessDecay decay) {

  /** Upper bound accepted for {@link #maxEntries()}. */
  public static final int MAX_MAX_ENTRIES = 1_000_000;

  /** Upper bound accepted for {@link #maxStaleness()}. */
  public static final long MAX_MAX_STALENESS = 1_000_000L;

  /** Default entry bound: a basket of a few hundred peers with some rounds of slack. */
  public static final int DEFAULT_MAX_ENTRIES = 1024;

  /** Default maximum staleness, in rounds. */
  public static final long DEFAULT_MAX_STALENESS = 8;

  /** Default decay: polynomial with exponent 0.5, the value FedAsync's experiments favour. */
  public static final StalenessDecay DEFAULT_DECAY = StalenessDecay.polynomial(0.5);

  /**
   * Validates every field; the message names the field and its allowed range.
   *
   * @param maxEntries see the record component
   * @param maxStaleness see the record component
   * @param decay see the record component
   */
  public StalenessBufferConfig {
    if (maxEntries < 1 || maxEntries > MAX_MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "maxEntries must be in [1, " + MAX_MAX_ENTRIES + "], got " + maxEntries);
    }
    if (maxStaleness < 0 || maxStaleness > MAX_MAX_STALENESS) {
      throw new IllegalArgumentException(
          "maxStaleness must be in [0, " + MAX_MAX_STALENESS + "], got " + maxStaleness);
    }
    Objects.requireNonNull(decay, "decay must not be null");
  }

  /**
   * The defaults: {@value #DEFAULT_MAX_ENTRIES} entries, staleness at most {@value
   * #DEFAULT_MAX_STALENESS} rounds, polynomial decay with exponent 0.5.
   *
   * @return the default configuration
   */
  public static StalenessBufferConfig defaults() {
    return new StalenessBufferConfig(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_STALENESS, DEFAULT_DECAY);
  }

  /**
   * A copy with another entry bound.
   *
   * @param value in {@code [1, 1_000_000]}
   * @return the copy
   */
  public StalenessBufferConfig withMaxEntries(int value) {
    return new StalenessBufferConfig(value, maxStaleness, decay);
  }

  /**
   * A copy with another maximum staleness.
   *
   * @param value rounds, in {@code [0, 1_000_000]}
   * @return the copy
   */
  public StalenessBufferConfig withMaxStaleness(long value) {
    return new StalenessBufferConfig(maxEntries, value, decay);
  }

  /**
   * A copy with another decay.
   *
   * @param value the decay, not null
   * @return the copy
   */
  public StalenessBufferConfig withDecay(StalenessDecay value) {
    return new StalenessBufferConfig(maxEntries, maxStaleness, value);
  }
}
