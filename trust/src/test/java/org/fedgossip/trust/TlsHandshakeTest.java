package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the CA's certificates are usable by the JDK's TLS 1.3 (SunJSSE): a mutual handshake
 * between two in-memory {@link SSLEngine}s, no sockets.
 */
class TlsHandshakeTest {

  private static final char[] PASSWORD = "in-memory".toCharArray();

  /**
   * SunJSSE checks validity against the system clock, which cannot be passed in: the peer
   * certificates are issued from the real time of the test run (an hour back, for clock skew).
   */
  private static final Instant NOW = Clock.systemUTC().instant().minus(Duration.ofHours(1));

  private static TestPki.Peer issueNow(
      FederationCa ca, SecureRandom random, String name, String basket) {
    var keys = Ed25519Keys.generate(random);
    return new TestPki.Peer(
        keys, ca.issue(keys.getPublic(), name, basket, NOW, Duration.ofDays(2)));
  }

  @TempDir Path dir;

  @Test
  void shouldCompleteAMutualTls13HandshakeWithCertificatesFromTheCa() throws Exception {
    FederationCa ca = TestPki.newCa(dir, 1);
    SecureRandom random = TestPki.seeded(2);
    TestPki.Peer server = issueNow(ca, random, "server", "basket-a");
    TestPki.Peer client = issueNow(ca, random, "client", "basket-a");

    SSLEngine serverEngine = context(server, ca.certificate(), random).createSSLEngine();
    serverEngine.setUseClientMode(false);
    serverEngine.setNeedClientAuth(true);
    SSLEngine clientEngine = context(client, ca.certificate(), random).createSSLEngine();
    clientEngine.setUseClientMode(true);

    String[] received = exchange(clientEngine, serverEngine);

    assertThat(received[0]).isEqualTo("hello from the server");
    assertThat(received[1]).isEqualTo("hello from the client");
    assertThat(clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(serverEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
    Certificate[] seenByServer = serverEngine.getSession().getPeerCertificates();
    Certificate[] seenByClient = clientEngine.getSession().getPeerCertificates();
    assertThat(PeerCertificate.parse((X509Certificate) seenByServer[0]).peerId())
        .isEqualTo(client.id());
    assertThat(PeerCertificate.parse((X509Certificate) seenByClient[0]).peerId())
        .isEqualTo(server.id());
    CertificateValidator validator = new CertificateValidator(ca.certificate(), ca.crl());
    assertThat(validator.validate((X509Certificate[]) seenByServer, NOW).ok()).isTrue();
  }

  @Test
  void shouldFailTheHandshakeWhenTheClientCertificateComesFromAnotherCa() throws Exception {
    FederationCa ca = TestPki.newCa(dir.resolve("ca"), 1);
    FederationCa other = TestPki.newCa(dir.resolve("other"), 77);
    SecureRandom random = TestPki.seeded(2);
    TestPki.Peer server = issueNow(ca, random, "server", "basket-a");
    TestPki.Peer stranger = issueNow(other, random, "client", "basket-a");

    SSLEngine serverEngine = context(server, ca.certificate(), random).createSSLEngine();
    serverEngine.setUseClientMode(false);
    serverEngine.setNeedClientAuth(true);
    SSLEngine clientEngine = context(stranger, ca.certificate(), random).createSSLEngine();
    clientEngine.setUseClientMode(true);

    assertThatThrownBy(() -> exchange(clientEngine, serverEngine)).isInstanceOf(SSLException.class);
  }

  private static SSLContext context(TestPki.Peer peer, X509Certificate caCert, SecureRandom random)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "peer", peer.keys().getPrivate(), PASSWORD, new Certificate[] {peer.certificate(), caCert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("federation-ca", caCert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
    return context;
  }

  /**
   * Pumps records between the engines until each has received the other's greeting.
   *
   * @return {what the client received, what the server received}
   */
  private static String[] exchange(SSLEngine client, SSLEngine server) throws Exception {
    ByteBuffer clientOut =
        ByteBuffer.wrap("hello from the client".getBytes(StandardCharsets.UTF_8));
    ByteBuffer serverOut =
        ByteBuffer.wrap("hello from the server".getBytes(StandardCharsets.UTF_8));
    int packet = Math.max(client.getSession().getPacketBufferSize(), 1 << 15);
    int app = Math.max(client.getSession().getApplicationBufferSize(), 1 << 15);
    ByteBuffer clientToServer = ByteBuffer.allocate(packet);
    ByteBuffer serverToClient = ByteBuffer.allocate(packet);
    ByteBuffer clientIn = ByteBuffer.allocate(app);
    ByteBuffer serverIn = ByteBuffer.allocate(app);
    int wantClient = serverOut.remaining();
    int wantServer = clientOut.remaining();
    for (int round = 0; round < 200; round++) {
      runTasks(client, client.wrap(clientOut, clientToServer));
      runTasks(server, server.wrap(serverOut, serverToClient));
      clientToServer.flip();
      serverToClient.flip();
      runTasks(client, client.unwrap(serverToClient, clientIn));
      runTasks(server, server.unwrap(clientToServer, serverIn));
      clientToServer.compact();
      serverToClient.compact();
      if (clientIn.position() == wantClient && serverIn.position() == wantServer) {
        return new String[] {text(clientIn), text(serverIn)};
      }
    }
    throw new AssertionError("the handshake did not finish in 200 rounds");
  }

  private static void runTasks(SSLEngine engine, SSLEngineResult result) {
    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
      for (Runnable task = engine.getDelegatedTask();
          task != null;
          task = engine.getDelegatedTask()) {
        task.run();
      }
    }
  }

  private static String text(ByteBuffer buffer) {
    buffer.flip();
    return StandardCharsets.UTF_8.decode(buffer).toString();
  }
}
