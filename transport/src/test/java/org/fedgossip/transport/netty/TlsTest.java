package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine settings {@link Tls} gives each side of a connection. */
class TlsTest {

  @TempDir Path directory;

  @Test
  void bothSidesOfferAes128GcmFirstAndTheAcceptorChoosesByItsOwnOrder() {
    FederationPki pki = FederationPki.create(directory, "suite CA", 21);
    TlsConfig tls = pki.tls(pki.issue("peer")).tlsConfig();

    SSLEngine acceptor = Tls.acceptor(tls).engine();
    SSLEngine connector = Tls.connector(tls, new InetSocketAddress("127.0.0.1", 1)).engine();

    for (SSLEngine engine : new SSLEngine[] {acceptor, connector}) {
      assertThat(engine.getEnabledCipherSuites()[0]).isEqualTo("TLS_AES_128_GCM_SHA256");
      assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
    }
    assertThat(acceptor.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
    assertThat(acceptor.getWantClientAuth()).isTrue();
  }
}
