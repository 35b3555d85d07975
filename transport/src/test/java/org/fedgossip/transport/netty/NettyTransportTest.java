package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedgossip.transport.TestPeers.peer;
import static org.fedgossip.transport.netty.NettyTransportBehaviourTest.await;
import static org.fedgossip.transport.netty.NettyTransportBehaviourTest.loopbackAnyPort;
import static org.fedgossip.transport.netty.NettyTransportBehaviourTest.refusingAddress;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.TransportException;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Netty-only behaviour on loopback: hostile sockets, frame limits, reconnects and idle close. */
class NettyTransportTest {

  private final List<NettyTransport> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(NettyTransport::close);
  }

  private NettyTransport started(String name, TransportConfig config) {
    NettyTransport t = new NettyTransport(peer(name), loopbackAnyPort(), config, 7L);
    open.add(t);
    t.start();
    return t;
  }

  private static TransportException failure(java.util.concurrent.CompletionStage<Void> stage)
      throws Exception {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (TransportException) e.getCause();
    }
    throw new AssertionError("the send succeeded; a failure was expected");
  }

  private static boolean closedByPeer(Socket socket) throws Exception {
    socket.setSoTimeout(10_000);
    InputStream in = socket.getInputStream();
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void twoGibibyteLengthPrefixClosesThatConnectionAndTheEndpointKeepsServing() throws Exception {
    NettyTransport receiver = started("receiver", TransportConfig.loopback());
    NettyTransport sender = started("sender", TransportConfig.loopback());
    AtomicInteger got = new AtomicInteger();
    receiver.onReceive(1, (from, type, payload) -> got.incrementAndGet());
    sender.addPeer(receiver.localId(), receiver.localAddress());

    try (Socket attacker = new Socket()) {
      attacker.connect(receiver.localAddress(), 5_000);
      OutputStream out = attacker.getOutputStream();
      out.write(new byte[] {(byte) 0x80, 0, 0, 0});
      out.write(new byte[1024]);
      out.flush();
      assertThat(closedByPeer(attacker)).isTrue();
    }

    assertThat(await(() -> receiver.counters().dropped(DropReason.OVERSIZED_FRAME) == 1)).isTrue();
    sender
        .send(receiver.localId(), 1, new byte[] {1})
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(await(() -> got.get() == 1)).isTrue();
  }

  @Test
  void seededRandomBytesOnManyConnectionsNeverStopTheEndpoint() throws Exception {
    long seed = 0x5EEDL;
    System.out.println("seededRandomBytesOnManyConnectionsNeverStopTheEndpoint seed=" + seed);
    SplittableRandom random = new SplittableRandom(seed);
    NettyTransport receiver =
        started("receiver", TransportConfig.loopback().withMaxFrameBytes(1 << 16));
    NettyTransport sender = started("sender", TransportConfig.loopback());
    AtomicInteger got = new AtomicInteger();
    receiver.onReceive(1, (from, type, payload) -> got.incrementAndGet());
    sender.addPeer(receiver.localId(), receiver.localAddress());
    int connections = 20;
    for (int i = 0; i < connections; i++) {
      try (Socket attacker = new Socket()) {
        attacker.connect(receiver.localAddress(), 5_000);
        byte[] noise = new byte[1 + random.nextInt(4096)];
        random.nextBytes(noise);
        attacker.getOutputStream().write(noise);
        attacker.getOutputStream().flush();
      }
    }
    for (int i = 0; i < 3; i++) {
      sender.send(receiver.localId(), 1, new byte[] {(byte) i});
    }
    assertThat(await(() -> got.get() == 3)).isTrue();
    assertThat(receiver.state()).isEqualTo(org.fedgossip.transport.LifecycleState.RUNNING);
    long rejected =
        receiver.counters().dropped(DropReason.MALFORMED_FRAME)
            + receiver.counters().dropped(DropReason.OVERSIZED_FRAME);
    // Each attacker either sent a complete bad frame (counted) or hung up mid-frame.
    assertThat(rejected).isPositive().isLessThanOrEqualTo(connections);
  }

  @Test
  void sendOfPayloadAboveTheFrameLimitFailsAtOnce() throws Exception {
    NettyTransport a = started("a", TransportConfig.loopback().withMaxFrameBytes(1024));
    NettyTransport b = started("b", TransportConfig.loopback());
    a.addPeer(b.localId(), b.localAddress());
    TransportException e = failure(a.send(b.localId(), 1, new byte[2048]));
    assertThat(e.reason()).isEqualTo(DropReason.PAYLOAD_TOO_LARGE);
    assertThat(e).hasMessageContaining("transport.maxFrameBytes is 1024");
  }

  @Test
  void queuedSendsFailAsUnreachableAfterTheConnectAttempts() throws Exception {
    NettyTransport a =
        started(
            "a",
            TransportConfig.loopback()
                .withReconnect(Duration.ofMillis(5), Duration.ofMillis(20), 3));
    PeerId ghost = peer("ghost");
    a.addPeer(ghost, refusingAddress());
    TransportException e = failure(a.send(ghost, 1, new byte[] {1}));
    assertThat(e.reason()).isEqualTo(DropReason.PEER_UNREACHABLE);
    assertThat(a.counters().dropped(DropReason.PEER_UNREACHABLE)).isEqualTo(1);
  }

  @Test
  void reconnectsToAPeerThatRestartsOnTheSameAddress() throws Exception {
    TransportConfig config =
        TransportConfig.loopback().withReconnect(Duration.ofMillis(5), Duration.ofMillis(50), 50);
    NettyTransport a = started("a", config);
    NettyTransport b1 = started("b", config);
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    b1.onReceive(1, (from, type, payload) -> got.add((int) payload.get(payload.position())));
    InetSocketAddress address = b1.localAddress();
    a.addPeer(b1.localId(), address);
    a.send(b1.localId(), 1, new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(await(() -> got.size() == 1)).isTrue();
    b1.close();

    NettyTransport b2 = new NettyTransport(peer("b"), address, config, 8L);
    open.add(b2);
    b2.onReceive(1, (from, type, payload) -> got.add((int) payload.get(payload.position())));
    b2.start();
    // The first send after the restart may be lost with the old connection; keep sending.
    assertThat(
            await(
                () -> {
                  a.send(b2.localId(), 1, new byte[] {2});
                  return got.contains(2);
                }))
        .isTrue();
  }

  @Test
  void idleConnectionsCloseAndTheNextSendReconnects() throws Exception {
    TransportConfig config = TransportConfig.loopback().withIdleTimeout(Duration.ofMillis(100));
    NettyTransport a = started("a", config);
    NettyTransport b = started("b", config);
    AtomicInteger got = new AtomicInteger();
    b.onReceive(1, (from, type, payload) -> got.incrementAndGet());
    a.addPeer(b.localId(), b.localAddress());
    a.send(b.localId(), 1, new byte[] {1}).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(
            await(
                () ->
                    a.counters().dropped(DropReason.IDLE_TIMEOUT)
                            + b.counters().dropped(DropReason.IDLE_TIMEOUT)
                        >= 1))
        .isTrue();
    assertThat(
            await(
                () -> {
                  a.send(b.localId(), 1, new byte[] {2});
                  return got.get() >= 2;
                }))
        .isTrue();
  }

  @Test
  void closeFailsQueuedSendsAndStopsWithinTheBound() throws Exception {
    NettyTransport a =
        started(
            "a",
            TransportConfig.loopback()
                .withReconnect(Duration.ofSeconds(5), Duration.ofSeconds(5), 3));
    PeerId ghost = peer("ghost");
    a.addPeer(ghost, refusingAddress());
    var stage = a.send(ghost, 1, new byte[] {1});
    a.close();
    TransportException e = failure(stage);
    assertThat(e.reason()).isEqualTo(DropReason.CLOSED_BEFORE_SENT);
    assertThat(a.state()).isEqualTo(org.fedgossip.transport.LifecycleState.CLOSED);
  }

  @Test
  void startOnATakenPortFailsAndReleasesItsThreads() {
    NettyTransport first = started("first", TransportConfig.loopback());
    NettyTransport second =
        new NettyTransport(peer("second"), first.localAddress(), TransportConfig.loopback(), 1L);
    open.add(second);
    assertThatThrownBy(second::start).isInstanceOf(Exception.class);
    assertThat(second.state()).isEqualTo(org.fedgossip.transport.LifecycleState.FAILED);
    second.close();
    assertThat(second.state()).isEqualTo(org.fedgossip.transport.LifecycleState.CLOSED);
  }
}
