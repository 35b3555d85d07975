package org.fedgossip.trust;

/** An observation about a peer that moves its {@link TrustScorer} score. */
public enum Evidence {
  /** A message from the peer passed every check and was used. Raises the score. */
  ACCEPTED,
  /** The peer's update was discarded by the Byzantine-robust aggregation rule. Lowers it. */
  REJECTED_BY_ROBUST_RULE,
  /** A packet from the peer failed a generic or shape check. Lowers it. */
  INVALID_PACKET,
  /** A packet the peer delivered carried a signature that does not verify. Lowers it. */
  BAD_SIGNATURE,
  /** The peer did not answer in time. Lowers it slightly: honest peers time out too. */
  TIMEOUT;

  /**
   * Whether this evidence raises the score.
   *
   * @return true only for ACCEPTED
   */
  public boolean isGood() {
    return this == ACCEPTED;
  }
}
