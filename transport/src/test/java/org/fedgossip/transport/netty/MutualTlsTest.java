package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedgossip.transport.TestPeers.peer;
import static org.fedgossip.transport.netty.NettyTransportBehaviourTest.await;
import static org.fedgossip.transport.netty.NettyTransportBehaviourTest.loopbackAnyPort;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedgossip.transport.DropReason;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handshake refusals of mutual TLS, each counted by the acceptor: no certificate, a certificate
 * from another CA, an expired one, a revoked one, and a hello claiming another peer's id. Payloads
 * from a refused peer never reach a handler.
 */
class MutualTlsTest {

  private static final TestPki.Authority CA = TestPki.authority("federation CA");
  private static final TestPki.Authority OTHER_CA = TestPki.authority("another CA");
  private static final PeerId RECEIVER = peer("tls-receiver");
  private static final PeerId SENDER = peer("tls-sender");

  private final List<NettyTransport> open = new ArrayList<>();
  private final AtomicInteger delivered = new AtomicInteger();

  @AfterEach
  void closeAll() {
    open.forEach(NettyTransport::close);
  }

  private NettyTransport started(PeerId id, TlsConfig tls) {
    TransportConfig config =
        TransportConfig.loopback().withReconnect(Duration.ofMillis(20), Duration.ofMillis(50), 3);
    NettyTransport t = new NettyTransport(id, loopbackAnyPort(), config, 3L, tls);
    open.add(t);
    t.onReceive(1, (from, type, payload) -> delivered.incrementAndGet());
    t.start();
    return t;
  }

  private NettyTransport receiver(Set<BigInteger> revoked) {
    return started(RECEIVER, TestPki.tls(TestPki.issue(CA, RECEIVER), CA, revoked));
  }

  /** Sends from {@code sender} to the receiver until the receiver counts {@code reason}. */
  private void assertRefused(NettyTransport receiver, NettyTransport sender, DropReason reason) {
    sender.addPeer(RECEIVER, receiver.localAddress());
    assertThat(
            await(
                () -> {
                  sender.send(RECEIVER, 1, new byte[] {1});
                  return receiver.counters().dropped(reason) >= 1;
                }))
        .as("receiver counts %s", reason)
        .isTrue();
    assertThat(delivered.get()).isZero();
  }

  @Test
  void acceptsAPeerWithAValidCertificateAndNamesItByTheCertificate() throws Exception {
    NettyTransport receiver = receiver(Set.of());
    NettyTransport sender = started(SENDER, TestPki.tls(TestPki.issue(CA, SENDER), CA, Set.of()));
    List<PeerId> from = new ArrayList<>();
    receiver.onReceive(2, (id, type, payload) -> from.add(id));
    sender.addPeer(RECEIVER, receiver.localAddress());
    sender.send(RECEIVER, 2, new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(await(() -> from.size() == 1)).isTrue();
    assertThat(from).containsExactly(SENDER);
  }

  @Test
  void refusesAPeerWithoutCertificate() {
    NettyTransport receiver = receiver(Set.of());
    NettyTransport sender = started(SENDER, TestPki.tls(null, CA, Set.of()));
    assertRefused(receiver, sender, DropReason.TLS_HANDSHAKE_FAILED);
  }

  @Test
  void refusesACertificateFromAnotherCa() {
    NettyTransport receiver = receiver(Set.of());
    NettyTransport sender =
        started(SENDER, TestPki.tls(TestPki.issue(OTHER_CA, SENDER), CA, Set.of()));
    assertRefused(receiver, sender, DropReason.TLS_HANDSHAKE_FAILED);
  }

  @Test
  void refusesAnExpiredCertificate() {
    NettyTransport receiver = receiver(Set.of());
    Instant now = Instant.now();
    TestPki.Credential expired =
        TestPki.issue(CA, SENDER, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    NettyTransport sender = started(SENDER, TestPki.tls(expired, CA, Set.of()));
    assertRefused(receiver, sender, DropReason.TLS_HANDSHAKE_FAILED);
  }

  @Test
  void refusesARevokedCertificate() {
    TestPki.Credential revoked = TestPki.issue(CA, SENDER);
    NettyTransport receiver = receiver(Set.of(revoked.certificate().getSerialNumber()));
    NettyTransport sender = started(SENDER, TestPki.tls(revoked, CA, Set.of()));
    assertRefused(receiver, sender, DropReason.TLS_HANDSHAKE_FAILED);
  }

  @Test
  void refusesAHelloClaimingAnotherPeersId() {
    NettyTransport receiver = receiver(Set.of());
    // Mallory holds a valid certificate for herself but runs her transport as SENDER.
    NettyTransport impostor =
        started(SENDER, TestPki.tls(TestPki.issue(CA, peer("mallory")), CA, Set.of()));
    assertRefused(receiver, impostor, DropReason.PEER_IDENTITY_MISMATCH);
  }

  @Test
  void connectorRefusesAnAcceptorWhoseCertificateNamesAnotherPeer() {
    PeerId other = peer("someone-else");
    NettyTransport wrong = started(other, TestPki.tls(TestPki.issue(CA, other), CA, Set.of()));
    NettyTransport sender = started(SENDER, TestPki.tls(TestPki.issue(CA, SENDER), CA, Set.of()));
    // The sender believes RECEIVER listens where "someone-else" does.
    sender.addPeer(RECEIVER, wrong.localAddress());
    assertThat(
            await(
                () -> {
                  sender.send(RECEIVER, 1, new byte[] {1});
                  return sender.counters().dropped(DropReason.PEER_IDENTITY_MISMATCH) >= 1;
                }))
        .isTrue();
    assertThat(delivered.get()).isZero();
  }
}
