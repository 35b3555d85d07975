package org.fedgossip.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedgossip.basket.BasketConfig;
import org.fedgossip.core.runtime.FederationClientAgent;
import org.fedgossip.core.runtime.RuntimeCounters;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.simulations.scenario.SimulationRunner;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedgossip simulate-worker} (hidden): one worker process of {@code simulate --processes P}.
 * It reads the plan its parent wrote, builds the scenario's peers exactly as the in-process runner
 * does, and hosts its share of them as {@link FederationClientAgent}s over mutual-TLS Netty on
 * loopback.
 *
 * <p>It talks to its parent over its standard streams. On standard output: {@code READY} once every
 * agent is bound, then {@value #STATS} lines every {@value #STATS_INTERVAL_MS} ms with its peers'
 * cumulative figures. On standard input: {@code START} starts the agents; end of input means the
 * parent is gone, and the worker closes its agents and exits, as it does when its parent process
 * dies, so no worker outlives a killed parent. SIGTERM closes the agents too.
 */
@Command(
    name = "simulate-worker",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Internal: one worker process of 'fedgossip simulate --processes P'.")
final class SimulateWorkerCommand implements Callable<Integer> {

  /** The first word of a statistics line. */
  static final String STATS = "STATS";

  /** The line a worker prints once its agents are bound. */
  static final String READY = "READY";

  /** The line the parent sends to start the agents. */
  static final String START = "START";

  /** How often a worker prints its statistics. */
  static final long STATS_INTERVAL_MS = 200;

  /** Exit code when the parent went away. */
  static final int ORPHANED = 3;

  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.log.org.fedgossip";

  @Option(names = "--plan", required = true, description = "The federation/ directory.")
  Path plan;

  @Option(names = "--worker", required = true, description = "This worker's index.")
  int worker;

  @Option(names = "--verbose", description = "Log the runtime's INFO messages.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, verbose ? "info" : "warn");
    }
    // The protocol owns standard output; anything else printed there would corrupt it.
    PrintStream control = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    SimulationPlan p = SimulationPlan.read(plan);
    if (worker < 0 || worker >= p.processes()) {
      throw new IllegalArgumentException(
          "--worker must be in [0, " + (p.processes() - 1) + "], got " + worker);
    }
    SimulationRunner.Setup setup = SimulationRunner.setUp(p.scenario());
    float[] initial = setup.evaluator().initialWeights();
    List<FederationClientAgent> agents = new ArrayList<>();
    Thread hook = new Thread(() -> closeAll(agents), "fedgossip-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      for (int i : p.peersOf(worker)) {
        agents.add(build(p, i, setup, initial));
      }
      control.println(READY);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean orphaned = new AtomicBoolean();
      Thread input = new Thread(() -> readParent(start, orphaned), "fedgossip-worker-stdin");
      input.setDaemon(true);
      input.start();
      // End of input is the parent's exit, even by SIGKILL: the pipe closes with it.
      start.await();
      if (orphaned.get()) {
        return ORPHANED;
      }
      for (FederationClientAgent a : agents) {
        a.start();
      }
      while (!orphaned.get()) {
        control.println(stats(agents));
        Thread.sleep(STATS_INTERVAL_MS);
      }
      return ORPHANED;
    } finally {
      closeAll(agents);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs, and closing twice is harmless.
      }
    }
  }

  private static FederationClientAgent build(
      SimulationPlan p, int index, SimulationRunner.Setup setup, float[] initial)
      throws IOException {
    SimulationPlan.Node node = p.peers().get(index);
    Path folder = p.folder(node);
    FederationClientAgent.Builder b =
        FederationClientAgent.builder()
            .identity(folder.resolve("keys/peer.key"), folder.resolve("keys/peer.crt"))
            .federation(p.caCertificate(), p.crl(), p.roster())
            .basket(node.basket())
            .listen(node.address())
            .coordinator(p.coordinator().id(), p.coordinator().address())
            .settings(p.scenario().settings())
            .initialWeights(initial)
            .dataDirectory(folder.resolve("data"))
            .trainer(setup.trainer(index))
            .gossip(GossipConfig.lan(), BasketConfig.defaults())
            .transport(transportConfig(), TlsProvider.AUTO);
    for (SimulationPlan.Node other : p.peers()) {
      if (other != node && other.basket().equals(node.basket())) {
        b.seed(other.id(), other.address());
      }
    }
    return b.build();
  }

  /**
   * The transport of every simulated node: the LAN preset on one event-loop thread per node, since
   * a process hosts several nodes and the machine's cores are shared by every process.
   */
  static TransportConfig transportConfig() {
    return TransportConfig.lan().withEventLoopThreads(1);
  }

  private static void readParent(CountDownLatch start, AtomicBoolean orphaned) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.strip().equals(START)) {
          start.countDown();
        }
      }
    } catch (IOException e) {
      // A broken pipe is the parent going away, as end of input is.
    }
    orphaned.set(true);
    start.countDown();
  }

  /** {@code STATS submitted rejected bytesSent maxEpsilon minVersion}: cumulative, this worker. */
  static String stats(List<FederationClientAgent> agents) {
    long submitted = 0;
    long rejected = 0;
    long bytes = 0;
    double epsilon = 0;
    long version = Long.MAX_VALUE;
    for (FederationClientAgent a : agents) {
      RuntimeCounters k = a.counters();
      submitted += k.updatesSubmitted();
      rejected += k.layer1Rejected();
      for (long v : k.rejected().values()) {
        rejected += v;
      }
      bytes += a.transport().counters().payloadBytesSent();
      epsilon = Math.max(epsilon, a.privacySpent());
      version = Math.min(version, k.modelVersion());
    }
    return String.format(
        Locale.ROOT,
        "%s %d %d %d %.17g %d",
        STATS,
        submitted,
        rejected,
        bytes,
        epsilon,
        version == Long.MAX_VALUE ? 0 : version);
  }

  private static synchronized void closeAll(List<FederationClientAgent> agents) {
    for (int i = agents.size() - 1; i >= 0; i--) {
      FederationClientAgent a = agents.get(i);
      System.err.printf(
          Locale.ROOT,
          "peer %s: model %d, submitted %d, layer-1 rejected %d, refused by reason %s%n",
          a.id().shortString(),
          a.counters().modelVersion(),
          a.counters().updatesSubmitted(),
          a.counters().layer1Rejected(),
          a.counters().rejected());
      try {
        a.close();
      } catch (IOException | RuntimeException e) {
        System.err.println("closing agent " + i + " failed: " + e);
      }
    }
    agents.clear();
  }
}
