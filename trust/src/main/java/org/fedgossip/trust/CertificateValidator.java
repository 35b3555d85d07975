package org.fedgossip.trust;

import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Classifies a presented certificate chain against the federation CA, its CRL and a time, with a
 * distinct {@link CertificateStatus} per refusal.
 *
 * <p>Only the leaf (first) certificate matters: federation certificates are issued directly by the
 * CA, so any intermediate a peer sends is ignored and cannot help a certificate from another CA.
 * Checks run in the order NO_CERTIFICATE, UNKNOWN_CA (issuer name and Ed25519 signature), EXPIRED
 * (leaf and CA validity at the passed-in time, inclusive bounds), ID_MISMATCH, REVOKED. The CRL's
 * signature is checked when it is installed; its next-update time is not enforced, because the CA
 * sets it to its own expiry. The CRL can be swapped at run time with {@link #withCrl}; the
 * validator is immutable and thread-safe.
 */
public final class CertificateValidator {

  private final X509Certificate caCertificate;
  private final X509CRL crl;

  /**
   * Creates a validator.
   *
   * @param caCertificate the federation CA certificate
   * @param crl the CA's current CRL
   * @throws TrustException if the CRL was not issued and signed by that CA
   */
  public CertificateValidator(X509Certificate caCertificate, X509CRL crl) {
    this.caCertificate = Objects.requireNonNull(caCertificate, "caCertificate");
    this.crl = Objects.requireNonNull(crl, "crl");
    if (!crl.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
      throw new TrustException(
          "the CRL was issued by "
              + crl.getIssuerX500Principal()
              + ", not by the CA "
              + caCertificate.getSubjectX500Principal());
    }
    try {
      crl.verify(caCertificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new TrustException(
          "the CRL is not signed by the CA " + caCertificate.getSubjectX500Principal() + ": " + e,
          e);
    }
  }

  /**
   * A validator for a CA directory written by {@link FederationCa}: its {@code ca.crt} and {@code
   * ca.crl}. Call again after a revocation to pick up the new CRL.
   *
   * @param caDirectory the CA directory; the private key is not read
   * @return the validator
   * @throws TrustException naming the file if either file is missing or malformed
   */
  public static CertificateValidator fromDirectory(java.nio.file.Path caDirectory) {
    return new CertificateValidator(
        FederationCa.readCertificate(caDirectory), FederationCa.readCrl(caDirectory));
  }

  /**
   * A validator with the same CA and a newer CRL.
   *
   * @param newCrl the replacement CRL
   * @return a new validator
   */
  public CertificateValidator withCrl(X509CRL newCrl) {
    return new CertificateValidator(caCertificate, newCrl);
  }

  /**
   * The CA certificate this validator trusts.
   *
   * @return the CA certificate
   */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * The CRL this validator honours.
   *
   * @return the CRL
   */
  public X509CRL crl() {
    return crl;
  }

  /**
   * The result of a check.
   *
   * @param status OK or the reason for refusal
   * @param peer the parsed certificate when the status is OK or a refusal found after parsing
   *     (EXPIRED, REVOKED), otherwise null
   */
  public record Result(CertificateStatus status, PeerCertificate peer) {

    /** Checks the status is present. */
    public Result {
      Objects.requireNonNull(status, "status");
    }

    /**
     * Whether the certificate was accepted.
     *
     * @return true when the status is OK
     */
    public boolean ok() {
      return status == CertificateStatus.OK;
    }
  }

  /**
   * Checks a chain as presented in a TLS handshake.
   *
   * @param chain the chain, leaf first; null or empty means no certificate
   * @param now the time of the check
   * @return the status and, when parsed, the peer certificate
   */
  public Result validate(X509Certificate[] chain, Instant now) {
    return validate(chain == null || chain.length == 0 ? null : chain[0], now);
  }

  /**
   * Checks a chain given as a list, leaf first.
   *
   * @param chain the chain; null or empty means no certificate
   * @param now the time of the check
   * @return the status and, when parsed, the peer certificate
   */
  public Result validate(List<X509Certificate> chain, Instant now) {
    return validate(chain == null || chain.isEmpty() ? null : chain.get(0), now);
  }

  /**
   * Checks a single peer certificate.
   *
   * @param certificate the certificate, or null for none
   * @param now the time of the check
   * @return the status and, when parsed, the peer certificate
   */
  public Result validate(X509Certificate certificate, Instant now) {
    Objects.requireNonNull(now, "now");
    if (certificate == null) {
      return new Result(CertificateStatus.NO_CERTIFICATE, null);
    }
    if (!certificate.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
      return new Result(CertificateStatus.UNKNOWN_CA, null);
    }
    try {
      certificate.verify(caCertificate.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      return new Result(CertificateStatus.UNKNOWN_CA, null);
    }
    PeerCertificate peer;
    try {
      peer = PeerCertificate.parse(certificate);
    } catch (TrustException e) {
      return new Result(CertificateStatus.ID_MISMATCH, null);
    }
    if (outside(certificate, now) || outside(caCertificate, now)) {
      return new Result(CertificateStatus.EXPIRED, peer);
    }
    if (!peer.idMatchesKey()) {
      return new Result(CertificateStatus.ID_MISMATCH, peer);
    }
    if (crl.getRevokedCertificate(certificate.getSerialNumber()) != null) {
      return new Result(CertificateStatus.REVOKED, peer);
    }
    return new Result(CertificateStatus.OK, peer);
  }

  private static boolean outside(X509Certificate c, Instant now) {
    return now.isBefore(c.getNotBefore().toInstant()) || now.isAfter(c.getNotAfter().toInstant());
  }
}
