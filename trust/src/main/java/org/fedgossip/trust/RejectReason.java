package org.fedgossip.trust;

/**
 * Why {@link PacketCheck} refused a packet: one distinct, countable value per failed check, in the
 * order the checks run.
 */
public enum RejectReason {
  /** The payload is larger than the configured limit. */
  OVERSIZED,
  /** The payload type is not one the receiver knows. */
  UNKNOWN_PAYLOAD_TYPE,
  /** The sender presented no certificate (none is known for it). */
  NO_CERTIFICATE,
  /** The sender's certificate was not issued by the federation CA. */
  UNKNOWN_CA,
  /** The sender's certificate has expired or is not yet valid. */
  CERTIFICATE_EXPIRED,
  /** The sender's certificate is on the CRL. */
  CERTIFICATE_REVOKED,
  /** The sender's certificate's peer id is missing or is not the hash of its key. */
  CERTIFICATE_ID_MISMATCH,
  /** The certificate is valid but belongs to another peer than the payload's claimed sender. */
  SENDER_MISMATCH,
  /** The Ed25519 signature does not verify. */
  BAD_SIGNATURE,
  /** Replay guard: the sequence number was already accepted. */
  DUPLICATE,
  /** Replay guard: the timestamp is outside the freshness window or below the eviction floor. */
  TOO_OLD,
  /** Replay guard: the timestamp is beyond the allowed future skew. */
  FROM_FUTURE,
  /** Replay guard: the sequence number is below the sender's sliding window. */
  BELOW_WINDOW;

  /**
   * The reason for a certificate refusal.
   *
   * @param status a status other than OK
   * @return the matching reason
   */
  public static RejectReason of(CertificateStatus status) {
    return switch (status) {
      case NO_CERTIFICATE -> NO_CERTIFICATE;
      case UNKNOWN_CA -> UNKNOWN_CA;
      case EXPIRED -> CERTIFICATE_EXPIRED;
      case REVOKED -> CERTIFICATE_REVOKED;
      case ID_MISMATCH -> CERTIFICATE_ID_MISMATCH;
      case OK -> throw new IllegalArgumentException("OK is not a reason to reject");
    };
  }

  /**
   * The reason for a replay-guard refusal.
   *
   * @param verdict a verdict other than ACCEPTED
   * @return the matching reason
   */
  public static RejectReason of(ReplayVerdict verdict) {
    return switch (verdict) {
      case DUPLICATE -> DUPLICATE;
      case TOO_OLD -> TOO_OLD;
      case FROM_FUTURE -> FROM_FUTURE;
      case BELOW_WINDOW -> BELOW_WINDOW;
      case ACCEPTED -> throw new IllegalArgumentException("ACCEPTED is not a reason to reject");
    };
  }
}
