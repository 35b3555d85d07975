package org.fedgossip.core.buffer;

/**
 * The outcome of {@link StalenessBuffer#offer}: accepted, or the reason it was refused.
 *
 * <p>A refusal never changes the buffer's contents; it only increments the counter for its reason.
 */
public enum Admission {
  /** Stored; if the buffer was full, its stalest entry was evicted to make room. */
  ACCEPTED,
  /** Refused: an update from the same origin for the same round is already held. */
  DUPLICATE,
  /** Refused: the update's round is later than the buffer's current round. */
  FUTURE_ROUND,
  /** Refused: the update is already older than the configured maximum staleness. */
  TOO_STALE,
  /** Refused: the buffer is full and the incoming update is no fresher than its stalest entry. */
  BUFFER_FULL;

  /**
   * Whether this outcome stored the update.
   *
   * @return true only for {@link #ACCEPTED}
   */
  public boolean accepted() {
    return this == ACCEPTED;
  }
}
