package org.fedgossip.transport.netty;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Mutual TLS for a {@link NettyTransport}: the JDK {@link SSLContext} holding this peer's key and
 * certificate and the federation CA as trust anchor, and the verifier that turns a peer's
 * certificate into its id.
 *
 * <p>Both sides present a certificate: the acceptor requires one from the connector, and the
 * connector checks that the acceptor's certificate names the peer it dialled. A peer's id comes
 * from its verified certificate; the hello must claim that same id or the connection is closed.
 *
 * @param sslContext the initialised context; its key manager presents this peer's certificate
 * @param verifier maps a validated chain to a peer id, or refuses it
 * @param protocols the TLS versions enabled, for example {@code TLSv1.3}
 */
public record TlsConfig(
    SSLContext sslContext, PeerCertificateVerifier verifier, String[] protocols) {

  /** The default protocols: TLS 1.3 only. */
  public static final String[] DEFAULT_PROTOCOLS = {"TLSv1.3"};

  /** Checks that every part is present and copies the protocol list. */
  public TlsConfig {
    Objects.requireNonNull(sslContext, "tls.sslContext");
    Objects.requireNonNull(verifier, "tls.verifier");
    Objects.requireNonNull(protocols, "tls.protocols");
    if (protocols.length == 0) {
      throw new IllegalArgumentException("tls.protocols is empty; it must name at least one");
    }
    protocols = protocols.clone();
  }

  /**
   * TLS 1.3 with the given context and verifier.
   *
   * @param sslContext the initialised context
   * @param verifier maps a validated chain to a peer id
   * @return the configuration
   */
  public static TlsConfig tls13(SSLContext sslContext, PeerCertificateVerifier verifier) {
    return new TlsConfig(sslContext, verifier, DEFAULT_PROTOCOLS);
  }

  @Override
  public String[] protocols() {
    return protocols.clone();
  }
}
