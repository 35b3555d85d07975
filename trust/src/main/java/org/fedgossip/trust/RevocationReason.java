package org.fedgossip.trust;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Why a certificate was revoked: the CRLReason codes of RFC 5280, section 5.3.1, that apply to a
 * federation.
 */
public enum RevocationReason {
  /** No reason given (code 0). */
  UNSPECIFIED(CRLReason.unspecified),
  /** The peer's private key is known or suspected to be compromised (code 1). */
  KEY_COMPROMISE(CRLReason.keyCompromise),
  /** The peer moved to another basket or organisation (code 3). */
  AFFILIATION_CHANGED(CRLReason.affiliationChanged),
  /** A new certificate replaces this one (code 4). */
  SUPERSEDED(CRLReason.superseded),
  /** The peer left the federation (code 5). */
  CESSATION_OF_OPERATION(CRLReason.cessationOfOperation);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /**
   * The RFC 5280 reason code.
   *
   * @return the code written into the CRL entry
   */
  public int code() {
    return code;
  }
}
