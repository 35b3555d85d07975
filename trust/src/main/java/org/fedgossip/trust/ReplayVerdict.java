package org.fedgossip.trust;

/** The outcome of {@link ReplayGuard#check}: accepted, or a distinct reason for refusal. */
public enum ReplayVerdict {
  /** Fresh and not seen before; recorded. */
  ACCEPTED,
  /** The sender's sequence number was already accepted within the window. */
  DUPLICATE,
  /**
   * The timestamp is older than the freshness window, or not newer than the floor left by an
   * evicted sender (see {@link ReplayGuard}).
   */
  TOO_OLD,
  /** The timestamp is further in the future than the allowed clock skew. */
  FROM_FUTURE,
  /** The sequence number is too far below the sender's highest to be tracked by the window. */
  BELOW_WINDOW
}
