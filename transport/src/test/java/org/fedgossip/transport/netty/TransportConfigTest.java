package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation, presets and the reconnect backoff of {@link TransportConfig}. */
class TransportConfigTest {

  @Test
  void defaultsAllowSixtyFourMebibyteFrames() {
    assertThat(TransportConfig.defaults().maxFrameBytes()).isEqualTo(64 << 20);
    assertThat(TransportConfig.lan()).isNotNull();
    assertThat(TransportConfig.wan().reconnectMaxBackoff()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void errorsNameTheKeyAndTheAllowedRange() {
    assertThatThrownBy(() -> TransportConfig.defaults().withMaxFrameBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport.maxFrameBytes is 10; it must be in [1024, 1073741824]");
    assertThatThrownBy(() -> TransportConfig.defaults().withOutboundQueueFrames(0))
        .hasMessageContaining("transport.outboundQueueFrames is 0");
    assertThatThrownBy(
            () ->
                TransportConfig.defaults()
                    .withReconnect(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
        .hasMessageContaining("transport.reconnectMaxBackoff is PT1S");
    assertThatThrownBy(() -> TransportConfig.defaults().withIdleTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("transport.idleTimeout");
  }

  @Test
  void reconnectDelayDoublesUpToTheCapAndJitterOnlyShortensIt() {
    TransportConfig config =
        TransportConfig.defaults()
            .withReconnect(Duration.ofMillis(100), Duration.ofMillis(1000), 10);
    long ms = 1_000_000L;
    assertThat(config.reconnectDelayNanos(1, 0.0)).isEqualTo(100 * ms);
    assertThat(config.reconnectDelayNanos(2, 0.0)).isEqualTo(200 * ms);
    assertThat(config.reconnectDelayNanos(4, 0.0)).isEqualTo(800 * ms);
    assertThat(config.reconnectDelayNanos(5, 0.0)).isEqualTo(1000 * ms);
    assertThat(config.reconnectDelayNanos(1_000, 0.0)).isEqualTo(1000 * ms);
    // Jitter 0.2: a draw of 0.5 shortens by 10 %.
    assertThat(config.reconnectDelayNanos(1, 0.5)).isEqualTo(90 * ms);
  }
}
