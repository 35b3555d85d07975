package org.fedgossip.gossip;

/**
 * Why a received gossip message or item was dropped; each is a separate counter of {@link
 * GossipCounters}. None of them is ever thrown into the transport.
 */
public enum GossipDropReason {
  /** The message is larger than the configured limit. */
  OVERSIZED,
  /** The bytes are not a valid gossip message, or a field has the wrong size. */
  MALFORMED,
  /** The sending peer exceeded its token bucket. */
  RATE_LIMITED,
  /** No certificate is known for the item's origin. */
  UNKNOWN_ORIGIN,
  /** The origin's certificate is not valid (unknown CA, expired, revoked, id mismatch). */
  INVALID_CERTIFICATE,
  /** The item's signature does not verify: it was altered or forged. */
  BAD_SIGNATURE,
  /** Replay guard: the origin's sequence number was already used for another item. */
  REPLAYED,
  /** Replay guard: the signed timestamp is outside the freshness window, or below the window. */
  STALE,
  /** Replay guard: the signed timestamp is too far in the future. */
  FROM_FUTURE,
  /** The item's round was already evicted from the bounded store. */
  EVICTED_ROUND,
  /** The origin signed two different items for the same round (equivocation). */
  EQUIVOCATION,
  /** The item's payload exceeds {@code maxPayloadBytes}. */
  PAYLOAD_TOO_LARGE,
  /**
   * Handling the message threw an unexpected exception: a bug in this node, not the sender's fault,
   * so the sender is not charged. Logged at warn with the sender and the exception; the fuzz test
   * {@code GossipMessagesFuzzTest} keeps this counter at zero.
   */
  HANDLER_FAILED
}
