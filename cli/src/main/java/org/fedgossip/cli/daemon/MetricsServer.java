package org.fedgossip.cli.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.fedgossip.cli.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoint: {@code GET /metrics} (Prometheus text exposition format 0.0.4 from a
 * Micrometer registry), {@code GET /health} and {@code GET /status} (JSON).
 *
 * <p>{@code /health} answers 200 {@code {"status": "UP"}}, or 503 {@code {"status": "DOWN",
 * "reason": ...}} when the health supplier names a reason. {@code /status} writes the status
 * supplier's map as one JSON object. {@code HEAD} is answered like {@code GET} without a body;
 * other methods get 405 with an {@code Allow} header; other paths get 404. A supplier that throws
 * gives a 500 naming the error, logged; it never stops the server.
 *
 * <p>Requests are served one at a time on one daemon thread that {@link #close()} stops. The server
 * binds the address it is given: port 0 here means an ephemeral port (see {@link #port()}); the
 * daemon's {@code metrics.port=0} means "no server" and is handled by the caller ({@link
 * PeerConfig#metricsAddress()}).
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  /** The content type of the Prometheus text exposition format. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Optional<String>> unhealthyReason;
  private final Supplier<Map<String, Object>> status;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsServer(
      HttpServer server,
      ExecutorService executor,
      PrometheusMeterRegistry registry,
      Supplier<Optional<String>> unhealthyReason,
      Supplier<Map<String, Object>> status) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.unhealthyReason = unhealthyReason;
    this.status = status;
  }

  /**
   * Binds and starts the server.
   *
   * @param address where to listen; port 0 binds an ephemeral port
   * @param registry the registry {@code /metrics} scrapes
   * @param unhealthyReason empty when healthy, else why not (served as 503)
   * @param status the fields {@code /status} serves
   * @return the running server
   * @throws IOException if the address cannot be bound, naming it
   */
  public static MetricsServer start(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<Optional<String>> unhealthyReason,
      Supplier<Map<String, Object>> status)
      throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(unhealthyReason, "unhealthyReason");
    Objects.requireNonNull(status, "status");
    if (address.isUnresolved()) {
      throw new IOException("metrics.host '" + address.getHostString() + "' does not resolve");
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve metrics on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fedgossip-metrics-http");
              t.setDaemon(true);
              return t;
            });
    MetricsServer metrics = new MetricsServer(server, executor, registry, unhealthyReason, status);
    server.setExecutor(executor);
    server.createContext("/", metrics::handle);
    server.start();
    LOG.info(
        "Serving /metrics, /health and /status on {}:{}",
        metrics.address().getHostString(),
        metrics.port());
    return metrics;
  }

  /**
   * Returns the bound address.
   *
   * @return the address, with the actual port when 0 was asked for
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Returns the bound port.
   *
   * @return the port, never 0
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving at once (requests in progress are cut off) and stops the thread. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
      LOG.info("Stopped serving metrics on port {}", server.getAddress().getPort());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      boolean head = method.equals("HEAD");
      if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/status")) {
        send(exchange, 404, JSON_CONTENT_TYPE, error("no such path: " + path), head);
        return;
      }
      if (!method.equals("GET") && !head) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, JSON_CONTENT_TYPE, error(method + " is not allowed on " + path), head);
        return;
      }
      try {
        switch (path) {
          case "/metrics" -> send(exchange, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape(), head);
          case "/health" -> {
            Optional<String> reason = unhealthyReason.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", reason.isPresent() ? "DOWN" : "UP");
            reason.ifPresent(r -> body.put("reason", r));
            send(
                exchange,
                reason.isPresent() ? 503 : 200,
                JSON_CONTENT_TYPE,
                Json.write(body),
                head);
          }
          default -> send(exchange, 200, JSON_CONTENT_TYPE, Json.write(status.get()), head);
        }
      } catch (RuntimeException e) {
        LOG.warn("Serving {} failed", path, e);
        send(exchange, 500, JSON_CONTENT_TYPE, error(path + " failed: " + e), head);
      }
    } catch (IOException e) {
      // The client went away mid-response; nothing to answer.
      LOG.debug("Metrics client connection failed", e);
    }
  }

  private static String error(String message) {
    return Json.write(Map.of("error", message));
  }

  private static void send(HttpExchange exchange, int code, String type, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (head) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
