package org.fedgossip.transport.netty;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.fedgossip.trust.PeerId;

/** Builds the TLS handlers that go first in each pipeline and reads the peer's verified id. */
final class Tls {
  /** The name of the TLS handler, first in every pipeline of a TLS transport. */
  static final String HANDLER_NAME = "tls";

  /**
   * The allocator of TLS connections: heap buffers, so the JDK's TLS engine encrypts and decrypts
   * byte arrays, the path its AES-GCM intrinsics serve fastest (direct buffers measured slower).
   */
  static final ByteBufAllocator HEAP_ALLOCATOR = new AdaptiveByteBufAllocator(false);

  private Tls() {}

  /** The acceptor's handler: it requires a client certificate. */
  static SslHandler acceptor(TlsConfig tls) {
    SSLEngine engine = tls.sslContext().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(tls.protocols());
    return new SslHandler(engine);
  }

  /** The connector's handler. */
  static SslHandler connector(TlsConfig tls, InetSocketAddress target) {
    SSLEngine engine = tls.sslContext().createSSLEngine(target.getHostString(), target.getPort());
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(tls.protocols());
    return new SslHandler(engine);
  }

  /**
   * Returns the id bound to the certificate the peer presented on this channel's finished
   * handshake.
   *
   * @throws CertificateException when there is no certificate or the verifier refuses it
   */
  static PeerId verifiedPeer(Channel channel, TlsConfig tls) throws CertificateException {
    SslHandler handler = (SslHandler) channel.pipeline().get(HANDLER_NAME);
    if (handler == null) {
      throw new CertificateException("the connection has no TLS handler");
    }
    Certificate[] presented;
    try {
      presented = handler.engine().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateException("the peer presented no certificate", e);
    }
    X509Certificate[] chain = new X509Certificate[presented.length];
    for (int i = 0; i < presented.length; i++) {
      if (!(presented[i] instanceof X509Certificate x509)) {
        throw new CertificateException(
            "the peer presented a " + presented[i].getType() + " certificate");
      }
      chain[i] = x509;
    }
    PeerId id = tls.verifier().verify(chain);
    if (id == null) {
      throw new CertificateException("the verifier bound no peer id to the certificate");
    }
    return id;
  }

  /** Tells whether a failure comes from TLS (a handshake or record error). */
  static boolean isTlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }
}
