package org.fedgossip.trust;

/** What a peer's trust score means for how its contributions are used. */
public enum Standing {
  /** Contributions count in full. */
  TRUSTED,
  /** Contributions count with reduced weight. */
  DOWN_WEIGHTED,
  /** Contributions are ignored and the peer is not chosen as a gossip partner. */
  EXCLUDED
}
