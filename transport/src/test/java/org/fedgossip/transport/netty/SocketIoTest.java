package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketIoTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(SocketIo.PROPERTY);
  }

  @Test
  void autoPrefersEpollWhereItLoads() {
    assertThat(SocketIo.selected()).isEqualTo(Epoll.isAvailable() ? SocketIo.EPOLL : SocketIo.NIO);
    System.setProperty(SocketIo.PROPERTY, " AUTO ");
    assertThat(SocketIo.selected()).isEqualTo(Epoll.isAvailable() ? SocketIo.EPOLL : SocketIo.NIO);
  }

  @Test
  void theNativeLayerLoadsOnLinuxX86() {
    // The build ships the linux-x86_64 library; where that is the platform, it must load.
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
    }
  }

  @Test
  void nioCanBeForced() {
    System.setProperty(SocketIo.PROPERTY, "nio");
    assertThat(SocketIo.selected()).isEqualTo(SocketIo.NIO);
  }

  @Test
  void anUnknownLayerIsRefusedNamingTheProperty() {
    System.setProperty(SocketIo.PROPERTY, "kqueue");
    assertThatThrownBy(SocketIo::selected)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fedgossip.transport.io must be auto, epoll or nio, got 'kqueue'");
  }
}
