package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedgossip.cli.chaos.ChaosReport;
import org.fedgossip.cli.chaos.EmulatedLeg;
import org.fedgossip.cli.chaos.LegResult;
import org.fedgossip.cli.chaos.ProcessLeg;
import org.fedgossip.transport.memory.LinkModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip chaos}: the chaos and soak harness. It runs a federation of B baskets × n peers
 * plus a coordinator for R rounds, twice from one seed (fault-free, then under a seeded fault
 * plan), checks what must survive and writes {@code report.json} and {@code report.md} into the
 * output directory.
 *
 * <p>Legs: {@code emulated} (the runtime classes in virtual time over the emulated network, with
 * crashes, a basket partition, lossy links, Byzantine and flooding members; see {@link
 * EmulatedLeg}) and {@code processes} (real {@code fedgossip peer} JVMs over mutual TLS on
 * loopback, SIGKILLed and restarted; see {@link ProcessLeg}).
 *
 * <p>Exit codes: 0 when every check of every leg passed, 1 when a check failed or a leg could not
 * run, 2 for a bad option (the message names it).
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Run a federation under a seeded fault plan (SIGKILLs of peers and of the coordinator,"
          + " basket partitions, loss, duplication, reordering, Byzantine and flooding peers)"
          + " and check that checkpoints verify, ledgers never lose ε, audit chains are intact,"
          + " accuracy stays within --tolerance of a fault-free run with the same seed, no"
          + " honest peer is excluded and every flooder is rate-limited.",
      "Writes report.json and report.md into --out; progress goes to stderr. Exit code 0 only"
          + " if every check passed."
    })
final class ChaosCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      description = "Directory for the nodes' state and the report; must be empty or missing.")
  Path out;

  @Option(
      names = "--leg",
      defaultValue = "both",
      description = "emulated, processes or both (default: ${DEFAULT-VALUE}).")
  String leg;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--rounds",
      defaultValue = "30",
      description = "Model versions each run must reach, >= 6 (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--baskets",
      defaultValue = "3",
      description = "Baskets, in [3, 26] (default: ${DEFAULT-VALUE}).")
  int baskets;

  @Option(
      names = "--peers-per-basket",
      defaultValue = "5",
      description = "Peers with data per basket, >= 5 (default: ${DEFAULT-VALUE}).")
  int peersPerBasket;

  @Option(names = "--peer-kills", description = "Peer kills per leg (default: max(3, rounds/4)).")
  Integer peerKills;

  @Option(
      names = "--coordinator-kills",
      description = "Coordinator kills per leg (default: max(2, rounds/10)).")
  Integer coordinatorKills;

  @Option(
      names = "--partitions",
      description = "Basket partitions, emulated leg (default: max(1, rounds/15)).")
  Integer partitions;

  @Option(
      names = "--tolerance",
      defaultValue = "0.05",
      description =
          "Allowed accuracy shortfall against the fault-free run, in [0, 1] (default:"
              + " ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(
      names = "--flooders",
      defaultValue = "2",
      description = "Flooding members, emulated leg (default: ${DEFAULT-VALUE}).")
  int flooders;

  @Option(
      names = "--flood-per-tick",
      defaultValue = "10",
      description =
          "Empty gossip messages a flooder sends each receiver per 10 ms, in [1, 10000]"
              + " (default: ${DEFAULT-VALUE}).")
  int floodPerTick;

  @Option(
      names = "--loss",
      defaultValue = "0.02",
      description = "Loss probability of every link, emulated leg (default: ${DEFAULT-VALUE}).")
  double loss;

  @Option(
      names = "--duplicate",
      defaultValue = "0.02",
      description =
          "Duplication probability of every link, emulated leg (default: ${DEFAULT-VALUE}).")
  double duplicate;

  @Option(
      names = "--reorder",
      defaultValue = "0.05",
      description =
          "Reordering probability of every link, emulated leg (default: ${DEFAULT-VALUE}).")
  double reorder;

  @Option(
      names = "--base-port",
      defaultValue = "21000",
      description =
          "Coordinator port of the fault-free processes run; the chaos run uses +100"
              + " (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--heap-mb",
      defaultValue = "256",
      description = "-Xmx of each peer JVM, processes leg (default: ${DEFAULT-VALUE}).")
  int heapMb;

  @Option(
      names = "--round-limit-seconds",
      defaultValue = "300",
      description =
          "Seconds without a new model (virtual in the emulated leg, wall in the processes"
              + " leg) before a run counts as stalled (default: ${DEFAULT-VALUE}).")
  int roundLimitSeconds;

  @Override
  public Integer call() {
    boolean emulated = leg.equals("emulated") || leg.equals("both");
    boolean processes = leg.equals("processes") || leg.equals("both");
    if (!emulated && !processes) {
      throw usage("--leg", "must be emulated, processes or both, got '" + leg + "'");
    }
    if (rounds < 6) {
      throw usage("--rounds", "must be >= 6, got " + rounds);
    }
    if (baskets < 3 || baskets > 26) {
      throw usage("--baskets", "must be in [3, 26], got " + baskets);
    }
    if (peersPerBasket < 5) {
      throw usage("--peers-per-basket", "must be >= 5 (Multi-Krum f = 1), got " + peersPerBasket);
    }
    if (!(tolerance >= 0 && tolerance <= 1)) {
      throw usage("--tolerance", "must be in [0, 1], got " + tolerance);
    }
    if (flooders < 0) {
      throw usage("--flooders", "must be >= 0, got " + flooders);
    }
    if (floodPerTick < 1 || floodPerTick > 10_000) {
      throw usage("--flood-per-tick", "must be in [1, 10000], got " + floodPerTick);
    }
    for (Object[] p :
        new Object[][] {{"--loss", loss}, {"--duplicate", duplicate}, {"--reorder", reorder}}) {
      double v = (Double) p[1];
      if (!(v >= 0 && v < 1)) {
        throw usage((String) p[0], "must be in [0, 1), got " + v);
      }
    }
    if (basePort < 1024 || basePort > 60_000) {
      throw usage("--base-port", "must be in [1024, 60000], got " + basePort);
    }
    if (heapMb < 64) {
      throw usage("--heap-mb", "must be >= 64, got " + heapMb);
    }
    if (roundLimitSeconds < 10) {
      throw usage("--round-limit-seconds", "must be >= 10, got " + roundLimitSeconds);
    }
    for (Object[] p :
        new Object[][] {
          {"--peer-kills", peerKills},
          {"--coordinator-kills", coordinatorKills},
          {"--partitions", partitions}
        }) {
      if (p[1] != null && (Integer) p[1] < 0) {
        throw usage((String) p[0], "must be >= 0, got " + p[1]);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      if (Files.isDirectory(out)) {
        try (var entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            err.println("chaos: " + out + " is not empty; choose an empty or missing --out");
            return 1;
          }
        }
      }
      Files.createDirectories(out);
      String loadBefore = loadAverage();
      List<LegResult> legs = new ArrayList<>();
      int peerKillCount = peerKills != null ? peerKills : Math.max(3, rounds / 4);
      int coordinatorKillCount =
          coordinatorKills != null ? coordinatorKills : Math.max(2, rounds / 10);
      if (emulated) {
        EmulatedLeg.Config c =
            new EmulatedLeg.Config(
                seed,
                rounds,
                baskets,
                peersPerBasket,
                flooders,
                floodPerTick,
                LinkModel.lan(2_000_000L, 3_000_000L)
                    .withLossProbability(loss)
                    .withDuplicateProbability(duplicate)
                    .withReorderProbability(reorder),
                peerKillCount,
                coordinatorKillCount,
                partitions != null ? partitions : Math.max(1, rounds / 15),
                tolerance,
                roundLimitSeconds * 1000L,
                out.resolve("emulated"));
        legs.add(EmulatedLeg.run(c, err));
      }
      if (processes) {
        ProcessLeg.Config c =
            new ProcessLeg.Config(
                seed,
                rounds,
                peerKillCount,
                coordinatorKillCount,
                tolerance,
                roundLimitSeconds,
                heapMb,
                basePort,
                ChildJvm.command(
                    List.of("-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
                out.resolve("processes"));
        legs.add(ProcessLeg.run(c, this::demoInit, err));
      }
      ChaosReport report =
          new ChaosReport(
              commandLine(),
              seed,
              System.getProperty("java.vm.name") + " " + Runtime.version(),
              loadBefore,
              loadAverage(),
              legs);
      Files.writeString(
          out.resolve("report.json"), Json.write(report.toMap()) + "\n", StandardCharsets.UTF_8);
      Files.writeString(out.resolve("report.md"), report.markdown(), StandardCharsets.UTF_8);
      for (LegResult r : legs) {
        stdout.printf(
            Locale.ROOT,
            "%s: %s (%d rounds, %d kills of which %d of the coordinator, %d partitions,"
                + " accuracy %.4f vs %.4f fault-free, %.0f s)%n",
            r.leg(),
            r.passed() ? "every check passed" : "FAILED",
            r.rounds(),
            r.totalKills(),
            r.coordinatorKills(),
            r.partitions(),
            r.accuracy(),
            r.faultFreeAccuracy(),
            r.wallSeconds());
        r.checks().stream()
            .filter(c -> !c.passed())
            .forEach(c -> stdout.println("  FAILED " + c.name() + ": " + c.detail()));
      }
      stdout.println("report: " + out.resolve("report.md"));
      stdout.flush();
      return report.passed() ? 0 : 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("chaos: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("chaos: interrupted");
      return 1;
    }
  }

  private void demoInit(Path dir, int port) throws IOException {
    CommandLine demo = new CommandLine(new DemoCommand());
    StringWriter text = new StringWriter();
    demo.setOut(new PrintWriter(text));
    demo.setErr(new PrintWriter(text));
    int code =
        demo.execute(
            "init",
            "--out",
            dir.toString(),
            "--baskets",
            Integer.toString(baskets),
            "--peers-per-basket",
            Integer.toString(peersPerBasket),
            "--base-port",
            Integer.toString(port),
            "--seed",
            Long.toString(seed));
    if (code != 0) {
      throw new IOException("demo init failed with exit code " + code + ": " + text);
    }
  }

  private String commandLine() {
    List<String> parts = new ArrayList<>();
    parts.add("fedgossip chaos");
    for (var option : spec.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      Object v = option.getValue();
      if (v != null) {
        parts.add(option.longestName() + " " + v);
      }
    }
    return String.join(" ", parts);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + message);
  }
}
