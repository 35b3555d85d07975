package org.fedgossip.trust;

/**
 * The outcome of checking a presented certificate against the federation CA and its CRL; each
 * refusal is a distinct value so the transport can count it.
 */
public enum CertificateStatus {
  /** Issued by the federation CA, within validity, not revoked, and its id matches its key. */
  OK,
  /** No certificate was presented. */
  NO_CERTIFICATE,
  /** The certificate was not issued (signed) by the federation CA. */
  UNKNOWN_CA,
  /** The check time is after the certificate's expiry or before its start (or the CA's). */
  EXPIRED,
  /** The certificate's serial is on the CA's CRL. */
  REVOKED,
  /**
   * The certificate carries no fedgossip peer id, a malformed one, or one that is not the hash of
   * its public key.
   */
  ID_MISMATCH
}
