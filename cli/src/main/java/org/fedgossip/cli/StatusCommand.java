package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedgossip.cli.daemon.ConfigException;
import org.fedgossip.cli.daemon.PeerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip status}: asks a running daemon for its {@code /status} and prints it.
 *
 * <p>Only {@code metrics.host} and {@code metrics.port} of the daemon's configuration are used; the
 * rest is validated but need not be complete. A wildcard bind address ({@code 0.0.0.0}, {@code ::})
 * is reached on loopback.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Print a running daemon's status (role, basket, round, model version, ε spent and"
          + " remaining, members seen, last accuracy) from GET /status on the"
          + " metrics.host:metrics.port of its configuration."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fedgossip status --config hospital-a/peer.properties",
      "  fedgossip status --config peer.properties --json"
    })
final class StatusCommand implements Callable<Integer> {

  /** The bound on connecting and on the whole request. */
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** The fields the runtime reports, in display order, with their labels. */
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("role", "role");
    LABELS.put("peer_id", "peer id");
    LABELS.put("name", "name");
    LABELS.put("basket", "basket");
    LABELS.put("state", "state");
    LABELS.put("round", "round");
    LABELS.put("model_version", "model version");
    LABELS.put("epsilon_spent", "ε spent");
    LABELS.put("epsilon_remaining", "ε remaining");
    LABELS.put("budget_exhausted", "budget exhausted");
    LABELS.put("members_seen", "members seen");
    LABELS.put("last_accuracy", "last accuracy");
  }

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The daemon's peer.properties; only metrics.host and metrics.port are needed.")
  private Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one key (repeatable), for example --set metrics.port=9400.")
  private List<String> sets = new ArrayList<>();

  @Option(names = "--json", description = "Print the daemon's JSON as it is.")
  private boolean json;

  @Override
  public Integer call() throws InterruptedException {
    PeerConfig config;
    try {
      config = PeerConfig.read(configFile, System.getenv(), PeerConfig.parseAssignments(sets));
    } catch (ConfigException e) {
      return KeygenCommand.fail(spec, e.getMessage());
    }
    Optional<InetSocketAddress> address = config.metricsAddress();
    if (address.isEmpty()) {
      return KeygenCommand.fail(
          spec,
          "metrics.port is 0 in "
              + configFile
              + ": that daemon serves no /status; set metrics.port to a port in [1, 65535] and"
              + " restart it");
    }
    URI uri = statusUri(address.get());
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      return KeygenCommand.fail(
          spec, "nothing listens at " + uri + " (is 'fedgossip peer' running with this config?)");
    } catch (HttpTimeoutException e) {
      return KeygenCommand.fail(
          spec, "no answer from " + uri + " within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return KeygenCommand.fail(spec, "cannot reach " + uri + ": " + e);
    }
    if (response.statusCode() != 200) {
      return KeygenCommand.fail(
          spec, uri + " answered HTTP " + response.statusCode() + ": " + response.body().strip());
    }
    Map<?, ?> fields;
    try {
      Object parsed = Json.parse(response.body());
      if (!(parsed instanceof Map<?, ?> map)) {
        return KeygenCommand.fail(spec, uri + " answered JSON that is not an object");
      }
      fields = map;
    } catch (IllegalArgumentException e) {
      return KeygenCommand.fail(spec, uri + " answered malformed JSON: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(response.body().strip());
    } else {
      printTable(out, fields);
    }
    out.flush();
    return 0;
  }

  /** Prints the known fields in display order, then any others in the daemon's order. */
  static void printTable(PrintWriter out, Map<?, ?> fields) {
    Map<String, Object> rows = new LinkedHashMap<>();
    for (Map.Entry<String, String> label : LABELS.entrySet()) {
      if (fields.containsKey(label.getKey())) {
        rows.put(label.getValue(), fields.get(label.getKey()));
      }
    }
    for (Map.Entry<?, ?> f : fields.entrySet()) {
      String key = String.valueOf(f.getKey());
      if (!LABELS.containsKey(key)) {
        rows.put(key.replace('_', ' '), f.getValue());
      }
    }
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    for (Map.Entry<String, Object> row : rows.entrySet()) {
      out.printf("%-" + width + "s %s%n", row.getKey() + ":", display(row.getValue()));
    }
  }

  private static String display(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return Json.write(value);
    }
    return value.toString();
  }

  private static URI statusUri(InetSocketAddress address) {
    String host = address.getHostString();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      host = "::1";
    }
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort() + "/status");
  }
}
