package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedgossip.cli.daemon.ConfigKey;
import org.fedgossip.cli.daemon.ConfigKeys;
import org.fedgossip.cli.daemon.DaemonLifecycle;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PemFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PeerCommandTest extends CommandTestSupport {

  @TempDir static Path dir;

  private static Path site;
  private static PeerCertificate identity;

  /**
   * A site directory laid out as {@code demo init} would: keys, CA, roster, training data. Shared
   * by the tests, which only read it (and each writes its own peer.properties).
   */
  @BeforeAll
  static void setUp() throws IOException {
    Path ca = dir.resolve("ca");
    site = dir.resolve("site");
    CommandLine keygen = FedGossip.newCommandLine();
    keygen.setOut(new PrintWriter(new StringWriter()));
    assertThat(keygen.execute("keygen", "ca", "--out", ca.toString())).isZero();
    assertThat(
            keygen.execute(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "radiology",
                "--name",
                "Clinic A",
                "--out",
                site.resolve("keys").toString()))
        .isZero();
    identity =
        PeerCertificate.parse(PemFiles.readCertificate(site.resolve("keys").resolve("peer.crt")));
    Files.copy(ca.resolve(FederationCa.CERTIFICATE_FILE), site.resolve("keys").resolve("ca.crt"));
    Files.copy(ca.resolve(FederationCa.CRL_FILE), site.resolve("keys").resolve("ca.crl"));
    Files.createDirectories(site.resolve("roster"));
    Files.writeString(site.resolve("train.csv"), "x,label\n1.0,1\n");
  }

  private Path config(String... extra) throws IOException {
    StringBuilder sb =
        new StringBuilder()
            .append("peer.caCrt=keys/ca.crt\n")
            .append("peer.crl=keys/ca.crl\n")
            .append("peer.roster=roster\n")
            .append("peer.coordinator=")
            .append(identity.peerId())
            .append("@127.0.0.1:7401\n")
            .append("trainer.trainCsv=train.csv\n");
    for (String line : extra) {
      sb.append(line).append('\n');
    }
    Path file = site.resolve("peer.properties");
    Files.writeString(file, sb.toString());
    return file;
  }

  @Test
  void listKeysPrintsEveryRegisteredKey() {
    assertThat(runFresh("peer", "--list-keys")).isZero();

    for (ConfigKey key : ConfigKeys.all()) {
      assertThat(out.toString()).contains(key.name());
    }
    assertThat(out.toString()).contains("FEDGOSSIP_PRIVACY_EPSILON");

    assertThat(runFresh("peer", "--list-keys", "--markdown")).isZero();
    assertThat(out.toString()).startsWith("| key | default |").contains("| `metrics.port` |");
  }

  @Test
  void aBadValueExits2NamingTheKeyAndRange() throws IOException {
    Path file = config("metrics.port=99999");

    assertThat(runFresh("peer", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("fedgossip peer: error: metrics.port = '99999'")
        .contains("int in [0, 65535]")
        .doesNotContain("Exception");
  }

  @Test
  void anUnknownKeyOnTheCommandLineExits2WithTheClosestKey() throws IOException {
    Path file = config();

    assertThat(runFresh("peer", "--config", file.toString(), "--set", "gossip.fanuot=3"))
        .isEqualTo(2);

    assertThat(err.toString()).contains("'gossip.fanuot'").contains("did you mean 'gossip.fanout'");
  }

  @Test
  void aMissingFileNamedByAKeyExits2NamingIt() throws IOException {
    Path file = config("peer.crl=missing.crl");

    assertThat(runFresh("peer", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("peer.crl: no such file").contains("missing.crl");
  }

  @Test
  void checkPrintsEveryEffectiveValueWithItsSourceAndExits0() throws IOException {
    Path file = config("privacy.epsilon=4");

    assertThat(runFresh("peer", "--config", file.toString(), "--check", "--set", "gossip.fanout=5"))
        .isZero();

    assertThat(out.toString())
        .contains("configuration valid for peer " + identity.peerId())
        .containsPattern("privacy\\.epsilon +\\= 4  \\(file\\)")
        .containsPattern("gossip\\.fanout +\\= 5  \\(command_line\\)")
        .containsPattern("metrics\\.port +\\= 0  \\(default\\)")
        .doesNotContain("running as");
  }

  @Test
  void withoutConfigItIsAUsageError() {
    assertThat(runFresh("peer")).isEqualTo(2);
    assertThat(err.toString()).contains("--config");
  }

  @Test
  void runsServingHealthAndStatusUntilAStopIsRequestedThenExits0() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path file = config("metrics.port=" + port);
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    StringWriter peerOut = new StringWriter();
    StringWriter peerErr = new StringWriter();
    CommandLine peer = new CommandLine(new PeerCommand(Map.of(), lifecycle, false, null));
    peer.setOut(new PrintWriter(peerOut, true));
    peer.setErr(new PrintWriter(peerErr, true));
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit = runner.submit(() -> peer.execute("--config", file.toString()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (lifecycle.state() != DaemonLifecycle.State.RUNNING && !exit.isDone()) {
        assertThat(System.nanoTime()).as("daemon start; stderr: %s", peerErr).isLessThan(deadline);
        Thread.sleep(10);
      }
      assertThat(exit.isDone()).as("exited early; stderr: %s", peerErr).isFalse();

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> health = get(client, port, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("no federation runtime was started");
      HttpResponse<String> status = get(client, port, "/status");
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(Json.parse(status.body()))
          .isInstanceOfSatisfying(
              Map.class,
              m -> {
                assertThat(m.get("role")).isEqualTo("peer");
                assertThat(m.get("peer_id")).isEqualTo(identity.peerId().toString());
                assertThat(m.get("basket")).isEqualTo("radiology");
                assertThat(m.get("name")).isEqualTo("Clinic A");
                assertThat(m.get("state")).isEqualTo("RUNNING");
              });
      assertThat(get(client, port, "/metrics").body())
          .contains("jvm_memory_used_bytes")
          .contains(
              "fedgossip_daemon_info{basket=\"radiology\",peer_id=\""
                  + identity.peerId()
                  + "\",role=\"peer\"} 1");
      assertThat(Files.isDirectory(site.resolve("data"))).isTrue();

      lifecycle.requestStop("test");

      assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
      assertThat(peerOut.toString())
          .contains("serving /metrics, /health and /status on http://127.0.0.1:" + port)
          .contains("running as peer " + identity.peerId())
          .contains("stopping (test)")
          .contains("fedgossip peer: stopped");
      assertThat(lifecycle.state()).isEqualTo(DaemonLifecycle.State.CLOSED);
    } finally {
      lifecycle.requestStop("test cleanup");
      runner.shutdownNow();
    }
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
