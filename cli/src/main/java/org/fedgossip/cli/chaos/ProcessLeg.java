package org.fedgossip.cli.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.fedgossip.cli.Json;

/**
 * The processes leg of a chaos run: a {@code demo init} federation (a CA, a coordinator and B × n
 * peers with their own non-IID MNIST shares) started as real {@code fedgossip peer} JVMs over Netty
 * with mutual TLS on loopback, run twice from the same seed: once fault-free, once while a seeded
 * {@link FaultPlan} SIGKILLs peers and the coordinator mid-round and restarts them.
 *
 * <p>A kill is {@link Process#destroyForcibly()}, which is SIGKILL on Linux; the leg checks that
 * the process exited with 137 (128 + 9). Before each kill and after each restart it reads the
 * victim's {@code /status} (model version, ε); afterwards it stops every process with SIGTERM and
 * checks the files each left: checkpoints, audit chains, and the ε readings.
 *
 * <p>The daemons run with local noise z = 0.01 and a budget of ε = 10⁶, as in the multi-process
 * test, so the ledgers spend but never run out. Partitions, lossy links, Byzantine and flooding
 * members are the emulated leg's; this leg has none.
 */
public final class ProcessLeg {

  private static final String COORDINATOR = "coordinator";

  private ProcessLeg() {}

  /** Lays out a demo federation, as {@code fedgossip demo init} does. */
  @FunctionalInterface
  public interface Layout {

    /**
     * Writes the federation.
     *
     * @param out an empty directory
     * @param basePort the coordinator's port; peers take the next ones
     * @throws IOException when the layout cannot be written
     */
    void init(Path out, int basePort) throws IOException;
  }

  /**
   * The leg's parameters.
   *
   * @param seed the seed of the fault plan (the layout has its own)
   * @param rounds R, model versions each run must reach, ≥ 6
   * @param peerKills peer SIGKILLs to schedule
   * @param coordinatorKills coordinator SIGKILLs to schedule
   * @param tolerance allowed accuracy shortfall against the fault-free run, in [0, 1]
   * @param roundLimitSeconds wall seconds without a new model before the run counts as stalled
   * @param heapMb each JVM's -Xmx, in MiB
   * @param basePort the fault-free run's base port; the chaos run uses basePort + 100
   * @param launcher the command that starts a {@code fedgossip} JVM with {@code -Xmx<heapMb>m}, up
   *     to and including its main class; the leg appends {@code peer --config FILE}
   * @param directory an empty or missing directory for both federations
   */
  public record Config(
      long seed,
      int rounds,
      int peerKills,
      int coordinatorKills,
      double tolerance,
      int roundLimitSeconds,
      int heapMb,
      int basePort,
      List<String> launcher,
      Path directory) {

    /** Validates the values; each message names the parameter and its range. */
    public Config {
      if (rounds < 6) {
        throw new IllegalArgumentException("rounds is " + rounds + "; it must be >= 6");
      }
      if (peerKills < 0 || coordinatorKills < 0) {
        throw new IllegalArgumentException("kill counts must be >= 0");
      }
      if (!(tolerance >= 0 && tolerance <= 1)) {
        throw new IllegalArgumentException("tolerance is " + tolerance + "; it must be in [0, 1]");
      }
      if (roundLimitSeconds < 10 || heapMb < 64) {
        throw new IllegalArgumentException(
            "roundLimitSeconds "
                + roundLimitSeconds
                + " must be >= 10 and heapMb "
                + heapMb
                + " >= 64");
      }
      if (basePort < 1024 || basePort > 60_000) {
        throw new IllegalArgumentException(
            "base port is " + basePort + "; it must be in [1024, 60000]");
      }
      if (launcher.isEmpty()) {
        throw new IllegalArgumentException("launcher is empty; it must start with a java binary");
      }
      launcher = List.copyOf(launcher);
      java.util.Objects.requireNonNull(directory, "directory");
    }
  }

  /**
   * Runs the fault-free run, then the chaos run, then the checks.
   *
   * @param config the parameters
   * @param layout writes each federation
   * @param progress where progress lines go (stderr), or null
   * @return the leg's figures and checks
   * @throws IOException when a file cannot be written or a process started
   * @throws InterruptedException when interrupted; every process started is killed first
   */
  public static LegResult run(Config config, Layout layout, PrintWriter progress)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    Run faultFree =
        new Run(
            config, false, config.directory().resolve("fault-free"), config.basePort(), progress);
    faultFree.execute(layout);
    Run chaos =
        new Run(
            config, true, config.directory().resolve("chaos"), config.basePort() + 100, progress);
    chaos.execute(layout);

    List<Check> checks = new ArrayList<>();
    checks.add(ChaosChecks.reachedAllRounds(chaos.stalled, faultFree.stalled, config.rounds()));
    checks.add(
        new Check(
            "kills-were-sigkill",
            chaos.nonSigkillExits.isEmpty() && chaos.killCount() > 0,
            chaos.nonSigkillExits.isEmpty()
                ? chaos.killCount() + " kills, every victim exited with 137 (SIGKILL)"
                : "exit codes other than 137: " + chaos.nonSigkillExits));
    checks.add(ChaosChecks.checkpoints(chaos.folderPaths("checkpoints")));
    checks.add(ChaosChecks.ledgers(chaos.epsilonReadings));
    checks.add(ChaosChecks.auditChains(chaos.folderPaths("audit.log")));
    checks.add(ChaosChecks.convergence(chaos.accuracy, faultFree.accuracy, config.tolerance()));

    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("processes", chaos.folders.size());
    facts.put("transport", "Netty, mutual TLS, 127.0.0.1");
    facts.put("jvm_options", jvmOptions(config.launcher()));
    facts.put("final_version_chaos", chaos.finalVersion);
    facts.put("final_version_fault_free", faultFree.finalVersion);
    facts.put("chaos_run_seconds", chaos.seconds);
    facts.put("fault_free_run_seconds", faultFree.seconds);
    facts.put("restart_seconds_max", chaos.restartSecondsMax);
    facts.put("sigterm_exit_codes_nonzero", chaos.nonZeroStops);
    facts.put("faults_skipped_target_already_down", chaos.skipped);
    return new LegResult(
        "processes",
        config.rounds(),
        (System.nanoTime() - started) / 1e9,
        chaos.kills,
        0,
        chaos.rejected,
        chaos.accuracy,
        faultFree.accuracy,
        checks,
        facts);
  }

  private record Timed(long atNanos, long order, Runnable action) {}

  /** One federation of processes: fault-free or under the plan. */
  private static final class Run {
    final Config config;
    final boolean chaos;
    final Path directory;
    final int basePort;
    final PrintWriter progress;
    final List<String> folders = new ArrayList<>();
    final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    final Map<String, Process> processes = new LinkedHashMap<>();
    final Map<String, Long> kills = new TreeMap<>();
    final Map<String, List<Double>> epsilonReadings = new TreeMap<>();
    final Map<String, Long> rejected = new TreeMap<>();
    final List<String> nonSigkillExits = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final PriorityQueue<Timed> pending =
        new PriorityQueue<>(
            java.util.Comparator.comparingLong(Timed::atNanos).thenComparingLong(Timed::order));
    long order;
    long finalVersion;
    long skipped;
    int nonZeroStops;
    double restartSecondsMax;
    double seconds;
    double accuracy = Double.NaN;
    String stalled;
    IOException failure;

    Run(Config config, boolean chaos, Path directory, int basePort, PrintWriter progress) {
      this.config = config;
      this.chaos = chaos;
      this.directory = directory;
      this.basePort = basePort;
      this.progress = progress;
    }

    void execute(Layout layout) throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      layout.init(directory, basePort);
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory)) {
        for (Path d : dirs) {
          if (Files.isRegularFile(d.resolve("peer.properties"))) {
            folders.add(d.getFileName().toString());
          }
        }
      }
      folders.sort(null);
      folders.remove(COORDINATOR);
      folders.add(0, COORDINATOR);
      for (String folder : folders) {
        Properties p = new Properties();
        try (Reader in =
            Files.newBufferedReader(directory.resolve(folder).resolve("peer.properties"))) {
          p.load(in);
        }
        metricsPorts.put(folder, Integer.parseInt(p.getProperty("metrics.port")));
      }
      List<String> peers = folders.subList(1, folders.size());
      FaultPlan plan =
          chaos
              ? FaultPlan.draw(
                  config.seed(),
                  config.rounds(),
                  peers.size(),
                  0,
                  config.peerKills(),
                  config.coordinatorKills(),
                  0)
              : new FaultPlan(List.of());
      String label = chaos ? "chaos" : "fault-free";
      try {
        for (String folder : folders) {
          start(folder);
        }
        long seen = 0;
        long lastProgress = System.nanoTime();
        while (true) {
          Thread.sleep(200);
          long now = System.nanoTime();
          while (!pending.isEmpty() && pending.peek().atNanos() <= now) {
            pending.poll().action().run();
            if (failure != null) {
              throw failure;
            }
          }
          Optional<Map<String, Object>> s =
              processes.containsKey(COORDINATOR) ? status(COORDINATOR) : Optional.empty();
          if (s.isPresent()) {
            long v = number(s.get(), "model_version").longValue();
            if (v > seen) {
              for (long r = seen + 1; r <= v; r++) {
                for (FaultPlan.Fault fault : plan.startingIn(r)) {
                  long at = now + TimeUnit.MILLISECONDS.toNanos(fault.offsetMs());
                  schedule(at, () -> strike(fault, peers));
                }
              }
              seen = v;
              lastProgress = now;
              if (progress != null) {
                progress.printf(
                    Locale.ROOT,
                    "processes %s: model version %d/%d after %.0f s, %d kills%n",
                    label,
                    v,
                    config.rounds(),
                    (now - t0) / 1e9,
                    killCount());
                progress.flush();
              }
              if (v >= config.rounds()) {
                finalVersion = v;
                Object a = s.get().get("last_accuracy");
                accuracy = a instanceof Number n ? n.doubleValue() : Double.NaN;
                break;
              }
            }
          }
          if (now - lastProgress > TimeUnit.SECONDS.toNanos(config.roundLimitSeconds())) {
            stalled = "no new model for " + config.roundLimitSeconds() + " s after version " + seen;
            break;
          }
        }
        while (!pending.isEmpty()) {
          Timed t = pending.poll();
          long wait = t.atNanos() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          t.action().run();
          if (failure != null) {
            throw failure;
          }
        }
        for (String folder : folders) {
          Optional<Map<String, Object>> s = await(folder, 60);
          if (s.isPresent() && epsilonReadings.containsKey(folder)) {
            epsilon(folder, number(s.get(), "epsilon_spent").doubleValue());
          }
        }
        scrapeRejections();
        stopAll();
      } finally {
        processes.values().forEach(Process::destroyForcibly);
      }
      seconds = (System.nanoTime() - t0) / 1e9;
    }

    private void schedule(long at, Runnable action) {
      pending.add(new Timed(at, order++, action));
    }

    private void strike(FaultPlan.Fault fault, List<String> peers) {
      String victim =
          fault.kind() == FaultPlan.Kind.KILL_COORDINATOR
              ? COORDINATOR
              : peers.get(fault.target() % peers.size());
      if (!processes.containsKey(victim)) {
        skipped++;
        return;
      }
      try {
        Optional<Map<String, Object>> before = status(victim);
        before.ifPresent(s -> epsilon(victim, number(s, "epsilon_spent").doubleValue()));
        Process p = processes.remove(victim);
        p.destroyForcibly();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          throw new IOException(victim + " did not die within 20 s of SIGKILL");
        }
        if (p.exitValue() != 137) {
          nonSigkillExits.add(victim + "=" + p.exitValue());
        }
        kills.merge(victim, 1L, Long::sum);
        if (progress != null) {
          progress.printf(Locale.ROOT, "processes chaos: SIGKILL %s%n", victim);
          progress.flush();
        }
        long restartAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fault.durationMs());
        schedule(
            restartAt,
            () -> {
              try {
                long t = System.nanoTime();
                start(victim);
                Optional<Map<String, Object>> after = await(victim, 120);
                restartSecondsMax = Math.max(restartSecondsMax, (System.nanoTime() - t) / 1e9);
                if (after.isEmpty()) {
                  throw new IOException(victim + " did not answer /status within 120 s of restart");
                }
                epsilon(victim, number(after.get(), "epsilon_spent").doubleValue());
              } catch (IOException e) {
                failure = e;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IOException("interrupted", e);
              }
            });
      } catch (IOException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IOException("interrupted", e);
      }
    }

    private void epsilon(String folder, double value) {
      epsilonReadings.computeIfAbsent(folder, k -> new ArrayList<>()).add(value);
    }

    long killCount() {
      return kills.values().stream().mapToLong(Long::longValue).sum();
    }

    private void start(String folder) throws IOException {
      List<String> command = new ArrayList<>(config.launcher());
      command.add("peer");
      command.add("--config");
      command.add(directory.resolve(folder).resolve("peer.properties").toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(directory.resolve(folder + ".log").toFile()));
      builder.environment().put("FEDGOSSIP_PRIVACY_NOISEMULTIPLIER", "0.01");
      builder.environment().put("FEDGOSSIP_PRIVACY_EPSILON", "1000000");
      processes.put(folder, builder.start());
    }

    private void stopAll() throws InterruptedException {
      for (Process p : processes.values()) {
        p.destroy();
      }
      for (Process p : processes.values()) {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          nonZeroStops++;
        } else if (p.exitValue() != 0) {
          nonZeroStops++;
        }
      }
      processes.clear();
    }

    /** Sums {@code fedgossip_updates_rejected_total{reason=...}} over every process. */
    private void scrapeRejections() {
      java.util.regex.Pattern line =
          java.util.regex.Pattern.compile(
              "^(fedgossip_[a-z_]*(?:rejected|dropped)[a-z_]*)\\{[^}]*reason=\"([A-Za-z_]+)\"[^}]*\\}"
                  + " ([0-9.eE+]+)$");
      for (String folder : folders) {
        String text = scrape(folder);
        for (String l : text.split("\n")) {
          java.util.regex.Matcher m = line.matcher(l.trim());
          if (m.matches()) {
            long n = (long) Double.parseDouble(m.group(3));
            if (n > 0) {
              String layer =
                  m.group(1).startsWith("fedgossip_updates_rejected") ? "runtime" : m.group(1);
              rejected.merge(layer + "." + m.group(2), n, Long::sum);
            }
          }
        }
      }
    }

    private String scrape(String folder) {
      try {
        return http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPorts.get(folder) + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }

    private Optional<Map<String, Object>> await(String folder, int seconds)
        throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        Optional<Map<String, Object>> s = status(folder);
        if (s.isPresent()) {
          return s;
        }
        Thread.sleep(250);
      }
      return Optional.empty();
    }

    private Optional<Map<String, Object>> status(String folder) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPorts.get(folder) + "/status"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return Optional.empty();
        }
        if (Json.parse(r.body()) instanceof Map<?, ?> m && m.containsKey("model_version")) {
          Map<String, Object> out = new LinkedHashMap<>();
          m.forEach((k, v) -> out.put(String.valueOf(k), v));
          return Optional.of(out);
        }
        return Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }

    private static Number number(Map<String, Object> status, String key) {
      Object v = status.get(key);
      return v instanceof Number n ? n : Double.NaN;
    }

    List<Path> folderPaths(String name) {
      List<Path> out = new ArrayList<>();
      for (String folder : folders) {
        out.add(directory.resolve(folder).resolve("data").resolve(name));
      }
      return out;
    }
  }

  /**
   * The launcher's JVM options: what comes between the java binary and the class or module path.
   */
  static String jvmOptions(List<String> launcher) {
    List<String> options = new ArrayList<>();
    for (String a : launcher.subList(1, launcher.size())) {
      if (a.equals("-cp") || a.equals("-p") || a.equals("-m") || a.equals("-jar")) {
        break;
      }
      options.add(a);
    }
    return String.join(" ", options);
  }
}
