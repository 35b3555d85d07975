package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedgossip.cli.daemon.MetricsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest extends CommandTestSupport {

  @TempDir Path dir;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Object> status = new LinkedHashMap<>();
  private MetricsServer server;

  @BeforeEach
  void start() throws IOException {
    status.put("role", "peer");
    status.put("peer_id", "fgexample");
    status.put("basket", "radiology");
    status.put("round", 12L);
    status.put("model_version", 11L);
    status.put("epsilon_spent", 1.25);
    status.put("epsilon_remaining", 8.75);
    status.put("members_seen", 4L);
    status.put("last_accuracy", 0.912);
    status.put("budget_exhausted", false);
    status.put("pending_updates", List.of(1L, 2L));
    server =
        MetricsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            registry,
            Optional::empty,
            () -> status);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private Path config(int port) throws IOException {
    Path file = dir.resolve("peer.properties");
    Files.writeString(file, "metrics.host=127.0.0.1\nmetrics.port=" + port + "\n");
    return file;
  }

  @Test
  void printsTheDaemonsStatusAsATable() throws IOException {
    assertThat(runFresh("status", "--config", config(server.port()).toString())).isZero();

    String text = out.toString();
    assertThat(text)
        .contains("role:")
        .contains("radiology")
        .containsPattern("(?m)^model version: +11$")
        .containsPattern("(?m)^ε spent: +1\\.25$")
        .containsPattern("(?m)^ε remaining: +8\\.75$")
        .containsPattern("(?m)^members seen: +4$")
        .containsPattern("(?m)^last accuracy: +0\\.912$")
        .containsPattern("(?m)^budget exhausted: +false$")
        .containsPattern("(?m)^pending updates: +\\[1, 2\\]$");
    assertThat(text.indexOf("round:")).isLessThan(text.indexOf("model version:"));
  }

  @Test
  void printsTheDaemonsJsonAsItIs() throws IOException {
    assertThat(runFresh("status", "--config", config(server.port()).toString(), "--json")).isZero();

    assertThat(out.toString().strip()).isEqualTo(Json.write(status));
  }

  @Test
  void failsNamingTheAddressWhenNothingListens() throws IOException {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort();
    }

    assertThat(runFresh("status", "--config", config(freePort).toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("status: error: nothing listens at http://127.0.0.1:" + freePort + "/status");
  }

  @Test
  void failsClearlyWhenTheMetricsPortIsOff() throws IOException {
    assertThat(runFresh("status", "--config", config(0).toString())).isEqualTo(1);
    assertThat(err.toString()).contains("metrics.port is 0").contains("serves no /status");
  }

  @Test
  void aBadConfigValueIsNamed() throws IOException {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "metrics.prot=9400\n");

    assertThat(runFresh("status", "--config", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("metrics.prot").contains("did you mean 'metrics.port'");
  }
}
