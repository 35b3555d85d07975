package org.fedgossip.transport.netty;

import java.security.cert.CertificateException;
import java.util.Objects;
import org.fedgossip.trust.CertificateStatus;

/**
 * A peer certificate refused by the federation's trust manager, carrying the trust module's
 * classification so the transport can count each refusal under its own {@link
 * org.fedgossip.transport.DropReason}.
 *
 * <p>SunJSSE wraps the exception a trust manager throws as the cause of the handshake's {@code
 * SSLHandshakeException}, so the status survives to the pipeline's failure event.
 */
public final class CertificateRefusedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Why the certificate was refused; never OK. */
  private final CertificateStatus status;

  /**
   * Creates the exception.
   *
   * @param status why the certificate was refused; must not be OK
   * @param message a description naming the certificate
   * @throws IllegalArgumentException if the status is OK
   */
  public CertificateRefusedException(CertificateStatus status, String message) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
    if (status == CertificateStatus.OK) {
      throw new IllegalArgumentException("status must be a refusal, got OK");
    }
  }

  /**
   * Why the certificate was refused.
   *
   * @return a status other than OK
   */
  public CertificateStatus status() {
    return status;
  }
}
