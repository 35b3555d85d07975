package org.fedgossip.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.runtime.CoordinatorAgent;
import org.fedgossip.core.runtime.RuntimeCounters;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.simulations.model.CentralizedBaseline;
import org.fedgossip.simulations.scenario.Scenario;
import org.fedgossip.simulations.scenario.SimulationRunner;
import org.fedgossip.transport.netty.TlsProvider;

/**
 * Runs a scenario over P worker JVMs ({@code fedgossip simulate --processes P}): the peers talk
 * over real Netty with mutual TLS on loopback, in real time, and this process hosts the
 * coordinator, evaluates each published model on the held-out split and records the rounds.
 *
 * <p>Steps: build the scenario's peers as in-process ({@link SimulationRunner#setUp}: the same
 * partition, trainers and attackers from the seed); lay out a CA, certificates, free ports and the
 * plan under {@code DIR/federation/} ({@link SimulationPlan}); start the {@link CoordinatorAgent}
 * here; launch the workers ({@link SimulateWorkerCommand}, output in {@code
 * DIR/logs/worker-K.log}); once every worker has bound its agents, start them all; record one
 * {@link SimulationRunner.RoundRecord} per published model until R rounds; then stop everything and
 * train the centralized baseline.
 *
 * <p>Figures: accuracy, loss, ε (central: the coordinator's ledger), baskets and dropouts are exact
 * per published model. Participants, rejections, local ε and bytes come from the workers' {@code
 * STATS} lines, printed every {@value SimulateWorkerCommand#STATS_INTERVAL_MS} ms, so each round's
 * share is read at most that long after its model was published. Timing differs from the in-process
 * run (real time, real scheduling), so the rounds are not byte-identical to it.
 *
 * <p>Cleanup: every worker is stopped (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) when the
 * run ends, fails or throws, and by a shutdown hook on Ctrl-C or SIGTERM; a worker whose parent
 * dies (even by SIGKILL) sees its standard input close and exits by itself.
 */
final class MultiProcessSimulation {

  /** How long a stopping worker may take to close its agents before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private static final long POLL_MS = 100;

  private final Scenario scenario;
  private final Path out;
  private final int processes;
  private final Duration roundLimit;
  private final List<String> workerJvmOptions;
  private final boolean verbose;
  private final Consumer<String> log;

  /**
   * A run, not started.
   *
   * @param scenario the scenario
   * @param out the output directory; {@code federation/} and {@code logs/} under it are replaced
   * @param processes P, in [1, peers]
   * @param roundLimit real time the workers' start, and then each round, may take before the run
   *     fails
   * @param workerJvmOptions JVM options of every worker, for example {@code -Xmx512m}
   * @param verbose whether workers log the runtime's INFO messages
   * @param log receives progress lines (start-up, shutdown)
   */
  MultiProcessSimulation(
      Scenario scenario,
      Path out,
      int processes,
      Duration roundLimit,
      List<String> workerJvmOptions,
      boolean verbose,
      Consumer<String> log) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
    this.out = Objects.requireNonNull(out, "out");
    checkProcesses(scenario, processes);
    this.processes = processes;
    if (roundLimit.isNegative() || roundLimit.isZero()) {
      throw new IllegalArgumentException("the round limit must be positive, got " + roundLimit);
    }
    this.roundLimit = roundLimit;
    this.workerJvmOptions = List.copyOf(workerJvmOptions);
    this.verbose = verbose;
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Checks a process count against a scenario.
   *
   * @param scenario the scenario
   * @param processes P
   * @throws IllegalArgumentException naming {@code --processes}, the value and the range, or the
   *     scenario key the multi-process runner cannot honour
   */
  static void checkProcesses(Scenario scenario, int processes) {
    if (processes < 1 || processes > scenario.peers()) {
      throw new IllegalArgumentException(
          "--processes must be in [1, "
              + scenario.peers()
              + "] (the scenario's peers: federation.baskets x federation.peersPerBasket), got "
              + processes);
    }
    if (scenario.dropoutFraction() > 0) {
      throw new IllegalArgumentException(
          "dropout.fraction="
              + scenario.dropoutFraction()
              + " is injected on the in-memory network only; with --processes set"
              + " dropout.fraction=0 (a killed worker is a real dropout)");
    }
  }

  /**
   * Runs the scenario.
   *
   * @param progress sees each round as it is recorded
   * @return the result, wall time baseline included
   * @throws IllegalStateException when a worker dies, a round takes longer than the limit, or the
   *     workers do not start; the message names the worker, its exit code and its log
   * @throws IOException if the plan or logs cannot be written
   */
  SimulationRunner.Result run(SimulationRunner.Progress progress) throws IOException {
    long started = System.nanoTime();
    SimulationRunner.Setup setup = SimulationRunner.setUp(scenario);
    Path federation = out.resolve("federation");
    Path logs = out.resolve("logs");
    deleteTree(federation);
    deleteTree(logs);
    Files.createDirectories(logs);
    SimulationPlan plan =
        SimulationPlan.create(
            federation,
            scenario,
            setup,
            processes,
            Instant.now().minus(Duration.ofMinutes(5)),
            new SecureRandom());
    log.accept(
        "federation: CA, "
            + (scenario.peers() + 1)
            + " certificates and ports under "
            + federation
            + "; logs under "
            + logs);
    List<SimulationRunner.RoundRecord> records = new ArrayList<>();
    List<Double> roundSeconds = new ArrayList<>();
    double setupSeconds = Double.NaN;
    List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread hook = new Thread(() -> stop(workers), "fedgossip-simulate-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try (CoordinatorAgent coordinator = coordinator(plan, setup)) {
      AtomicReferenceArray<long[]> stats = new AtomicReferenceArray<>(processes);
      AtomicReferenceArray<double[]> epsilons = new AtomicReferenceArray<>(processes);
      BlockingQueue<Published> published = new LinkedBlockingQueue<>();
      // The workers' figures are read at publication, on the coordinator's thread, so a round's
      // share lags the truth only by the workers' reporting interval.
      coordinator.onGlobalModel(
          m ->
              published.add(
                  new Published(m, WorkerFigures.sum(stats, epsilons, coordinator.transport()))));
      coordinator.start();
      for (int k = 0; k < processes; k++) {
        workers.add(launch(k, logs, stats, epsilons));
      }
      awaitReady(workers);
      for (Worker w : workers) {
        w.send(SimulateWorkerCommand.START);
      }
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "%d workers ready after %.1f s (pids %s); rounds run in real time",
              processes,
              (System.nanoTime() - started) / 1e9,
              workers.stream().map(w -> Long.toString(w.process.pid())).toList()));
      long[] lastRound = {System.nanoTime()};
      setupSeconds = (lastRound[0] - started) / 1e9;
      SimulationRunner.Progress timed =
          (record, total) -> {
            long now = System.nanoTime();
            roundSeconds.add((now - lastRound[0]) / 1e9);
            lastRound[0] = now;
            if (progress != null) {
              progress.onRound(record, total);
            }
          };
      follow(coordinator, published, setup, workers, records, timed);
    } finally {
      stop(workers);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook stops the workers as well.
      }
    }
    CentralizedBaseline.Result baseline = setup.baseline();
    double epsilon =
        records.isEmpty() ? Double.POSITIVE_INFINITY : records.get(records.size() - 1).epsilon();
    return new SimulationRunner.Result(
        scenario,
        records,
        baseline.test(),
        epsilon,
        scenario.settings().budget().delta(),
        (System.nanoTime() - started) / 1e9,
        setupSeconds,
        roundSeconds.subList(0, Math.min(roundSeconds.size(), records.size())),
        -1);
  }

  private CoordinatorAgent coordinator(SimulationPlan plan, SimulationRunner.Setup setup)
      throws IOException {
    Path folder = plan.folder(plan.coordinator());
    return CoordinatorAgent.builder()
        .identity(folder.resolve("keys/peer.key"), folder.resolve("keys/peer.crt"))
        .federation(plan.caCertificate(), plan.crl(), plan.roster())
        .listen(plan.coordinator().address())
        .settings(scenario.settings())
        .initialWeights(setup.evaluator().initialWeights())
        .dataDirectory(folder.resolve("data"))
        .transport(SimulateWorkerCommand.transportConfig(), TlsProvider.AUTO)
        .build();
  }

  private Worker launch(
      int k, Path logs, AtomicReferenceArray<long[]> stats, AtomicReferenceArray<double[]> eps)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add("simulate-worker");
    args.add("--plan");
    args.add(out.resolve("federation").toAbsolutePath().toString());
    args.add("--worker");
    args.add(Integer.toString(k));
    if (verbose) {
      args.add("--verbose");
    }
    Path logFile = logs.resolve("worker-" + k + ".log");
    Files.writeString(logFile, "", StandardCharsets.UTF_8);
    // The workers log as this process does: its slf4j-simple settings (level, time stamps) pass on.
    List<String> jvm = new ArrayList<>(workerJvmOptions);
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("org.slf4j.simpleLogger.")) {
        jvm.add("-D" + key + "=" + System.getProperty(key));
      }
    }
    ProcessBuilder b =
        new ProcessBuilder(ChildJvm.command(jvm, args.toArray(String[]::new)))
            .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process process = b.start();
    Worker w = new Worker(k, process, logFile);
    Thread pump = new Thread(() -> w.pump(stats, eps), "fedgossip-worker-" + k + "-out");
    pump.setDaemon(true);
    pump.start();
    return w;
  }

  private void awaitReady(List<Worker> workers) throws IOException {
    long end = System.nanoTime() + roundLimit.toNanos();
    while (true) {
      boolean all = true;
      for (Worker w : workers) {
        w.checkAlive("before it was ready");
        all &= w.ready;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "workers "
                + workers.stream().filter(w -> !w.ready).map(w -> w.index).toList()
                + " did not bind their agents within "
                + roundLimit.toSeconds()
                + " s (--round-timeout); see the logs under "
                + out.resolve("logs"));
      }
      sleep(POLL_MS);
    }
  }

  private void follow(
      CoordinatorAgent coordinator,
      BlockingQueue<Published> published,
      SimulationRunner.Setup setup,
      List<Worker> workers,
      List<SimulationRunner.RoundRecord> records,
      SimulationRunner.Progress progress)
      throws IOException {
    WorkerFigures before = new WorkerFigures(0, 0, 0, 0);
    long dropoutsBefore = 0;
    long failedBefore = 0;
    long roundStart = System.nanoTime();
    long lastVersion = 0;
    while (records.size() < scenario.rounds()) {
      Published p;
      try {
        p = published.poll(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at round " + (records.size() + 1), e);
      }
      for (Worker w : workers) {
        w.checkAlive("at round " + (records.size() + 1));
      }
      if (p == null || p.model().version() <= lastVersion) {
        if (System.nanoTime() - roundStart > roundLimit.toNanos()) {
          throw new IllegalStateException(
              "round "
                  + (records.size() + 1)
                  + " did not complete within "
                  + roundLimit.toSeconds()
                  + " s of real time (--round-timeout); the coordinator says: "
                  + coordinator.status().note()
                  + "; see the logs under "
                  + out.resolve("logs"));
        }
        continue;
      }
      GlobalModel model = p.model();
      lastVersion = model.version();
      roundStart = System.nanoTime();
      Evaluation e = setup.evaluator().evaluate(model.weights());
      WorkerFigures now = p.figures();
      RuntimeCounters c = coordinator.counters();
      long failed = c.rejected().getOrDefault("SECAGG_FAILED", 0L);
      double epsilon;
      if (scenario.settings().centralNoiseMultiplier() > 0) {
        epsilon = model.spentEpsilon();
      } else if (scenario.settings().localNoiseMultiplier() > 0) {
        epsilon = now.epsilon();
      } else {
        epsilon = Double.POSITIVE_INFINITY;
      }
      SimulationRunner.RoundRecord record =
          new SimulationRunner.RoundRecord(
              model.version(),
              e.accuracy(),
              e.loss(),
              epsilon,
              now.submitted() - before.submitted(),
              now.rejected() - before.rejected(),
              now.bytes() - before.bytes(),
              c.layer2Participants(),
              c.layer2Dropouts() - dropoutsBefore,
              failed - failedBefore);
      before = now;
      dropoutsBefore = c.layer2Dropouts();
      failedBefore = failed;
      records.add(record);
      if (progress != null) {
        progress.onRound(record, scenario.rounds());
      }
    }
  }

  /** A published model and the workers' figures when it was published. */
  private record Published(GlobalModel model, WorkerFigures figures) {}

  /**
   * The federation's cumulative figures, summed over the workers' latest reports.
   *
   * @param submitted local updates released
   * @param rejected updates and messages refused by peers' checks and Layer-1 rules
   * @param bytes payload bytes sent, the coordinator's included
   * @param epsilon the largest peer ε (local noise)
   */
  private record WorkerFigures(long submitted, long rejected, long bytes, double epsilon) {

    static WorkerFigures sum(
        AtomicReferenceArray<long[]> stats,
        AtomicReferenceArray<double[]> epsilons,
        org.fedgossip.transport.netty.NettyTransport coordinator) {
      long submitted = 0;
      long rejected = 0;
      long bytes = coordinator.counters().payloadBytesSent();
      double epsilon = 0;
      for (int k = 0; k < stats.length(); k++) {
        long[] s = stats.get(k);
        if (s != null) {
          submitted += s[0];
          rejected += s[1];
          bytes += s[2];
        }
        double[] e = epsilons.get(k);
        if (e != null) {
          epsilon = Math.max(epsilon, e[0]);
        }
      }
      return new WorkerFigures(submitted, rejected, bytes, epsilon);
    }
  }

  private static void stop(List<Worker> workers) {
    List<Process> ps = workers.stream().map(w -> w.process).toList();
    for (Worker w : workers) {
      w.closeInput();
    }
    ChildJvm.stopAll(ps, STOP_GRACE);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One worker process and what it last reported. */
  private static final class Worker {
    final int index;
    final Process process;
    final Path logFile;
    final Writer input;
    volatile boolean ready;

    Worker(int index, Process process, Path logFile) {
      this.index = index;
      this.process = process;
      this.logFile = logFile;
      this.input =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    void send(String line) throws IOException {
      input.write(line);
      input.write('\n');
      input.flush();
    }

    void closeInput() {
      try {
        input.close();
      } catch (IOException e) {
        // The worker is gone already; it is stopped next.
      }
    }

    /** Reads the worker's control lines; anything else goes to its log. */
    void pump(AtomicReferenceArray<long[]> stats, AtomicReferenceArray<double[]> epsilons) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.equals(SimulateWorkerCommand.READY)) {
            ready = true;
          } else if (line.startsWith(SimulateWorkerCommand.STATS + " ")) {
            String[] f = line.split(" ");
            if (f.length == 6) {
              try {
                stats.set(
                    index,
                    new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
                epsilons.set(index, new double[] {Double.parseDouble(f[4])});
              } catch (NumberFormatException e) {
                appendLog("malformed STATS line: " + line);
              }
            }
          } else {
            appendLog(line);
          }
        }
      } catch (IOException e) {
        // The worker's output closed: it exited, which the follow loop reports.
      }
    }

    private void appendLog(String line) {
      try {
        Files.writeString(
            logFile,
            line + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void checkAlive(String when) throws IOException {
      if (process.isAlive()) {
        return;
      }
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      String tail =
          String.join("\n    ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
      throw new IllegalStateException(
          "worker "
              + index
              + " (pid "
              + process.pid()
              + ") exited with code "
              + process.exitValue()
              + " "
              + when
              + "; its log "
              + logFile
              + " ends with:\n    "
              + tail);
    }
  }
}
