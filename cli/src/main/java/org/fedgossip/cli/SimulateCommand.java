package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedgossip.simulations.scenario.Scenario;
import org.fedgossip.simulations.scenario.SimulationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip simulate}: runs a scenario in one process, in virtual time, on the daemon's own
 * protocol classes, and writes {@code rounds.csv}, {@code summary.json} and {@code accuracy.png}.
 *
 * <p>Progress (round, accuracy, ε, time left) goes to standard error; the per-round table and the
 * comparison with centralized training go to standard output. {@code rounds.csv} depends only on
 * the scenario and its seed; timings are in {@code summary.json}. With {@code --compare key=v1,v2}
 * the scenario runs once per value, each into its own subdirectory, and {@code compare.png} draws
 * one accuracy line per value. Bad options and scenario keys exit with code 2 and a message naming
 * the option or key.
 *
 * <p>With {@code --processes P} the same scenario runs over P worker JVMs on real Netty with mutual
 * TLS ({@link MultiProcessSimulation}), in real time, and writes the same files; {@code --compare}
 * is refused with it.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Run a federation scenario in one process (virtual time, the daemon's protocol classes),"
            + " or over P processes with --processes (real time, Netty + mTLS on loopback), and"
            + " write rounds.csv, summary.json and accuracy.png.")
final class SimulateCommand implements Callable<Integer> {

  /**
   * slf4j-simple's level for the loggers under {@code org.fedgossip}, read when each logger is
   * made: the runtime's classes make theirs during the run, after this command sets it.
   */
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.log.org.fedgossip";

  /**
   * JVM options of each worker of {@code --processes}: a bounded heap and the serial collector,
   * since P workers share the machine's cores.
   */
  static final List<String> WORKER_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      defaultValue = Scenario.DEFAULT_NAME,
      description =
          "A built-in scenario (see --list) or a scenario .properties file (default:"
              + " ${DEFAULT-VALUE}).")
  String scenarioName;

  @Option(
      names = "--seed",
      description = "Seed of the run; overrides simulation.seed (default: the scenario's).")
  Long seed;

  @Option(
      names = "--rounds",
      description = "Rounds to run; overrides simulation.rounds (default: the scenario's).")
  Integer rounds;

  @Option(
      names = "--out",
      description =
          "Output directory (default: simulation-out/<scenario> in the working directory).")
  Path out;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a scenario key, for example --set aggregation.rule=fedavg; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--compare",
      paramLabel = "KEY=V1,V2,...",
      description =
          "Run once per value of one key and draw one accuracy line per value on compare.png.")
  String compare;

  @Option(
      names = "--processes",
      paramLabel = "P",
      description =
          "Spread the peers over P worker JVMs that talk over Netty with mutual TLS on loopback, in"
              + " real time, instead of one process in virtual time (default: in-process).")
  Integer processes;

  @Option(
      names = "--round-timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description =
          "With --processes: real time the workers' start, and then each round, may take before"
              + " the run fails (default: ${DEFAULT-VALUE}).")
  int roundTimeoutSeconds;

  @Option(names = "--list", description = "List the built-in scenarios and exit.")
  boolean list;

  @Option(
      names = "--verbose",
      description = "Also log the runtime's INFO messages (rounds, SecAgg+ sessions) to stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    // A simulate process shows the runtime's warnings only, unless --verbose; an explicit -D
    // setting wins.
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, verbose ? "info" : "warn");
    }
    if (list) {
      for (String name : Scenario.BUILT_IN) {
        stdout.printf(Locale.ROOT, "%-12s %s%n", name, Scenario.load(name).description());
      }
      stdout.flush();
      return 0;
    }
    Scenario base = scenario();
    Path dir = out != null ? out : Path.of("simulation-out", base.name());
    if (processes != null) {
      if (compare != null) {
        throw usage(
            "--compare",
            "cannot be combined with --processes; run one --processes simulation per value");
      }
      if (roundTimeoutSeconds < 1) {
        throw usage("--round-timeout", "must be >= 1 second, got " + roundTimeoutSeconds);
      }
      try {
        MultiProcessSimulation.checkProcesses(base, processes);
      } catch (IllegalArgumentException e) {
        throw usage("--processes", e.getMessage());
      }
    }
    if (compare == null) {
      SimulationRunner.Result result = runOne(base, dir, "");
      printTable(stdout, result);
      printSummary(stdout, result, dir);
      return 0;
    }
    int eq = compare.indexOf('=');
    if (eq <= 0 || eq == compare.length() - 1) {
      throw usage("--compare", "must be KEY=V1,V2,..., got '" + compare + "'");
    }
    String key = compare.substring(0, eq).strip();
    List<String> values = new ArrayList<>();
    for (String v : compare.substring(eq + 1).split(",", -1)) {
      if (v.isBlank()) {
        throw usage("--compare", "holds an empty value: '" + compare + "'");
      }
      values.add(v.strip());
    }
    List<Scenario> variants = new ArrayList<>();
    for (String v : values) {
      try {
        variants.add(base.with(Map.of(key, v)));
      } catch (IllegalArgumentException e) {
        throw usage("--compare", e.getMessage());
      }
    }
    List<SimulationRunner.Result> results = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      String label = key + "=" + values.get(i);
      SimulationRunner.Result r =
          runOne(variants.get(i), dir.resolve(safeName(label)), "[" + label + "] ");
      results.add(r);
      stdout.printf(
          Locale.ROOT,
          "%-40s final accuracy %.4f   centralized %.4f   epsilon %s   %.1f s%n",
          label,
          r.finalAccuracy(),
          r.centralized().accuracy(),
          SimulationRunner.formatEpsilon(r.epsilon()),
          r.wallSeconds());
      stdout.flush();
    }
    Path chart = dir.resolve("compare.png");
    List<String> labels = values.stream().map(v -> key + "=" + v).toList();
    SimulationCharts.compare(chart, base.name() + ": accuracy by " + key, labels, results);
    writeCompareSummary(dir.resolve("summary.json"), key, labels, results);
    stdout.println("chart: " + chart.toAbsolutePath());
    stdout.println("per value: " + dir.toAbsolutePath() + "/<key=value>/rounds.csv, summary.json");
    stdout.flush();
    return 0;
  }

  private Scenario scenario() {
    Scenario s;
    try {
      s = Scenario.load(scenarioName);
    } catch (IllegalArgumentException e) {
      throw usage("--scenario", e.getMessage());
    }
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (seed != null) {
      all.put("simulation.seed", Long.toString(seed));
    }
    if (rounds != null) {
      if (rounds < 1) {
        throw usage("--rounds", "must be >= 1, got " + rounds);
      }
      all.put("simulation.rounds", Integer.toString(rounds));
    }
    try {
      return s.with(all);
    } catch (IllegalArgumentException e) {
      throw usage("--set", e.getMessage());
    }
  }

  private SimulationRunner.Result runOne(Scenario scenario, Path dir, String prefix) {
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        Locale.ROOT,
        "%ssimulating %s: %d peers in %d baskets, %d rounds, seed %d, %s%n",
        prefix,
        scenario.name(),
        scenario.peers(),
        scenario.baskets(),
        scenario.rounds(),
        scenario.seed(),
        processes == null
            ? "in-process (virtual time)"
            : processes + " worker processes (Netty + mTLS on loopback, real time)");
    err.flush();
    long start = System.nanoTime();
    SimulationRunner.Result result;
    try {
      SimulationRunner.Progress progress =
          new SimulationRunner.Progress() {
            @Override
            public void onRound(SimulationRunner.RoundRecord record, int total) {
              double elapsed = (System.nanoTime() - start) / 1e9;
              double left = elapsed / record.round() * (total - record.round());
              err.printf(
                  Locale.ROOT,
                  "%sround %d/%d  accuracy %.4f  epsilon %s  elapsed %.1f s  left ~%.0f s%n",
                  prefix,
                  record.round(),
                  total,
                  record.accuracy(),
                  SimulationRunner.formatEpsilon(record.epsilon()),
                  elapsed,
                  left);
              err.flush();
            }

            @Override
            public void onStatus(String message) {
              err.printf(
                  Locale.ROOT,
                  "%s  %s  (elapsed %.1f s)%n",
                  prefix,
                  message,
                  (System.nanoTime() - start) / 1e9);
              err.flush();
            }
          };
      if (processes == null) {
        result = SimulationRunner.run(scenario, progress);
      } else {
        result =
            new MultiProcessSimulation(
                    scenario,
                    dir,
                    processes,
                    Duration.ofSeconds(roundTimeoutSeconds),
                    WORKER_JVM_OPTIONS,
                    verbose,
                    line -> {
                      err.println(prefix + line);
                      err.flush();
                    })
                .run(progress);
      }
    } catch (IllegalStateException e) {
      throw new IllegalStateException("simulation failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("simulation failed: " + e.getMessage(), e);
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("rounds.csv"), SimulationRunner.csv(result.rounds()), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("summary.json"), summaryJson(result) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results to " + dir, e);
    }
    SimulationCharts.accuracy(dir.resolve("accuracy.png"), result);
    return result;
  }

  private Map<String, Object> summary(SimulationRunner.Result r) {
    return summary(r, processes);
  }

  /**
   * The summary.json fields of a run.
   *
   * @param r the run
   * @param processes the worker processes, or null for an in-process run
   * @return the fields, in order
   */
  static Map<String, Object> summary(SimulationRunner.Result r, Integer processes) {
    Scenario s = r.scenario();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", s.name());
    m.put("seed", s.seed());
    m.put("rounds", r.rounds().size());
    m.put("peers", s.peers());
    m.put("baskets", s.baskets());
    m.put("final_accuracy", r.finalAccuracy());
    m.put("final_loss", r.rounds().isEmpty() ? null : r.rounds().get(r.rounds().size() - 1).loss());
    m.put("centralized_accuracy", r.centralized().accuracy());
    m.put("centralized_epochs", s.baselineEpochs());
    m.put("epsilon", Double.isInfinite(r.epsilon()) ? null : r.epsilon());
    m.put(
        "epsilon_note",
        Double.isInfinite(r.epsilon())
            ? "no noise: clipping only, no differential-privacy guarantee (epsilon = inf)"
            : s.settings().centralNoiseMultiplier() > 0
                ? "central Gaussian noise, the coordinator's ledger (RDP accountant)"
                : "local Gaussian noise, the largest peer ledger (RDP accountant)");
    m.put("delta", r.delta());
    m.put("processes", processes == null ? 0 : processes);
    m.put(
        "mode",
        processes == null
            ? "in-process, virtual time"
            : "multi-process, real time, Netty + mTLS on loopback");
    m.put("wall_seconds", round3(r.wallSeconds()));
    m.put("setup_seconds", round3(r.setupSeconds()));
    m.put("seconds_per_round", r.roundSeconds().isEmpty() ? null : round3(r.secondsPerRound()));
    m.put("round_seconds", r.roundSeconds().stream().map(SimulateCommand::round3).toList());
    m.put("peak_heap_bytes", r.peakHeapBytes() < 0 ? null : r.peakHeapBytes());
    long rss = peakResidentBytes(Path.of("/proc/self/status"));
    m.put("peak_rss_bytes", rss < 0 ? null : rss);
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put(
        "jvm",
        System.getProperty("java.vm.name")
            + " "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cpus");
    m.put("settings", new LinkedHashMap<String, Object>(s.values()));
    return m;
  }

  private String summaryJson(SimulationRunner.Result r) {
    return Json.write(summary(r));
  }

  private void writeCompareSummary(
      Path file, String key, List<String> labels, List<SimulationRunner.Result> results) {
    List<Object> runs = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Map<String, Object> m = summary(results.get(i));
      m.remove("settings");
      m.put("label", labels.get(i));
      runs.add(m);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("compare", key);
    all.put("runs", runs);
    try {
      Files.writeString(file, Json.write(all) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void printTable(PrintWriter out, SimulationRunner.Result r) {
    out.printf(
        Locale.ROOT,
        "%5s %9s %8s %10s %12s %9s %12s%n",
        "round",
        "accuracy",
        "loss",
        "epsilon",
        "participants",
        "rejected",
        "bytes");
    for (SimulationRunner.RoundRecord rec : r.rounds()) {
      out.printf(
          Locale.ROOT,
          "%5d %9.4f %8.4f %10s %12d %9d %12d%n",
          rec.round(),
          rec.accuracy(),
          rec.loss(),
          SimulationRunner.formatEpsilon(rec.epsilon()),
          rec.participants(),
          rec.rejected(),
          rec.bytes());
    }
  }

  private static void printSummary(PrintWriter out, SimulationRunner.Result r, Path dir) {
    out.printf(
        Locale.ROOT,
        "federated: %.4f held-out accuracy after %d rounds; centralized (same model, same split,"
            + " %d epochs): %.4f; difference %+.1f points%n",
        r.finalAccuracy(),
        r.rounds().size(),
        r.scenario().baselineEpochs(),
        r.centralized().accuracy(),
        100 * (r.finalAccuracy() - r.centralized().accuracy()));
    out.printf(
        Locale.ROOT,
        "privacy: epsilon %s at delta %s%s%n",
        SimulationRunner.formatEpsilon(r.epsilon()),
        r.delta(),
        Double.isInfinite(r.epsilon()) ? " (no noise: clipping only, no DP guarantee)" : "");
    out.printf(Locale.ROOT, "wall time: %.1f s%n", r.wallSeconds());
    out.println("chart: " + dir.resolve("accuracy.png").toAbsolutePath());
    out.println("rounds: " + dir.resolve("rounds.csv").toAbsolutePath());
    out.println("summary: " + dir.resolve("summary.json").toAbsolutePath());
    out.flush();
  }

  /**
   * This JVM's peak resident set size: heap, metaspace, thread stacks, direct buffers and the JVM
   * itself, as the kernel counts them ({@code VmHWM} in {@code /proc/self/status} on Linux). In a
   * {@code --processes} run it is the parent's alone.
   *
   * @param status the status file
   * @return bytes, or −1 when the file is missing or has no such line
   */
  static long peakResidentBytes(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
          if (parts.length == 2 && parts[1].equals("kB")) {
            return Long.parseLong(parts[0]) * 1024;
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String safeName(String label) {
    return label.replaceAll("[^A-Za-z0-9._=-]", "_");
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + message);
  }
}
