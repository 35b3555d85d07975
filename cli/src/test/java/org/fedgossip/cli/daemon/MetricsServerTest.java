package org.fedgossip.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.fedgossip.cli.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Optional<String>> unhealthy =
      new AtomicReference<>(Optional.empty());
  private final AtomicReference<Map<String, Object>> status = new AtomicReference<>(Map.of());
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private MetricsServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        MetricsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            registry,
            unhealthy::get,
            () -> {
              Map<String, Object> s = status.get();
              if (s == null) {
                throw new IllegalStateException("status broke");
              }
              return s;
            });
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(3))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void portZeroBindsAnEphemeralPortAndReportsIt() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().getPort()).isEqualTo(server.port());
  }

  @Test
  void metricsServesPrometheusTextWithARegisteredCounter() throws Exception {
    Counter counter = registry.counter("fedgossip.updates.rejected", "reason", "bad_signature");
    counter.increment(3);

    HttpResponse<String> response = request("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains(MetricsServer.PROMETHEUS_CONTENT_TYPE);
    assertThat(response.body())
        .contains("# TYPE fedgossip_updates_rejected_total counter")
        .contains("fedgossip_updates_rejected_total{reason=\"bad_signature\"} 3.0");
  }

  @Test
  void healthIsUpOr503WithTheSuppliersReason() throws Exception {
    HttpResponse<String> up = request("GET", "/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(Json.parse(up.body())).isEqualTo(Map.of("status", "UP"));

    unhealthy.set(Optional.of("privacy budget exhausted"));
    HttpResponse<String> down = request("GET", "/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(Json.parse(down.body()))
        .isEqualTo(Map.of("status", "DOWN", "reason", "privacy budget exhausted"));
  }

  @Test
  void statusServesTheSuppliersMapAsJson() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("role", "peer");
    fields.put("round", 12L);
    fields.put("epsilon_spent", 1.25);
    fields.put("members_seen", List.of("a", "b"));
    fields.put("last_accuracy", null);
    status.set(fields);

    HttpResponse<String> response = request("GET", "/status");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(Json.parse(response.body())).isEqualTo(fields);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertThat(request("GET", "/").statusCode()).isEqualTo(404);
    assertThat(request("GET", "/metrics/extra").statusCode()).isEqualTo(404);

    HttpResponse<String> post = request("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(request("DELETE", "/status").statusCode()).isEqualTo(405);

    HttpResponse<String> head = request("HEAD", "/health");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aFailingSupplierGives500AndTheServerKeepsServing() throws Exception {
    status.set(null);

    HttpResponse<String> broken = request("GET", "/status");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).contains("status broke");

    assertThat(request("GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void closeStopsServingAndIsIdempotent() throws Exception {
    int port = server.port();
    server.close();
    server.close();

    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(3))
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aBusyPortIsAnErrorNamingTheAddress() {
    InetSocketAddress taken =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MetricsServer.start(taken, registry, Optional::empty, Map::of))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot serve metrics on")
        .hasMessageContaining(":" + server.port());
  }
}
