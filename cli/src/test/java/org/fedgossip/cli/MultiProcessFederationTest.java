package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.Checkpoint;
import org.fedgossip.core.state.CheckpointStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo init} with 2 baskets × 3 peers, then 7 {@code fedgossip peer} processes on loopback
 * with mutual TLS: the federation reaches model version 5 while a peer and the coordinator are
 * killed with SIGKILL and restarted; each resumes (model version, ε), and SIGTERM stops every
 * process with exit code 0.
 */
class MultiProcessFederationTest extends CommandTestSupport {

  private static final String[] FOLDERS = {
    "coordinator",
    "basket-a-peer-1",
    "basket-a-peer-2",
    "basket-a-peer-3",
    "basket-b-peer-1",
    "basket-b-peer-2",
    "basket-b-peer-3"
  };
  private static final int TARGET_VERSION = 5;

  @TempDir Path dir;

  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void killLeftovers() {
    ChildJvm.stopAll(processes.values(), Duration.ofSeconds(5));
  }

  @Test
  void sevenProcessesReachVersionFiveThroughKillsAndStopCleanly() throws Exception {
    long seed = System.nanoTime();
    int basePort = 20_000 + new SplittableRandom(seed).nextInt(20_000);
    Path demo = dir.resolve("demo");
    assertThat(
            runFresh(
                "demo",
                "init",
                "--out",
                demo.toString(),
                "--base-port",
                Integer.toString(basePort)))
        .as("demo init: %s", err)
        .isZero();
    for (String folder : FOLDERS) {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(demo.resolve(folder).resolve("peer.properties"))) {
        p.load(in);
      }
      metricsPorts.put(folder, Integer.parseInt(p.getProperty("metrics.port")));
    }
    for (String folder : FOLDERS) {
      start(demo, folder);
    }

    assertThat(waitFor("coordinator", s -> version(s) >= 2, 120))
        .as("base port %d: the federation publishes", basePort)
        .isTrue();

    // SIGKILL a peer; after a restart it resumes its model version and its ε never goes down.
    String victim = "basket-a-peer-2";
    Map<String, Object> before = status(victim).orElseThrow();
    kill(victim);
    start(demo, victim);
    assertThat(waitFor(victim, s -> true, 60)).as("%s answers after a restart", victim).isTrue();
    Map<String, Object> after = status(victim).orElseThrow();
    assertThat(version(after))
        .as("%s resumes its model", victim)
        .isGreaterThanOrEqualTo(version(before));
    assertThat(epsilon(after))
        .as("%s ε after the restart", victim)
        .isGreaterThanOrEqualTo(epsilon(before));
    assertThat(epsilon(before)).as("%s released updates with local noise", victim).isPositive();

    // SIGKILL the coordinator; it resumes from its newest checkpoint.
    long published = version(status("coordinator").orElseThrow());
    kill("coordinator");
    Path checkpoints = demo.resolve("coordinator").resolve("data").resolve("checkpoints");
    long newest =
        CheckpointStore.open(checkpoints, org.fedgossip.core.state.CheckpointConfig.defaults())
            .latest()
            .map(c -> c.snapshot().version())
            .orElse(0L);
    assertThat(newest).as("the newest checkpoint on disk").isGreaterThanOrEqualTo(published);
    start(demo, "coordinator");
    assertThat(waitFor("coordinator", s -> true, 60)).isTrue();
    assertThat(version(status("coordinator").orElseThrow()))
        .as("the restarted coordinator's model")
        .isGreaterThanOrEqualTo(newest);

    for (String folder : FOLDERS) {
      assertThat(waitFor(folder, s -> version(s) >= TARGET_VERSION, 180))
          .as("%s reaches model version %d; status %s", folder, TARGET_VERSION, status(folder))
          .isTrue();
    }
    assertThat(epsilon(status(victim).orElseThrow())).isGreaterThanOrEqualTo(epsilon(after));

    // The dashboard uses only metric names the daemons really export.
    String scraped = scrape("coordinator") + scrape("basket-b-peer-1");
    String dashboard =
        Files.readString(Path.of("..", "deploy", "grafana", "fedgossip-dashboard.json"));
    java.util.regex.Matcher names =
        java.util.regex.Pattern.compile("fedgossip_[a-z0-9_]+").matcher(dashboard);
    int checked = 0;
    while (names.find()) {
      assertThat(scraped).as("metric %s in /metrics", names.group()).contains(names.group());
      checked++;
    }
    assertThat(checked).isGreaterThan(10);

    // SIGTERM: every process closes and exits 0.
    for (Map.Entry<String, Process> e : processes.entrySet()) {
      e.getValue().destroy();
    }
    for (Map.Entry<String, Process> e : processes.entrySet()) {
      assertThat(e.getValue().waitFor(40, TimeUnit.SECONDS)).as("%s stops", e.getKey()).isTrue();
      assertThat(e.getValue().exitValue())
          .as("%s exit code; log %s", e.getKey(), log(demo, e.getKey()))
          .isZero();
    }

    // Afterwards: every checkpoint verifies its SHA-256 and every audit chain is intact.
    for (String folder : FOLDERS) {
      Path data = demo.resolve(folder).resolve("data");
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(data.resolve("checkpoints"), "*.fgck")) {
        for (Path f : files) {
          Checkpoint c = CheckpointStore.verify(f);
          assertThat(c.snapshot().version()).isPositive();
        }
      }
      assertThat(AuditLog.verify(data.resolve("audit.log")).ok()).as(folder).isTrue();
    }
  }

  private void start(Path demo, String folder) throws IOException {
    List<String> command =
        ChildJvm.command(
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            "peer",
            "--config",
            demo.resolve(folder).resolve("peer.properties").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(demo.resolve(folder + ".log").toFile()));
    builder.environment().put("FEDGOSSIP_PRIVACY_NOISEMULTIPLIER", "0.01");
    builder.environment().put("FEDGOSSIP_PRIVACY_EPSILON", "1000000");
    processes.put(folder, builder.start());
  }

  private void kill(String folder) throws InterruptedException {
    Process p = processes.remove(folder);
    p.destroyForcibly();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private Optional<Map<String, Object>> status(String folder) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + metricsPorts.get(folder) + "/status"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(r.body());
      return m.containsKey("model_version") ? Optional.of(m) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private String scrape(String folder) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPorts.get(folder) + "/metrics"))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private boolean waitFor(String folder, Predicate<Map<String, Object>> condition, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      Optional<Map<String, Object>> s = status(folder);
      if (s.isPresent() && condition.test(s.get())) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static long version(Map<String, Object> status) {
    return ((Number) status.get("model_version")).longValue();
  }

  private static double epsilon(Map<String, Object> status) {
    return ((Number) status.get("epsilon_spent")).doubleValue();
  }

  private static String log(Path demo, String folder) {
    try {
      List<String> lines = Files.readAllLines(demo.resolve(folder + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
