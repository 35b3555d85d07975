package org.fedgossip.transport.netty;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.fedgossip.transport.AddressBook;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.LifecycleState;
import org.fedgossip.transport.PayloadHandler;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportCounters;
import org.fedgossip.transport.TransportException;
import org.fedgossip.transport.internal.CounterSet;
import org.fedgossip.transport.internal.HandlerTable;
import org.fedgossip.transport.internal.Lifecycle;
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over TCP with Netty: it listens on one address and opens one outbound
 * connection per peer it sends to.
 *
 * <p><b>Wire format.</b> Each frame is a 4-byte big-endian length then one protobuf {@code
 * Envelope} (see {@code transport.proto}). A connection opens with a hello carrying the sender's
 * id; every later envelope must carry the same sender and the next sequence number. A length above
 * {@link TransportConfig#maxFrameBytes()} is refused before any allocation. Oversized, malformed or
 * mismatched frames close that connection and are counted; they never reach a handler.
 *
 * <p><b>Ordering.</b> FIFO per (sender, receiver) while a connection lasts. Frames in flight when a
 * connection breaks fail with {@link DropReason#CONNECTION_LOST}; they are not resent.
 *
 * <p><b>Backpressure.</b> At most {@link TransportConfig#outboundQueueFrames()} frames per peer are
 * queued or unwritten; a send beyond that fails at once with {@link
 * org.fedgossip.transport.BackpressureException}. The queue drains only while the channel is
 * writable (below the write-buffer high water mark).
 *
 * <p><b>Reconnect.</b> A connection is opened on the first send; a failed attempt is retried after
 * {@link TransportConfig#reconnectDelayNanos} (doubling, capped, jittered from the seed); after
 * {@link TransportConfig#maxConnectAttempts()} failures the queued sends fail as {@link
 * DropReason#PEER_UNREACHABLE} and the next send starts again. Idle connections close after {@link
 * TransportConfig#idleTimeout()}.
 *
 * <p><b>Identity.</b> With a {@link TlsConfig}, every connection runs mutual TLS first: the
 * acceptor requires a certificate, the {@link PeerCertificateVerifier} maps it to a peer id, the
 * hello must claim that id, and the connector checks that the acceptor's certificate names the peer
 * it dialled. Handshake failures and identity mismatches close the connection and are counted. When
 * the trust rules change (a new CRL, see {@link TlsConfig#trustChanged()}), every open connection's
 * peer chain is checked again and the connections of peers now revoked are closed and counted as
 * {@link DropReason#CONNECTION_REVOKED}; their reconnects fail the handshake. Without TLS (trusted
 * networks, tests, benchmarks) the receiver believes the hello.
 */
public final class NettyTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

  private final PeerId localId;
  private final ByteString localIdBytes;
  private final InetSocketAddress bindAddress;
  private final TransportConfig config;
  private final SplittableRandom jitterRandom;
  private final Lifecycle lifecycle;
  private final CounterSet counters = new CounterSet();
  private final HandlerTable handlers = new HandlerTable(counters);
  private final ConcurrentHashMap<PeerId, PeerLink> links = new ConcurrentHashMap<>();
  private final Set<Channel> inbound = ConcurrentHashMap.newKeySet();
  private final TlsConfig tls;
  private final AddressBook addressBook;
  private final BiConsumer<PeerId, InetSocketAddress> addressListener = this::redirect;
  private final Runnable trustListener = this::recheckConnections;
  private volatile EventLoopGroup group;
  private volatile SocketIo socketIo = SocketIo.NIO;
  private volatile Channel server;

  /**
   * Creates a transport, in state NEW.
   *
   * @param localId the id this transport sends as
   * @param bindAddress where to listen; port 0 picks a free port
   * @param config validated settings
   * @param seed the seed of the reconnect jitter
   */
  public NettyTransport(
      PeerId localId, InetSocketAddress bindAddress, TransportConfig config, long seed) {
    this(localId, bindAddress, config, seed, null);
  }

  /**
   * Creates a transport with mutual TLS, in state NEW.
   *
   * @param localId the id this transport sends as; its certificate in {@code tls} must bind it
   * @param bindAddress where to listen; port 0 picks a free port
   * @param config validated settings
   * @param seed the seed of the reconnect jitter
   * @param tls the TLS context and certificate verifier, or null for plaintext
   */
  public NettyTransport(
      PeerId localId,
      InetSocketAddress bindAddress,
      TransportConfig config,
      long seed,
      TlsConfig tls) {
    this(
        localId,
        bindAddress,
        config,
        seed,
        tls,
        AddressBook.inMemory(AddressBook.DEFAULT_MAX_ENTRIES, Clock.systemUTC()));
  }

  /**
   * Creates a transport with an address book, in state NEW.
   *
   * @param localId the id this transport sends as; its certificate in {@code tls} must bind it
   * @param bindAddress where to listen; port 0 picks a free port
   * @param config validated settings
   * @param seed the seed of the reconnect jitter
   * @param tls the TLS context and certificate verifier, or null for plaintext
   * @param addressBook where peers listen: consulted by {@code send} for a peer without a link, fed
   *     by {@link #addPeer} and by the listen addresses that accepted hellos advertise; may be
   *     shared with the layer above, which puts what its membership protocol learns
   */
  public NettyTransport(
      PeerId localId,
      InetSocketAddress bindAddress,
      TransportConfig config,
      long seed,
      TlsConfig tls,
      AddressBook addressBook) {
    this.addressBook = Objects.requireNonNull(addressBook, "addressBook");
    this.tls = tls;
    this.localId = Objects.requireNonNull(localId, "localId");
    this.localIdBytes = ByteString.copyFrom(localId.toBytes());
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.config = Objects.requireNonNull(config, "config");
    this.jitterRandom = new SplittableRandom(seed);
    this.lifecycle = new Lifecycle("netty transport of " + localId.shortString());
  }

  @Override
  public PeerId localId() {
    return localId;
  }

  @Override
  public LifecycleState state() {
    return lifecycle.get();
  }

  /**
   * Returns the settings.
   *
   * @return the configuration
   */
  public TransportConfig config() {
    return config;
  }

  /**
   * Returns the address this transport listens on, with the real port once running.
   *
   * @return the bound address, or the requested one before start
   */
  public InetSocketAddress localAddress() {
    Channel s = server;
    return s == null ? bindAddress : (InetSocketAddress) s.localAddress();
  }

  /**
   * Tells the transport where a peer listens; a changed address is used from the next connect. The
   * address goes into the address book as {@link AddressBook.Source#CONFIGURED}.
   *
   * @param peer the peer's id
   * @param address its listening address
   * @throws java.io.UncheckedIOException if the address book's file cannot be written
   */
  public void addPeer(PeerId peer, InetSocketAddress address) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(address, "address");
    if (group == null) {
      throw new IllegalStateException(
          "addPeer needs a started transport; it is " + lifecycle.get());
    }
    link(peer, address).setAddress(address);
    addressBook.put(peer, address, AddressBook.Source.CONFIGURED);
  }

  /**
   * Returns the address book this transport consults and feeds.
   *
   * @return the book, shared with whoever passed it in
   */
  public AddressBook addressBook() {
    return addressBook;
  }

  /** The socket layer the connections run on; NIO until started. For tests and diagnostics. */
  SocketIo socketIo() {
    return socketIo;
  }

  private PeerLink link(PeerId peer, InetSocketAddress address) {
    return links.computeIfAbsent(
        peer,
        p ->
            new PeerLink(
                p,
                address,
                localIdBytes,
                group.next(),
                socketIo,
                config,
                tls,
                counters,
                this::nextJitter,
                localAddress()));
  }

  /** A peer's address changed in the book: the next connection to it goes there. */
  private void redirect(PeerId peer, InetSocketAddress address) {
    PeerLink link = links.get(peer);
    if (link != null) {
      link.setAddress(address);
    }
  }

  /** An accepted hello advertised where its sender listens. */
  private void learned(PeerId peer, InetSocketAddress listen) {
    try {
      addressBook.put(peer, listen, AddressBook.Source.HANDSHAKE);
    } catch (java.io.UncheckedIOException e) {
      LOG.warn("{}: cannot record the address of {}: {}", localId.shortString(), peer, e);
    }
  }

  /**
   * The TLS cipher suite the connection to a peer negotiated, for reports and benchmarks.
   *
   * @param peer the peer this transport sends to
   * @return the suite of the current or last connection, empty without TLS or before one opened
   */
  public Optional<String> cipherSuite(PeerId peer) {
    PeerLink link = links.get(peer);
    return link == null ? Optional.empty() : Optional.ofNullable(link.cipherSuite());
  }

  /**
   * Tells whether the connection to a peer is open and unwritable (its outbound buffer above the
   * high water mark), so frames to it wait in the bounded queue. For tests and diagnostics.
   */
  boolean isBlocked(PeerId peer) {
    PeerLink link = links.get(peer);
    return link != null && link.connectedAndUnwritable();
  }

  /**
   * Stops or resumes reading every accepted connection (Netty's auto-read): while stopped, the
   * peers' frames wait in the socket buffers and their senders see backpressure. For tests.
   */
  void readInbound(boolean read) {
    for (Channel ch : inbound) {
      ch.config().setAutoRead(read);
    }
  }

  /**
   * After the trust rules changed (a new CRL): re-checks, each on its own event loop, the chain the
   * peer of every open connection presented, and closes the connections now refused.
   */
  private void recheckConnections() {
    List<Channel> open = new ArrayList<>(inbound);
    for (PeerLink link : links.values()) {
      Channel ch = link.currentChannel();
      if (ch != null) {
        open.add(ch);
      }
    }
    for (Channel ch : open) {
      try {
        ch.eventLoop().execute(() -> recheck(ch));
      } catch (RejectedExecutionException e) {
        // The transport is closing: the connection goes anyway.
      }
    }
  }

  private void recheck(Channel ch) {
    X509Certificate[] chain = ch.attr(Tls.PEER_CHAIN).get();
    if (chain == null || !ch.isActive()) {
      return; // no finished handshake yet: the new rules apply to it
    }
    DropReason refusal = null;
    PeerId peer = null;
    try {
      peer = tls.verifier().verify(chain);
    } catch (CertificateException e) {
      refusal = Tls.refusal(e);
    }
    if (refusal == null) {
      return;
    }
    // Remember the refusal, so the connection's own close handling does not count it again.
    ch.attr(Tls.PEER_CHAIN).set(null);
    DropReason counted =
        refusal == DropReason.TLS_REVOKED_CERTIFICATE ? DropReason.CONNECTION_REVOKED : refusal;
    counters.drop(counted);
    LOG.warn(
        "{}: closing the connection {} of {}: its certificate is now refused ({})",
        localId.shortString(),
        ch.remoteAddress(),
        subjectOf(chain),
        refusal);
    ch.close();
  }

  private static String subjectOf(X509Certificate[] chain) {
    X509Certificate[] certified = DelegatedCredential.certifiedPart(chain);
    return certified.length == 0
        ? "an unknown peer"
        : certified[0].getSubjectX500Principal() + " serial " + certified[0].getSerialNumber();
  }

  private synchronized double nextJitter() {
    return jitterRandom.nextDouble();
  }

  @Override
  public void onReceive(int payloadType, PayloadHandler handler) {
    handlers.register(payloadType, handler);
  }

  @Override
  public void start() {
    lifecycle.transition(LifecycleState.STARTING);
    EventLoopGroup loops = null;
    try {
      socketIo = SocketIo.selected();
      loops = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), socketIo.handlerFactory());
      group = loops;
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(loops)
              .channel(socketIo.serverChannel())
              // A restarted peer listens again on its port while old connections linger.
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              // Reads grow to 1 MiB on busy connections, so a large frame takes few reads.
              .childOption(
                  ChannelOption.RECVBUF_ALLOCATOR,
                  new AdaptiveRecvByteBufAllocator(512, 64 << 10, 1 << 20))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      inbound.add(ch);
                      ch.closeFuture().addListener(f -> inbound.remove(ch));
                      ch.config().setAllocator(Tls.allocator(tls));
                      if (tls != null) {
                        ch.pipeline()
                            .addLast(
                                Tls.HANDLER_NAME, Tls.acceptor(tls, ch.config().getAllocator()));
                      }
                      if (!config.idleTimeout().isZero()) {
                        ch.pipeline()
                            .addLast(
                                "idle",
                                new IdleStateHandler(
                                    config.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
                      }
                      ch.pipeline()
                          .addLast("frames", new FrameDecoder(config.maxFrameBytes()))
                          .addLast(
                              "envelopes",
                              new InboundConnectionHandler(
                                  tls, handlers, counters, NettyTransport.this::learned));
                    }
                  });
      server = bootstrap.bind(bindAddress).syncUninterruptibly().channel();
      if (tls != null) {
        tls.addTrustListener(trustListener);
      }
      addressBook.addListener(addressListener);
      lifecycle.transition(LifecycleState.RUNNING);
    } catch (Exception e) {
      // Netty rethrows a failed bind's checked BindException undeclared, hence Exception here.
      if (loops != null) {
        shutdown(loops);
      }
      lifecycle.transition(LifecycleState.FAILED);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("cannot listen on " + bindAddress + ": " + e, e);
    }
  }

  @Override
  public CompletionStage<Void> send(PeerId to, int payloadType, ByteBuffer payload) {
    Transport.checkPayloadType(payloadType);
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(payload, "payload");
    if (lifecycle.get() != LifecycleState.RUNNING) {
      return refuse(DropReason.NOT_RUNNING, "the transport is " + lifecycle.get());
    }
    long frameLength =
        Frames.frameLength(
            Frames.header(payloadType, localIdBytes, Long.MAX_VALUE), payload.remaining());
    if (frameLength > config.maxFrameBytes()) {
      return refuse(
          DropReason.PAYLOAD_TOO_LARGE,
          "a payload of "
              + payload.remaining()
              + " bytes makes a frame of "
              + frameLength
              + " bytes; transport.maxFrameBytes is "
              + config.maxFrameBytes());
    }
    PeerLink link = links.get(to);
    if (link == null) {
      Optional<AddressBook.Entry> known = addressBook.get(to);
      if (known.isEmpty()) {
        return refuse(DropReason.UNKNOWN_PEER, "peer " + to + " has no known address");
      }
      link = link(to, known.get().address());
    }
    return link.offer(payloadType, payload);
  }

  private CompletionStage<Void> refuse(DropReason reason, String why) {
    counters.drop(reason);
    return CompletableFuture.failedFuture(new TransportException(reason, "cannot send: " + why));
  }

  @Override
  public TransportCounters counters() {
    return counters.snapshot();
  }

  /**
   * Closes the transport: fails queued sends, flushes and closes every connection, and waits at
   * most {@link TransportConfig#shutdownTimeout()} for the event loops to stop.
   */
  @Override
  public void close() {
    LifecycleState before = lifecycle.get();
    if (!lifecycle.beginClose()) {
      return;
    }
    if (tls != null) {
      tls.removeTrustListener(trustListener);
    }
    addressBook.removeListener(addressListener);
    try {
      addressBook.flush();
    } catch (java.io.UncheckedIOException e) {
      LOG.warn("{}: cannot write the address book: {}", localId.shortString(), e.toString());
    }
    EventLoopGroup loops = group;
    if (before == LifecycleState.NEW || loops == null) {
      lifecycle.transition(LifecycleState.CLOSED);
      return;
    }
    long timeoutNanos = config.shutdownTimeout().toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    Channel s = server;
    if (s != null) {
      closing.add(toCompletable(s.close()));
    }
    for (PeerLink link : links.values()) {
      closing.add(link.close());
    }
    for (Channel ch : inbound) {
      closing.add(toCompletable(ch.close()));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Past the bound or a failed close: the event loops are stopped below regardless.
    }
    shutdown(loops);
    lifecycle.transition(LifecycleState.CLOSED);
  }

  private void shutdown(EventLoopGroup loops) {
    long timeoutMs = config.shutdownTimeout().toMillis();
    loops.shutdownGracefully(0, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMs);
  }

  private static CompletableFuture<Void> toCompletable(io.netty.channel.ChannelFuture future) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    future.addListener(f -> done.complete(null));
    return done;
  }
}
