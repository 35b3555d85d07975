package org.fedgossip.transport.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;

/**
 * Which socket layer carries the connections: Linux's epoll through Netty's native transport where
 * its library loads, the JDK's NIO selector elsewhere.
 *
 * <p>Both give the same behaviour; epoll reads and writes pooled direct buffers with one system
 * call each and no selector bookkeeping, which matters for large frames (docs/benchmarks.md). The
 * system property {@value #PROPERTY} ({@code auto}, {@code epoll} or {@code nio}; default {@code
 * auto}) overrides the choice, for example to rule the native layer out while diagnosing.
 */
enum SocketIo {
  EPOLL,
  NIO;

  /** The system property that overrides the automatic choice. */
  static final String PROPERTY = "fedgossip.transport.io";

  /**
   * The socket layer named by {@value #PROPERTY}, or the best available one.
   *
   * @return the layer
   * @throws IllegalArgumentException when the property names no layer, or epoll where it is not
   *     available
   */
  static SocketIo selected() {
    String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "auto":
        return Epoll.isAvailable() ? EPOLL : NIO;
      case "nio":
        return NIO;
      case "epoll":
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException(
              PROPERTY
                  + "=epoll, but the native epoll transport is not available here: "
                  + Epoll.unavailabilityCause());
        }
        return EPOLL;
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, epoll or nio, got '" + value + "'");
    }
  }

  IoHandlerFactory handlerFactory() {
    return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  Class<? extends SocketChannel> channel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
