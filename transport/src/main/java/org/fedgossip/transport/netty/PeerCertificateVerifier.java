package org.fedgossip.transport.netty;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.fedgossip.trust.PeerId;

/**
 * Maps the certificate chain a peer presented in the TLS handshake to its {@link PeerId}, or
 * refuses it.
 *
 * <p>The chain has already been validated by the {@code SSLContext}'s trust manager (signature up
 * to a trusted CA, validity dates). The verifier adds what the transport cannot know: revocation
 * and the binding of the certificate to a peer id. The trust module supplies the federation's
 * verifier; it must be thread-safe, as event loops call it concurrently.
 */
@FunctionalInterface
public interface PeerCertificateVerifier {

  /**
   * Returns the id bound to the peer's certificate.
   *
   * @param chain the peer's chain, its own certificate first
   * @return the peer's id
   * @throws CertificateException when the certificate is revoked or binds no valid id
   */
  PeerId verify(X509Certificate[] chain) throws CertificateException;
}
