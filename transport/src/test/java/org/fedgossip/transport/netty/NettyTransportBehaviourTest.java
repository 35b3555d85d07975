package org.fedgossip.transport.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.fedgossip.transport.TestPeers;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportBehaviourSuite;
import org.fedgossip.trust.PeerId;

/** Runs the transport behaviour suite over real Netty TCP connections on loopback. */
class NettyTransportBehaviourTest extends TransportBehaviourSuite {

  static final Duration AWAIT_BOUND = Duration.ofSeconds(10);

  static InetSocketAddress loopbackAnyPort() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** A loopback address where nothing listens: the port was bound, then released. */
  static InetSocketAddress refusingAddress() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls the condition until it holds or the bound passes; never asserts on elapsed time. */
  static boolean await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT_BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  /** An endpoint's id and TLS settings (null for plaintext). */
  record Endpoint(PeerId id, TlsConfig tls) {}

  /**
   * The id and TLS settings of an endpoint; plaintext here, mutual TLS in a subclass.
   *
   * @param index the endpoint's index in the fixture
   * @return its id and TLS settings
   */
  Endpoint endpoint(int index) {
    return new Endpoint(TestPeers.peer("netty-" + index), null);
  }

  /**
   * The socket layer to force through {@link SocketIo#PROPERTY}, or null for the automatic choice
   * (epoll on Linux); a subclass runs the suite over NIO.
   *
   * @return the property value, or null
   */
  String socketLayer() {
    return null;
  }

  @Override
  protected Fixture newFixture(int endpoints, int queueCapacity) {
    // Slow reconnects keep frames to a refusing peer queued for the backpressure test.
    TransportConfig config =
        TransportConfig.loopback()
            .withOutboundQueueFrames(queueCapacity)
            .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(1), 3);
    List<NettyTransport> transports = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      Endpoint e = endpoint(i);
      transports.add(new NettyTransport(e.id(), loopbackAnyPort(), config, 1000L + i, e.tls()));
    }
    return new Fixture() {
      private int stalled;

      @Override
      public Transport transport(int i) {
        return transports.get(i);
      }

      @Override
      public void startAll() {
        String layer = socketLayer();
        String before = System.getProperty(SocketIo.PROPERTY);
        if (layer != null) {
          System.setProperty(SocketIo.PROPERTY, layer);
        }
        try {
          transports.forEach(Transport::start);
        } finally {
          if (before == null) {
            System.clearProperty(SocketIo.PROPERTY);
          } else {
            System.setProperty(SocketIo.PROPERTY, before);
          }
        }
        SocketIo expected =
            layer == null ? SocketIo.selected() : SocketIo.valueOf(layer.toUpperCase(Locale.ROOT));
        for (NettyTransport t : transports) {
          if (t.socketIo() != expected) {
            throw new AssertionError("the transport runs on " + t.socketIo() + ", not " + expected);
          }
        }
        for (NettyTransport from : transports) {
          for (NettyTransport to : transports) {
            from.addPeer(to.localId(), to.localAddress());
          }
        }
      }

      @Override
      public boolean awaitUntil(BooleanSupplier condition) {
        return await(condition);
      }

      @Override
      public PeerId stalledPeer(int from) {
        PeerId id = TestPeers.peer("stalled-" + stalled++);
        transports.get(from).addPeer(id, refusingAddress());
        return id;
      }

      @Override
      public void close() {
        transports.forEach(Transport::close);
      }
    };
  }
}
