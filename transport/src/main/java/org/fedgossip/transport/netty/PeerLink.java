package org.fedgossip.transport.netty;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.fedgossip.transport.BackpressureException;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.TransportException;
import org.fedgossip.transport.internal.CounterSet;
import org.fedgossip.transport.netty.proto.Envelope;
import org.fedgossip.trust.PeerId;

/**
 * The outbound side of one peer: a bounded FIFO queue of frames and the one connection that carries
 * them, reconnected with exponential backoff and jitter.
 *
 * <p>All state but the admission counter is confined to one event loop. A frame counts against the
 * bound from {@code send} until its write completes or fails, so frames waiting in the queue and
 * frames in the channel's outbound buffer (bounded by the write water marks) are both counted. The
 * queue drains only while the channel is writable.
 */
final class PeerLink {
  private final PeerId peer;
  private final ByteString localIdBytes;
  private final EventLoop loop;
  private final TransportConfig config;
  private final TlsConfig tls;
  private final CounterSet counters;
  private final DoubleSupplier jitter;
  private final InetSocketAddress listen;
  private final AtomicInteger admitted = new AtomicInteger();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<Pending> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean transferScheduled = new AtomicBoolean();
  private volatile InetSocketAddress address;
  private volatile String cipherSuite;
  private volatile Channel channel;
  private boolean connecting;
  private boolean closed;
  private int failedAttempts;
  private long nextSequence;
  private ScheduledFuture<?> reconnect;

  private final SocketIo socketIo;

  private record Pending(int payloadType, ByteBuffer payload, CompletableFuture<Void> done) {}

  PeerLink(
      PeerId peer,
      InetSocketAddress address,
      ByteString localIdBytes,
      EventLoop loop,
      SocketIo io,
      TransportConfig config,
      TlsConfig tls,
      CounterSet counters,
      DoubleSupplier jitter,
      InetSocketAddress listen) {
    this.listen = listen;
    this.tls = tls;
    this.peer = peer;
    this.address = address;
    this.localIdBytes = localIdBytes;
    this.loop = loop;
    this.socketIo = io;
    this.config = config;
    this.counters = counters;
    this.jitter = jitter;
  }

  /**
   * Tells whether the link has an open connection whose outbound buffer is above the high water
   * mark, so that queued frames wait. Read from any thread; for tests and diagnostics.
   */
  boolean connectedAndUnwritable() {
    Channel ch = channel;
    return ch != null && ch.isActive() && !ch.isWritable();
  }

  /** The open connection, or null; read from any thread. */
  Channel currentChannel() {
    return channel;
  }

  /** The cipher suite of the current or last TLS connection, or null if none was made. */
  String cipherSuite() {
    return cipherSuite;
  }

  void setAddress(InetSocketAddress address) {
    this.address = address;
  }

  /** Admits a frame into the bounded queue, or fails it at once with backpressure. */
  CompletableFuture<Void> offer(int payloadType, ByteBuffer payload) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (admitted.incrementAndGet() > config.outboundQueueFrames()) {
      admitted.decrementAndGet();
      counters.drop(DropReason.QUEUE_FULL);
      done.completeExceptionally(
          new BackpressureException(
              "the outbound queue to "
                  + peer.shortString()
                  + " holds its maximum of "
                  + config.outboundQueueFrames()
                  + " frames (transport.outboundQueueFrames)"));
      return done;
    }
    inbox.add(new Pending(payloadType, payload.duplicate(), done));
    // One task moves every frame sent meanwhile, so a burst of sends costs one wake-up and one
    // flush rather than one per frame.
    if (transferScheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this::transferInbox);
      } catch (RejectedExecutionException e) {
        transferScheduled.set(false);
        Pending pending;
        while ((pending = inbox.poll()) != null) {
          fail(pending, DropReason.CLOSED_BEFORE_SENT, "the transport is closing");
        }
      }
    }
    return done;
  }

  /** On the loop: moves the frames of concurrent senders into the queue, in order, and drains. */
  private void transferInbox() {
    transferScheduled.set(false);
    Pending pending;
    while ((pending = inbox.poll()) != null) {
      if (closed) {
        fail(pending, DropReason.CLOSED_BEFORE_SENT, "the transport is closing");
      } else {
        queue.add(pending);
      }
    }
    drain();
  }

  /** Writes queued frames while the channel is writable; connects first if needed. */
  private void drain() {
    if (closed || queue.isEmpty()) {
      return;
    }
    if (channel == null) {
      if (!connecting && reconnect == null) {
        connect();
      }
      return;
    }
    boolean wrote = false;
    while (channel.isWritable() && !queue.isEmpty()) {
      write(queue.poll());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void write(Pending pending) {
    Envelope header = Frames.header(pending.payloadType(), localIdBytes, nextSequence++);
    int size = pending.payload().remaining();
    ByteBuf head = Frames.encodeHeader(channel.alloc(), header, size);
    channel.write(head, channel.voidPromise());
    ByteBuf body = size == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(pending.payload());
    channel
        .write(body)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    admitted.decrementAndGet();
                    counters.sent(size);
                    pending.done().complete(null);
                  } else {
                    fail(pending, DropReason.CONNECTION_LOST, "the connection broke");
                  }
                });
  }

  private void connect() {
    InetSocketAddress target = address;
    connecting = true;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(socketIo.channel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.config().setAllocator(Tls.allocator(tls));
                      ch.pipeline()
                          .addLast(
                              Tls.HANDLER_NAME,
                              Tls.connector(tls, ch.config().getAllocator(), target));
                    }
                    if (!config.idleTimeout().isZero()) {
                      ch.pipeline()
                          .addLast(
                              "idle",
                              new IdleStateHandler(
                                  0, 0, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
                    }
                    ch.pipeline().addLast("link", new LinkHandler());
                  }
                });
    bootstrap.connect(target).addListener((ChannelFuture f) -> onConnect(f));
  }

  private void onConnect(ChannelFuture f) {
    if (!f.isSuccess()) {
      connecting = false;
      if (!closed) {
        onConnectFailed();
      }
      return;
    }
    Channel ch = f.channel();
    if (tls == null) {
      onReady(ch);
      return;
    }
    SslHandler ssl = (SslHandler) ch.pipeline().get(Tls.HANDLER_NAME);
    ssl.handshakeFuture()
        .addListener(
            handshake -> {
              DropReason refusal = null;
              if (!handshake.isSuccess()) {
                refusal = Tls.refusal(handshake.cause());
              } else {
                try {
                  if (!peer.equals(Tls.verifiedPeer(ch, tls))) {
                    refusal = DropReason.PEER_IDENTITY_MISMATCH;
                  }
                } catch (CertificateException e) {
                  refusal = Tls.refusal(e);
                }
              }
              if (refusal == null) {
                onReady(ch);
                return;
              }
              counters.drop(refusal);
              ch.close();
              connecting = false;
              if (!closed) {
                onConnectFailed();
              }
            });
  }

  /** The connection is open (and, with TLS, the acceptor's identity checked): say hello, drain. */
  private void onReady(Channel ch) {
    connecting = false;
    if (closed) {
      ch.close();
      return;
    }
    channel = ch;
    SslHandler ssl = (SslHandler) ch.pipeline().get(Tls.HANDLER_NAME);
    cipherSuite = ssl == null ? null : ssl.engine().getSession().getCipherSuite();
    failedAttempts = 0;
    nextSequence = 0;
    Envelope hello = Frames.hello(localIdBytes, listen);
    nextSequence++;
    channel.write(Frames.encodeHeader(channel.alloc(), hello, 0), channel.voidPromise());
    channel.flush();
    drain();
  }

  private void onConnectFailed() {
    failedAttempts++;
    if (failedAttempts >= config.maxConnectAttempts()) {
      failedAttempts = 0;
      failAll(
          DropReason.PEER_UNREACHABLE,
          "no connection after " + config.maxConnectAttempts() + " attempts");
      return;
    }
    long delay = config.reconnectDelayNanos(failedAttempts, jitter.getAsDouble());
    reconnect =
        loop.schedule(
            () -> {
              reconnect = null;
              if (!closed && !queue.isEmpty() && channel == null && !connecting) {
                connect();
              }
            },
            delay,
            TimeUnit.NANOSECONDS);
  }

  private void onInactive(Channel ch) {
    if (ch != channel) {
      return;
    }
    channel = null;
    drain();
  }

  private void failAll(DropReason reason, String why) {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      fail(pending, reason, why);
    }
  }

  private void fail(Pending pending, DropReason reason, String why) {
    admitted.decrementAndGet();
    counters.drop(reason);
    pending
        .done()
        .completeExceptionally(
            new TransportException(
                reason, "send to " + peer.shortString() + " at " + address + " failed: " + why));
  }

  /** Fails queued frames, flushes what was written and closes the connection; on the loop. */
  CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            closed = true;
            if (reconnect != null) {
              reconnect.cancel(false);
              reconnect = null;
            }
            transferInbox();
            failAll(DropReason.CLOSED_BEFORE_SENT, "the transport is closing");
            if (channel == null) {
              done.complete(null);
            } else {
              channel
                  .writeAndFlush(Unpooled.EMPTY_BUFFER)
                  .addListener(ChannelFutureListener.CLOSE)
                  .channel()
                  .closeFuture()
                  .addListener(f -> done.complete(null));
            }
          });
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  /** Tracks the connection's writability and end; any inbound byte is a protocol violation. */
  private final class LinkHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      drain();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive(ctx.channel());
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
      counters.drop(DropReason.MALFORMED_FRAME);
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent) {
        counters.drop(DropReason.IDLE_TIMEOUT);
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
