package org.fedgossip.cli.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.fedgossip.core.runtime.BasketPeer;
import org.fedgossip.core.runtime.HierarchicalFederation;
import org.fedgossip.core.runtime.HierarchicalFederation.Client;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.gossip.GossipDropReason;
import org.fedgossip.gossip.GossipPayloadTypes;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.SgdConfig;
import org.fedgossip.simulations.model.SoftmaxRegression;
import org.fedgossip.simulations.partition.IidPartitioner;
import org.fedgossip.simulations.partition.Partition;
import org.fedgossip.simulations.scenario.Scenario;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.memory.LinkModel;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.Standing;

/**
 * The emulated leg of a chaos run: a whole federation ({@link HierarchicalFederation}: the daemon's
 * own {@code BasketPeer}, {@code Coordinator}, gossip and SecAgg+ classes) in virtual time on one
 * thread over an {@code InMemoryNetwork}, run twice from the same seed: once fault-free, once under
 * a {@link FaultPlan} with lossy, duplicating, reordering links, one sign-flipping Byzantine member
 * per basket and flooding members.
 *
 * <p>The federation: MNIST subset, IID split, softmax regression, Multi-Krum (Blanchard et al.
 * 2017, §4) with f = 1 in every basket of n peers (n ≥ 2f + 3 = 5), SecAgg+ across baskets, local
 * and central Gaussian noise at z = 0.01 (so every ledger spends ε; the budget is set out of
 * reach).
 *
 * <p>Crashes: {@link HierarchicalFederation#crash} drops a node's objects without {@code close()},
 * releases its file handles and cuts it off the network; the restart rebuilds it from its data
 * directory. That models what SIGKILL leaves behind at a point between two durable writes (each
 * write is fsync'd and renamed), with the in-flight round and every in-memory state lost; it does
 * not model a torn write, which the state files' own tests cover, nor the time a JVM takes to
 * start.
 *
 * <p>Flooding: a flooding member holds a valid certificate of its basket but no data; at every 10
 * ms tick it sends {@code floodPerTick} empty gossip messages (valid, but useless) to each member
 * of its basket, far above their per-sender token bucket ({@code GossipConfig.simulation}: 500 per
 * second, burst 1,000). Receivers drop the excess as {@code RATE_LIMITED}, attributed to the sender
 * by {@code GossipNode.rateLimitedBySender()}.
 */
public final class EmulatedLeg {

  private static final long MS = 1_000_000L;
  private static final long STEP_NANOS = 20 * MS;
  private static final double NOISE = 0.01;

  private EmulatedLeg() {}

  /**
   * The leg's parameters.
   *
   * @param seed every random choice derives from it
   * @param rounds R, model versions each run must reach, ≥ 6
   * @param baskets baskets, ≥ 3 (round.minBaskets is 2, so a partitioned basket can be left out)
   * @param peersPerBasket peers with data per basket, ≥ 5 (Multi-Krum f = 1 needs n ≥ 5)
   * @param flooders flooding members, each in basket {@code i mod baskets}, ≥ 0
   * @param floodPerTick empty gossip messages a flooder sends to each receiver per 10 ms tick
   * @param link the model of every link in the chaos run (the fault-free run uses its latency and
   *     jitter only)
   * @param peerKills peer crashes to schedule
   * @param coordinatorKills coordinator crashes to schedule
   * @param partitions basket partitions to schedule
   * @param tolerance allowed accuracy shortfall against the fault-free run, in [0, 1]
   * @param roundLimitMs virtual milliseconds a round may take before the run counts as stalled
   * @param directory an empty or missing directory for the nodes' state
   */
  public record Config(
      long seed,
      int rounds,
      int baskets,
      int peersPerBasket,
      int flooders,
      int floodPerTick,
      LinkModel link,
      int peerKills,
      int coordinatorKills,
      int partitions,
      double tolerance,
      long roundLimitMs,
      Path directory) {

    /** Validates the values; each message names the parameter and its range. */
    public Config {
      if (rounds < 6) {
        throw new IllegalArgumentException("rounds is " + rounds + "; it must be >= 6");
      }
      if (baskets < 3 || baskets > 26) {
        throw new IllegalArgumentException("baskets is " + baskets + "; it must be in [3, 26]");
      }
      if (peersPerBasket < 5) {
        throw new IllegalArgumentException(
            "peers-per-basket is " + peersPerBasket + "; Multi-Krum with f = 1 needs >= 5");
      }
      if (flooders < 0 || floodPerTick < 1 || floodPerTick > 10_000) {
        throw new IllegalArgumentException(
            "flooders "
                + flooders
                + " must be >= 0 and floodPerTick "
                + floodPerTick
                + " in [1, 10000]");
      }
      if (peerKills < 0 || coordinatorKills < 0 || partitions < 0) {
        throw new IllegalArgumentException("fault counts must be >= 0");
      }
      if (!(tolerance >= 0 && tolerance <= 1)) {
        throw new IllegalArgumentException("tolerance is " + tolerance + "; it must be in [0, 1]");
      }
      if (roundLimitMs < 1_000) {
        throw new IllegalArgumentException(
            "roundLimitMs is " + roundLimitMs + "; it must be >= 1000");
      }
      java.util.Objects.requireNonNull(link, "link");
      java.util.Objects.requireNonNull(directory, "directory");
    }

    /**
     * The default chaos parameters for R rounds: 2 ms ± 3 ms links with 2% loss, 2% duplication and
     * 5% reordering, two flooders at 10 messages per tick per receiver (1,000 per second, twice the
     * rate limit), max(3, R/4) peer kills, max(2, R/10) coordinator kills, max(1, R/15) partitions,
     * a 0.05 accuracy tolerance and 300 s of virtual time per round.
     *
     * @param seed the seed
     * @param rounds R
     * @param baskets baskets
     * @param peersPerBasket peers per basket
     * @param directory the state directory
     * @return the configuration
     */
    public static Config defaults(
        long seed, int rounds, int baskets, int peersPerBasket, Path directory) {
      return new Config(
          seed,
          rounds,
          baskets,
          peersPerBasket,
          2,
          10,
          LinkModel.lan(2 * MS, 3 * MS)
              .withLossProbability(0.02)
              .withDuplicateProbability(0.02)
              .withReorderProbability(0.05),
          Math.max(3, rounds / 4),
          Math.max(2, rounds / 10),
          Math.max(1, rounds / 15),
          0.05,
          300_000,
          directory);
    }

    /**
     * A copy with other flooders.
     *
     * @param count flooding members, ≥ 0
     * @param perTick messages each sends to each receiver per 10 ms tick, in [1, 10000]
     * @return the copy
     */
    public Config withFlood(int count, int perTick) {
      return new Config(
          seed,
          rounds,
          baskets,
          peersPerBasket,
          count,
          perTick,
          link,
          peerKills,
          coordinatorKills,
          partitions,
          tolerance,
          roundLimitMs,
          directory);
    }

    /**
     * A copy with other fault counts.
     *
     * @param peers peer kills
     * @param coordinator coordinator kills
     * @param partitionCount basket partitions
     * @return the copy
     */
    public Config withFaults(int peers, int coordinator, int partitionCount) {
      return new Config(
          seed,
          rounds,
          baskets,
          peersPerBasket,
          flooders,
          floodPerTick,
          link,
          peers,
          coordinator,
          partitionCount,
          tolerance,
          roundLimitMs,
          directory);
    }
  }

  /** What a member does. */
  enum Role {
    HONEST,
    BYZANTINE,
    FLOODER
  }

  /**
   * Runs the fault-free run, then the chaos run, then the checks.
   *
   * @param config the parameters
   * @param progress where progress lines go (stderr), or null
   * @return the leg's figures and checks
   * @throws UncheckedIOException when the state directory cannot be written
   */
  public static LegResult run(Config config, PrintWriter progress) {
    long started = System.nanoTime();
    Data data = new Data(config);
    Run faultFree =
        new Run(config, data, false, config.directory().resolve("fault-free"), progress);
    faultFree.execute();
    Run chaos = new Run(config, data, true, config.directory().resolve("chaos"), progress);
    chaos.execute();

    List<Check> checks = new ArrayList<>();
    checks.add(ChaosChecks.reachedAllRounds(chaos.stalled, faultFree.stalled, config.rounds()));
    checks.add(ChaosChecks.checkpoints(chaos.checkpointDirs()));
    checks.add(ChaosChecks.ledgers(chaos.epsilonReadings));
    checks.add(ChaosChecks.auditChains(chaos.auditFiles()));
    checks.add(ChaosChecks.convergence(chaos.accuracy, faultFree.accuracy, config.tolerance()));
    checks.add(ChaosChecks.honestNotExcluded(chaos.honestExclusions, chaos.trustObservations));
    checks.add(ChaosChecks.floodersRateLimited(chaos.rateLimitedByFlooder()));

    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("baskets", config.baskets());
    facts.put("peers_per_basket", config.peersPerBasket());
    facts.put("byzantine_peers", config.baskets());
    facts.put("byzantine_attack", "sign flip x3 (clipped to C)");
    facts.put("flooders", config.flooders());
    facts.put("flood_messages_per_second_per_receiver", config.floodPerTick() * 100);
    facts.put("link", config.link().toString());
    facts.put("rule", "multi-krum f=1");
    facts.put("virtual_seconds_chaos", chaos.virtualSeconds());
    facts.put("virtual_seconds_fault_free", faultFree.virtualSeconds());
    facts.put("final_version_chaos", chaos.finalVersion);
    facts.put("byzantine_exclusions_at_end", chaos.byzantineExcludedAtEnd);
    facts.put(
        "byzantine_lowest_trust_score_at_end",
        String.format(Locale.ROOT, "%.3f", chaos.byzantineLowestScore));
    facts.put(
        "honest_lowest_trust_score_at_end",
        String.format(Locale.ROOT, "%.3f", chaos.honestLowestScore));
    facts.put("layer1_rejected_inputs", chaos.layer1Rejected);
    facts.put("honest_senders_rate_limited", chaos.honestRateLimited());
    facts.put("flood_messages_sent", chaos.floodSent);
    facts.put("faults_planned", chaos.plan.faults().size());
    facts.put("faults_skipped_target_already_down", chaos.skippedFaults);
    return new LegResult(
        "emulated",
        config.rounds(),
        (System.nanoTime() - started) / 1e9,
        chaos.kills,
        chaos.partitionsMade,
        chaos.rejected(),
        chaos.accuracy,
        faultFree.accuracy,
        checks,
        facts);
  }

  /** The data, split and settings shared by both runs. */
  private static final class Data {
    final Dataset train;
    final Dataset test;
    final Dataset noEval;
    final Partition partition;
    final RuntimeSettings settings;
    final SgdConfig sgd;
    final long modelSeed;

    Data(Config config) {
      Map<String, String> overrides = new HashMap<>();
      overrides.put("federation.baskets", Integer.toString(config.baskets()));
      overrides.put("federation.peersPerBasket", Integer.toString(config.peersPerBasket()));
      overrides.put("aggregation.rule", "multi-krum");
      overrides.put("aggregation.byzantine", "1");
      overrides.put("round.minUpdates", Integer.toString(config.peersPerBasket()));
      overrides.put("privacy.noiseMultiplier", Double.toString(NOISE));
      overrides.put("privacy.centralNoiseMultiplier", Double.toString(NOISE));
      overrides.put("privacy.epsilon", "1e12");
      overrides.put("trainer.localEpochs", "1");
      overrides.put("simulation.seed", Long.toString(config.seed()));
      Scenario scenario = Scenario.load(Scenario.DEFAULT_NAME).with(overrides);
      settings = scenario.settings();
      sgd = scenario.sgd();
      TrainTestSplit split = BundledDatasets.mnistSplit();
      train = split.train();
      test = split.test();
      noEval =
          new Dataset(new float[0], train.featureCount(), new int[0], train.classes(), List.of());
      partition =
          new IidPartitioner()
              .split(train, config.baskets() * config.peersPerBasket(), config.seed() ^ 0xDA7AL);
      modelSeed = config.seed() * 31 + 7;
    }

    SoftmaxRegression trainer(int peer, long seed) {
      return new SoftmaxRegression(
          train, partition.rowsOf(peer), noEval, sgd, modelSeed, seed * 1_000_033L + peer);
    }

    SoftmaxRegression evaluator() {
      return new SoftmaxRegression(test, new int[0], test, sgd, modelSeed, 0);
    }
  }

  /** A Byzantine member's trainer: it trains honestly and releases −3 × its delta. */
  private record SignFlipTrainer(LocalTrainer honest) implements LocalTrainer {
    @Override
    public int dimension() {
      return honest.dimension();
    }

    @Override
    public float[] initialWeights() {
      return honest.initialWeights();
    }

    @Override
    public TrainingResult train(float[] globalWeights, long round) {
      TrainingResult own = honest.train(globalWeights, round);
      float[] flipped = own.delta().clone();
      for (int i = 0; i < flipped.length; i++) {
        flipped[i] *= -3f;
      }
      return new TrainingResult(flipped, own.samples());
    }

    @Override
    public Evaluation evaluate(float[] weights) {
      return honest.evaluate(weights);
    }
  }

  private record Timed(long atNanos, long order, Runnable action) {}

  /** One federation run: fault-free or under the plan. */
  private static final class Run {
    final Config config;
    final boolean chaos;
    final Path directory;
    final PrintWriter progress;
    final HierarchicalFederation federation;
    final SoftmaxRegression evaluator;
    final FaultPlan plan;
    final List<Client> clients = new ArrayList<>();
    final Map<PeerId, Role> roles = new HashMap<>();
    final Map<PeerId, Integer> basketOf = new HashMap<>();
    final Map<String, Long> kills = new TreeMap<>();
    final Map<String, List<Double>> epsilonReadings = new TreeMap<>();
    final List<String> honestExclusions = new ArrayList<>();
    final Map<GossipDropReason, Long> gossipDropped =
        new java.util.EnumMap<>(GossipDropReason.class);
    final Map<String, Long> runtimeRejected = new TreeMap<>();
    final Map<PeerId, Long> rateLimitedBy = new HashMap<>();
    final PriorityQueue<Timed> pending =
        new PriorityQueue<>(
            java.util.Comparator.comparingLong(Timed::atNanos).thenComparingLong(Timed::order));
    long order;
    long trustObservations;
    long partitionsMade;
    long skippedFaults;
    long floodSent;
    long byzantineExcludedAtEnd;
    double byzantineLowestScore = 1;
    double honestLowestScore = 1;
    long layer1Rejected;
    long finalVersion;
    double accuracy = Double.NaN;
    String stalled;

    Run(Config config, Data data, boolean chaos, Path directory, PrintWriter progress) {
      this.config = config;
      this.chaos = chaos;
      this.directory = directory;
      this.progress = progress;
      try {
        if (Files.isDirectory(directory)) {
          try (var entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
              throw new IllegalArgumentException(directory + " is not empty");
            }
          }
        }
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      evaluator = data.evaluator();
      LinkModel link =
          chaos
              ? config.link()
              : LinkModel.lan(config.link().latencyNanos(), config.link().jitterNanos());
      federation =
          HierarchicalFederation.create(
              directory,
              data.settings,
              evaluator.initialWeights(),
              config.seed(),
              GossipConfig.simulation(),
              link);
      int index = 0;
      for (int b = 0; b < config.baskets(); b++) {
        for (int k = 0; k < config.peersPerBasket(); k++) {
          boolean byzantine = chaos && k == config.peersPerBasket() - 1;
          LocalTrainer t = data.trainer(index, config.seed());
          Client c =
              federation.registerClient(
                  String.format(Locale.ROOT, "basket-%c-peer-%d", 'a' + b, k + 1),
                  basketName(b),
                  byzantine ? new SignFlipTrainer(t) : t);
          clients.add(c);
          roles.put(c.id(), byzantine ? Role.BYZANTINE : Role.HONEST);
          basketOf.put(c.id(), b);
          index++;
        }
      }
      if (chaos) {
        for (int i = 0; i < config.flooders(); i++) {
          int b = i % config.baskets();
          Client c =
              federation.registerClient(
                  String.format(Locale.ROOT, "basket-%c-flooder-%d", 'a' + b, i + 1),
                  basketName(b),
                  null);
          clients.add(c);
          roles.put(c.id(), Role.FLOODER);
          basketOf.put(c.id(), b);
        }
      }
      plan =
          chaos
              ? FaultPlan.draw(
                  config.seed(),
                  config.rounds(),
                  clients.size(),
                  config.baskets(),
                  config.peerKills(),
                  config.coordinatorKills(),
                  config.partitions())
              : new FaultPlan(List.of());
      federation.evaluateWith(evaluator::evaluate);
    }

    static String basketName(int b) {
      return "basket-" + (char) ('a' + b);
    }

    void execute() {
      String label = chaos ? "chaos" : "fault-free";
      try (HierarchicalFederation f = federation) {
        f.start();
        if (chaos) {
          f.everyTick(this::flood);
        }
        long seen = 0;
        long lastProgress = 0;
        while (true) {
          f.runFor(STEP_NANOS);
          long now = f.nowNanos();
          while (!pending.isEmpty() && pending.peek().atNanos() <= now) {
            pending.poll().action().run();
          }
          if (f.isUp(f.coordinatorId())) {
            long v = f.globalModel().version();
            if (v > seen) {
              for (long r = seen + 1; r <= v; r++) {
                onRound(r, now);
              }
              seen = v;
              lastProgress = now;
              if (progress != null) {
                progress.printf(
                    Locale.ROOT,
                    "emulated %s: model version %d/%d at %.1f s virtual, %d kills, %d partitions%n",
                    label,
                    v,
                    config.rounds(),
                    now / 1e9,
                    kills.values().stream().mapToLong(Long::longValue).sum(),
                    partitionsMade);
                progress.flush();
              }
              if (v >= config.rounds()) {
                break;
              }
            }
          }
          if (now - lastProgress > config.roundLimitMs() * MS) {
            stalled =
                "stalled at model version "
                    + seen
                    + " for "
                    + config.roundLimitMs()
                    + " ms of virtual time (seed "
                    + config.seed()
                    + "); the coordinator says: "
                    + (f.isUp(f.coordinatorId()) ? f.coordinator().status().note() : "down");
            break;
          }
        }
        // Restarts and heals still due happen now, so every node ends up and is read once more.
        while (!pending.isEmpty()) {
          pending.poll().action().run();
        }
        finalVersion = f.globalModel().version();
        accuracy = evaluator.evaluate(f.globalModel().weights()).accuracy();
        readEnd(f.nowNanos());
      }
    }

    private void onRound(long round, long now) {
      sampleTrust(round, now);
      for (FaultPlan.Fault fault : plan.startingIn(round)) {
        long at = now + fault.offsetMs() * MS;
        schedule(at, () -> strike(fault, at));
      }
    }

    private void schedule(long at, Runnable action) {
      pending.add(new Timed(at, order++, action));
    }

    private void strike(FaultPlan.Fault fault, long at) {
      HierarchicalFederation f = federation;
      long until = at + fault.durationMs() * MS;
      switch (fault.kind()) {
        case KILL_COORDINATOR -> {
          PeerId id = f.coordinatorId();
          if (!f.isUp(id)) {
            skippedFaults++;
            return;
          }
          epsilon("coordinator", f.stateOf(id).ledger().spentEpsilon());
          tally(f.coordinator().counters().rejected());
          f.crashCoordinator();
          kills.merge("coordinator", 1L, Long::sum);
          schedule(
              until,
              () -> {
                f.restartCoordinator();
                epsilon("coordinator", f.stateOf(id).ledger().spentEpsilon());
              });
        }
        case KILL_PEER -> {
          Client victim = clients.get(fault.target() % clients.size());
          if (!f.isUp(victim.id())) {
            skippedFaults++;
            return;
          }
          BasketPeer peer = f.peer(victim);
          epsilon(victim.name(), peer.privacySpent());
          tally(peer);
          f.crash(victim);
          kills.merge(victim.name(), 1L, Long::sum);
          schedule(
              until,
              () -> {
                f.restart(victim);
                epsilon(victim.name(), f.peer(victim).privacySpent());
              });
        }
        case PARTITION_BASKET -> {
          int b = fault.target() % config.baskets();
          Set<PeerId> inside = new java.util.HashSet<>();
          Set<PeerId> outside = new java.util.HashSet<>();
          outside.add(f.coordinatorId());
          for (Client c : clients) {
            (basketOf.get(c.id()) == b ? inside : outside).add(c.id());
          }
          String name = "partition-" + partitionsMade + "-" + basketName(b);
          f.cut(name, inside, outside);
          partitionsMade++;
          schedule(until, () -> f.uncut(name));
        }
      }
    }

    private void flood(long nowNanos) {
      for (Client flooder : clients) {
        if (roles.get(flooder.id()) != Role.FLOODER || !federation.isUp(flooder.id())) {
          continue;
        }
        for (Client target : clients) {
          if (target.equals(flooder)
              || !basketOf.get(target.id()).equals(basketOf.get(flooder.id()))) {
            continue;
          }
          for (int i = 0; i < config.floodPerTick(); i++) {
            federation
                .endpoint(flooder)
                .send(target.id(), GossipPayloadTypes.GOSSIP, ByteBuffer.allocate(0));
            floodSent++;
          }
        }
      }
    }

    private void sampleTrust(long round, long now) {
      for (Client observer : clients) {
        if (roles.get(observer.id()) != Role.HONEST || !federation.isUp(observer.id())) {
          continue;
        }
        BasketPeer peer = federation.peer(observer);
        for (Client member : clients) {
          if (member.equals(observer)
              || roles.get(member.id()) != Role.HONEST
              || !basketOf.get(member.id()).equals(basketOf.get(observer.id()))) {
            continue;
          }
          trustObservations++;
          if (peer.trustStanding(member.id(), now) == Standing.EXCLUDED) {
            honestExclusions.add(
                "after model version "
                    + round
                    + ": "
                    + observer.name()
                    + " excludes "
                    + member.name());
          }
        }
      }
    }

    private void readEnd(long now) {
      sampleTrust(finalVersion, now);
      for (Client c : clients) {
        BasketPeer peer = federation.peer(c);
        tally(peer);
        if (epsilonReadings.containsKey(c.name())) {
          epsilon(c.name(), peer.privacySpent());
        }
        if (roles.get(c.id()) == Role.HONEST) {
          for (Client other : clients) {
            if (other.equals(c) || !basketOf.get(other.id()).equals(basketOf.get(c.id()))) {
              continue;
            }
            double score = peer.trustScore(other.id(), now);
            if (roles.get(other.id()) == Role.BYZANTINE) {
              byzantineLowestScore = Math.min(byzantineLowestScore, score);
              if (peer.trustStanding(other.id(), now) == Standing.EXCLUDED) {
                byzantineExcludedAtEnd++;
              }
            } else if (roles.get(other.id()) == Role.HONEST) {
              honestLowestScore = Math.min(honestLowestScore, score);
            }
          }
        }
      }
      tally(federation.coordinator().counters().rejected());
      if (epsilonReadings.containsKey("coordinator")) {
        epsilon(
            "coordinator", federation.stateOf(federation.coordinatorId()).ledger().spentEpsilon());
      }
    }

    private void epsilon(String node, double value) {
      epsilonReadings.computeIfAbsent(node, k -> new ArrayList<>()).add(value);
    }

    private void tally(BasketPeer peer) {
      layer1Rejected += peer.counters().layer1Rejected();
      var node = peer.group().node();
      node.counters().dropped().forEach((r, n) -> gossipDropped.merge(r, n, Long::sum));
      node.rateLimitedBySender().forEach((p, n) -> rateLimitedBy.merge(p, n, Long::sum));
      tally(peer.counters().rejected());
    }

    private void tally(Map<String, Long> rejected) {
      rejected.forEach((r, n) -> runtimeRejected.merge(r, n, Long::sum));
    }

    Map<String, Long> rejected() {
      Map<String, Long> out = new TreeMap<>();
      gossipDropped.forEach((r, n) -> add(out, "gossip." + r.name(), n));
      runtimeRejected.forEach((r, n) -> add(out, "runtime." + r, n));
      Map<DropReason, Long> network = new java.util.EnumMap<>(DropReason.class);
      for (Client c : clients) {
        federation.endpoint(c).counters().drops().forEach((r, n) -> network.merge(r, n, Long::sum));
      }
      network.forEach((r, n) -> add(out, "network." + r.name(), n));
      return out;
    }

    private static void add(Map<String, Long> out, String key, long n) {
      if (n > 0) {
        out.merge(key, n, Long::sum);
      }
    }

    Map<String, Long> rateLimitedByFlooder() {
      Map<String, Long> out = new TreeMap<>();
      for (Client c : clients) {
        if (roles.get(c.id()) == Role.FLOODER) {
          out.put(c.name(), rateLimitedBy.getOrDefault(c.id(), 0L));
        }
      }
      return out;
    }

    long honestRateLimited() {
      long n = 0;
      for (Client c : clients) {
        if (roles.get(c.id()) != Role.FLOODER) {
          n += rateLimitedBy.getOrDefault(c.id(), 0L);
        }
      }
      return n;
    }

    List<Path> checkpointDirs() {
      List<Path> out = new ArrayList<>();
      out.add(directory.resolve("coordinator").resolve("checkpoints"));
      for (Client c : clients) {
        out.add(directory.resolve("peers").resolve(c.name()).resolve("checkpoints"));
      }
      return out;
    }

    List<Path> auditFiles() {
      List<Path> out = new ArrayList<>();
      out.add(directory.resolve("coordinator").resolve("audit.log"));
      for (Client c : clients) {
        out.add(directory.resolve("peers").resolve(c.name()).resolve("audit.log"));
      }
      return out;
    }

    double virtualSeconds() {
      return federation.nowNanos() / 1e9;
    }
  }
}
