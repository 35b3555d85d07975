package org.fedgossip.simulations.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.runtime.BasketPeer;
import org.fedgossip.core.runtime.HierarchicalFederation;
import org.fedgossip.core.runtime.RuntimeCounters;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.secureagg.NeighbourGraph;
import org.fedgossip.secureagg.SecAggPayloadTypes;
import org.fedgossip.simulations.attack.Attack;
import org.fedgossip.simulations.attack.AttackContext;
import org.fedgossip.simulations.attack.ByzantineSelection;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.CentralizedBaseline;
import org.fedgossip.simulations.model.LogisticRegression;
import org.fedgossip.simulations.model.Mlp;
import org.fedgossip.simulations.model.SgdTrainer;
import org.fedgossip.simulations.model.SoftmaxRegression;
import org.fedgossip.simulations.model.TrainerFactory;
import org.fedgossip.simulations.partition.DirichletPartitioner;
import org.fedgossip.simulations.partition.DomainPartition;
import org.fedgossip.simulations.partition.DomainPartitioner;
import org.fedgossip.simulations.partition.IidPartitioner;
import org.fedgossip.simulations.partition.Partition;
import org.fedgossip.simulations.partition.SampledPartitioner;
import org.fedgossip.simulations.partition.ShardPartitioner;
import org.fedgossip.trust.PeerId;

/**
 * Runs a {@link Scenario} in one process: builds a {@link HierarchicalFederation} (the daemon's own
 * {@code BasketPeer}, {@code Coordinator}, gossip and SecAgg+ classes over an in-memory network in
 * virtual time), gives every peer a trainer on its partition of the training split, lets the
 * scenario's attackers poison their own updates before release, runs R rounds and evaluates each
 * published model on the held-out split; beside it, the same model trained centrally.
 *
 * <p>Determinism: every random choice (partition, attackers, initial weights, minibatch order,
 * keys, gossip, noise, network delays) derives from {@link Scenario#seed()}, and nothing reads the
 * wall clock, so the same scenario gives the same {@link #csv rounds.csv} byte for byte; only
 * {@link Result#wallSeconds()} differs between runs.
 *
 * <p>Seeds: the model seed (initial weights, shared by every peer and the baseline) and each peer's
 * minibatch-order seed, partition seed and attacker-selection seed are distinct mixes of the
 * scenario's seed, so changing the seed changes all of them.
 */
public final class SimulationRunner {

  /** The header of rounds.csv. */
  public static final String CSV_HEADER =
      "round,accuracy,loss,epsilon,participants,rejected,bytes,baskets,dropouts,secagg_failed";

  private SimulationRunner() {}

  /**
   * One round's figures.
   *
   * @param round the published model version, ≥ 1
   * @param accuracy held-out accuracy of that model, in [0, 1]
   * @param loss held-out mean cross-entropy (nats)
   * @param epsilon ε spent so far at the scenario's δ: the coordinator's when central noise is on,
   *     else the largest peer's when local noise is on, else +∞ (no differential privacy)
   * @param participants local updates released during the round (all peers)
   * @param rejected updates refused during the round: by the peers' checks plus by Layer-1 rules
   * @param bytes payload bytes the network delivered during the round
   * @param baskets basket aggregates combined by the coordinator's SecAgg+ session
   * @param dropouts delegates that dropped out of the round's SecAgg+ session: those the scenario
   *     cut off after their masked input (whose inputs the survivors' shares recover) plus those
   *     the coordinator gave up on before their masked input
   */
  public record RoundRecord(
      long round,
      double accuracy,
      double loss,
      double epsilon,
      long participants,
      long rejected,
      long bytes,
      long baskets,
      long dropouts,
      long secAggFailed) {

    /**
     * The record as a rounds.csv line, with a locale-independent, fixed number format.
     *
     * @return the line, without a line break
     */
    public String csvLine() {
      return String.format(
          Locale.ROOT,
          "%d,%.6f,%.6f,%s,%d,%d,%d,%d,%d,%d",
          round,
          accuracy,
          loss,
          formatEpsilon(epsilon),
          participants,
          rejected,
          bytes,
          baskets,
          dropouts,
          secAggFailed);
    }
  }

  /**
   * The outcome of a run.
   *
   * @param scenario what ran
   * @param rounds one record per round
   * @param centralized the centralized baseline's held-out evaluation
   * @param epsilon the final ε (see {@link RoundRecord#epsilon()})
   * @param delta δ of that ε
   * @param wallSeconds the run's wall time, baseline included; not part of rounds.csv
   * @param setupSeconds wall time before the first round: data, trainers, the centralized baseline,
   *     keys, certificates and the nodes' state
   * @param roundSeconds wall time of each round, from the previous model's publication (or the
   *     start) to this one's
   * @param peakHeapBytes the sum over the JVM's heap pools of their peak usage during the run (an
   *     upper bound of the peak used heap, garbage not yet collected included), or −1 when the JVM
   *     does not report it
   */
  public record Result(
      Scenario scenario,
      List<RoundRecord> rounds,
      Evaluation centralized,
      double epsilon,
      double delta,
      double wallSeconds,
      double setupSeconds,
      List<Double> roundSeconds,
      long peakHeapBytes) {

    /** Copies the lists. */
    public Result {
      Objects.requireNonNull(scenario, "scenario");
      rounds = List.copyOf(rounds);
      Objects.requireNonNull(centralized, "centralized");
      roundSeconds = List.copyOf(roundSeconds);
    }

    /**
     * The mean wall time of a round, setup excluded.
     *
     * @return seconds, or NaN with no rounds
     */
    public double secondsPerRound() {
      return roundSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * The last round's accuracy.
     *
     * @return the accuracy, or NaN with no rounds
     */
    public double finalAccuracy() {
      return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).accuracy();
    }
  }

  /** Sees each round as it completes, for progress displays. */
  @FunctionalInterface
  public interface Progress {

    /**
     * Called after each round.
     *
     * @param record the round
     * @param rounds R, the rounds of the run
     */
    void onRound(RoundRecord record, int rounds);

    /**
     * Called while the federation starts and while a round runs, at most every {@value
     * #STATUS_INTERVAL_SECONDS} s of wall time, so that a large federation shows it is alive.
     *
     * @param message what is going on, for example {@code "round 2: 4120/10000 updates released,
     *     12.3 s of virtual time"}
     */
    default void onStatus(String message) {}
  }

  /** The least wall time between two {@link Progress#onStatus} calls. */
  public static final int STATUS_INTERVAL_SECONDS = 5;

  /** Virtual time run between two checks for a status line. */
  private static final long STATUS_CHUNK_NANOS = 10_000_000L;

  /**
   * ε as written in rounds.csv: {@code inf} when there is no DP guarantee.
   *
   * @param epsilon ε
   * @return the text
   */
  public static String formatEpsilon(double epsilon) {
    return Double.isInfinite(epsilon) ? "inf" : String.format(Locale.ROOT, "%.6f", epsilon);
  }

  /**
   * The rounds.csv text: the header and one line per round, each ending in {@code \n}.
   *
   * @param rounds the records
   * @return the text
   */
  public static String csv(List<RoundRecord> rounds) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (RoundRecord r : rounds) {
      b.append(r.csvLine()).append('\n');
    }
    return b.toString();
  }

  /**
   * What every runner of a scenario builds the same way from its seed (see {@link #setUp}): the
   * data split, each peer's name, basket and trainer (attackers poison their own updates), and the
   * held-out evaluator, whose initial weights are model version 0.
   */
  public static final class Setup {
    private final Scenario scenario;
    private final TrainTestSplit split;
    private final long modelSeed;
    private final int[] basketOf;
    private final boolean[] byzantine;
    private final LocalTrainer[] trainers;
    private final SgdTrainer evaluator;

    private Setup(
        Scenario scenario,
        TrainTestSplit split,
        long modelSeed,
        int[] basketOf,
        boolean[] byzantine,
        LocalTrainer[] trainers,
        SgdTrainer evaluator) {
      this.scenario = scenario;
      this.split = split;
      this.modelSeed = modelSeed;
      this.basketOf = basketOf;
      this.byzantine = byzantine;
      this.trainers = trainers;
      this.evaluator = evaluator;
    }

    /**
     * The number of peers.
     *
     * @return B × n
     */
    public int peers() {
      return trainers.length;
    }

    /**
     * A peer's display name, also its certificate's name: {@code basket<b>-peer<i>}, with {@code
     * -byz} for an attacker.
     *
     * @param peer the peer's index, in [0, peers)
     * @return the name
     */
    public String name(int peer) {
      return String.format(
          Locale.ROOT, "basket%d-peer%02d%s", basketOf[peer], peer, byzantine[peer] ? "-byz" : "");
    }

    /**
     * A peer's basket (its domain): {@code basket-<b>}.
     *
     * @param peer the peer's index
     * @return the basket
     */
    public String basket(int peer) {
      return "basket-" + basketOf[peer];
    }

    /**
     * A peer's trainer, which the peer runs once per round by itself.
     *
     * @param peer the peer's index
     * @return the trainer; an attacker's poisons its updates before release
     */
    public LocalTrainer trainer(int peer) {
      return trainers[peer];
    }

    /**
     * Evaluates a model on the held-out split; its initial weights are model version 0.
     *
     * @return the evaluator
     */
    public SgdTrainer evaluator() {
      return evaluator;
    }

    /**
     * Trains the centralized baseline: the same model on the whole training split for {@code
     * baseline.epochs} epochs. Computed on each call.
     *
     * @return the baseline
     */
    public CentralizedBaseline.Result baseline() {
      return CentralizedBaseline.train(
          factory(scenario), split, scenario.sgd(), scenario.baselineEpochs(), modelSeed);
    }
  }

  /**
   * Runs a scenario; the nodes' durable state lives in a temporary directory, deleted afterwards.
   *
   * @param scenario the scenario
   * @param progress sees each round
   * @return the result
   * @throws IllegalStateException if a round does not complete within {@code
   *     simulation.roundLimitMs} of virtual time
   */
  public static Result run(Scenario scenario, Progress progress) {
    Path dir;
    try {
      dir = Files.createTempDirectory("fedgossip-simulation");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return run(scenario, dir, progress);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Runs a scenario with the nodes' durable state under the given, empty directory.
   *
   * @param scenario the scenario
   * @param directory an empty directory
   * @param progress sees each round
   * @return the result
   */
  public static Result run(Scenario scenario, Path directory, Progress progress) {
    long started = System.nanoTime();
    Setup setup = setUp(scenario);
    long seed = scenario.seed();
    int peers = scenario.peers();
    SgdTrainer evaluator = setup.evaluator();
    float[] initial = evaluator.initialWeights();

    CentralizedBaseline.Result baseline = setup.baseline();

    List<RoundRecord> records = new ArrayList<>();
    List<Double> roundSeconds = new ArrayList<>();
    double setupSeconds;
    StatusLine status = new StatusLine(progress);
    double delta = scenario.settings().budget().delta();
    try (HierarchicalFederation f =
        HierarchicalFederation.create(directory, scenario.settings(), initial, seed)) {
      for (int i = 0; i < peers; i++) {
        f.registerClient(setup.name(i), setup.basket(i), setup.trainer(i));
      }
      RoundRecorder recorder = new RoundRecorder(f, scenario, evaluator, progress, records);
      f.evaluateWith(recorder::onPublished);
      f.start(
          (phase, done, total) -> status.report(false, "starting: %s %d/%d", phase, done, total));
      f.network().setDeliveryObserver(recorder::onDelivery);
      setupSeconds = (System.nanoTime() - started) / 1e9;
      long roundStarted = System.nanoTime();
      while (records.size() < scenario.rounds()) {
        Optional<GlobalModel> model = Optional.empty();
        long round = records.size() + 1;
        long roundVirtualStart = f.nowNanos();
        long spent = 0;
        while (model.isEmpty() && spent < scenario.roundLimitNanos()) {
          long chunk = Math.min(STATUS_CHUNK_NANOS, scenario.roundLimitNanos() - spent);
          model = f.runUntilPublished(chunk);
          spent = f.nowNanos() - roundVirtualStart;
          if (model.isEmpty() && status.due()) {
            status.report(
                true,
                "round %d: %d/%d updates released, %.1f s of virtual time",
                round,
                released(f) - recorder.submitted,
                peers,
                spent / 1e9);
          }
        }
        if (model.isPresent()) {
          long now = System.nanoTime();
          roundSeconds.add((now - roundStarted) / 1e9);
          roundStarted = now;
        }
        if (model.isEmpty()) {
          throw new IllegalStateException(
              "round "
                  + (records.size() + 1)
                  + " of scenario "
                  + scenario.name()
                  + " did not complete within simulation.roundLimitMs="
                  + scenario.roundLimitNanos() / 1_000_000
                  + " ms of virtual time (seed "
                  + seed
                  + "); the coordinator says: "
                  + f.coordinator().status().note());
        }
      }
    }
    double epsilon =
        records.isEmpty() ? Double.POSITIVE_INFINITY : records.get(records.size() - 1).epsilon();
    return new Result(
        scenario,
        records,
        baseline.test(),
        epsilon,
        delta,
        (System.nanoTime() - started) / 1e9,
        setupSeconds,
        roundSeconds.subList(0, Math.min(roundSeconds.size(), records.size())),
        peakHeapBytes());
  }

  /**
   * Builds what every runner of a scenario shares, deterministically from its seed: the data split,
   * the partition, the peers' trainers (attackers included) and the held-out evaluator. The
   * multi-process runner calls it in every process and gets the same peers everywhere.
   *
   * @param scenario the scenario
   * @return the set-up
   */
  public static Setup setUp(Scenario scenario) {
    long seed = scenario.seed();
    TrainTestSplit split =
        switch (scenario.dataSet()) {
          case MNIST -> BundledDatasets.mnistSplit();
          case BREAST_CANCER -> BundledDatasets.breastCancerSplit(mix(seed, 7));
        };
    long modelSeed = mix(seed, 1);
    Dataset train = split.train();
    Dataset noEval =
        new Dataset(new float[0], train.featureCount(), new int[0], train.classes(), List.of());

    int peers = scenario.peers();
    int n = scenario.peersPerBasket();
    int[][] rows;
    int[] basketOf = new int[peers];
    long partitionSeed = mix(seed, 2);
    Scenario.PartitionSpec ps = scenario.partition();
    if (ps.type().equals("domain")) {
      DomainPartition dp =
          new DomainPartitioner(scenario.baskets(), ps.ownFraction(), new IidPartitioner())
              .splitDomains(train.allRows(), train.labels(), train.classes(), peers, partitionSeed);
      rows = dp.peers().peerRows();
      basketOf = dp.basketOfPeer().clone();
    } else {
      Partition p =
          switch (ps.type()) {
            case "iid" -> new IidPartitioner().split(train, peers, partitionSeed);
            case "dirichlet" ->
                new DirichletPartitioner(ps.alpha(), DirichletPartitioner.DEFAULT_MIN_ROWS_PER_PEER)
                    .split(train, peers, partitionSeed);
            case "shards" ->
                new ShardPartitioner(ps.shardsPerPeer()).split(train, peers, partitionSeed);
            case "sampled" ->
                new SampledPartitioner(ps.rowsPerPeer()).split(train, peers, partitionSeed);
            default -> throw new IllegalStateException("partition.type " + ps.type());
          };
      rows = p.peerRows();
      for (int i = 0; i < peers; i++) {
        basketOf[i] = i / n;
      }
    }

    // Peers of each basket, in index order, and the basket's attackers.
    List<List<Integer>> members = new ArrayList<>();
    for (int b = 0; b < scenario.baskets(); b++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < peers; i++) {
      members.get(basketOf[i]).add(i);
    }
    boolean[] byzantine = new boolean[peers];
    int[] byzantineOfBasket = new int[scenario.baskets()];
    if (scenario.attack() != null) {
      for (int b = 0; b < scenario.baskets(); b++) {
        List<Integer> m = members.get(b);
        int[] chosen =
            ByzantineSelection.choose(m.size(), scenario.attack().fraction(), mix(seed, 100 + b));
        for (int c : chosen) {
          byzantine[m.get(c)] = true;
        }
        byzantineOfBasket[b] = chosen.length;
      }
    }

    LocalTrainer[] trainers = new LocalTrainer[peers];
    for (int i = 0; i < peers; i++) {
      trainers[i] = honestTrainer(scenario, train, rows[i], noEval, modelSeed, seed, i);
    }
    if (scenario.attack() != null) {
      for (int b = 0; b < scenario.baskets(); b++) {
        Attack attack = scenario.attack().newAttack();
        List<LocalTrainer> references = new ArrayList<>();
        for (int i : members.get(b)) {
          boolean reference =
              scenario.knowledge() == AttackContext.Knowledge.OMNISCIENT
                  ? !byzantine[i]
                  : byzantine[i];
          if (attack.needsReferenceUpdates() && reference) {
            references.add(honestTrainer(scenario, train, rows[i], noEval, modelSeed, seed, i));
          }
        }
        BasketAdversary adversary =
            new BasketAdversary(
                references,
                scenario.knowledge(),
                members.get(b).size(),
                byzantineOfBasket[b],
                scenario.settings().clipNorm());
        Dataset attackerData = attack.localData(train);
        for (int i : members.get(b)) {
          if (byzantine[i]) {
            LocalTrainer own =
                attackerData == train
                    ? trainers[i]
                    : honestTrainer(scenario, attackerData, rows[i], noEval, modelSeed, seed, i);
            trainers[i] = new PoisoningTrainer(own, attack, adversary, mix(seed, 10_000 + i));
          }
        }
      }
    }

    SgdTrainer evaluator =
        honestTrainer(scenario, split.test(), new int[0], split.test(), modelSeed, seed, 0);
    return new Setup(scenario, split, modelSeed, basketOf, byzantine, trainers, evaluator);
  }

  /** Updates released so far by every peer of the federation. */
  private static long released(HierarchicalFederation f) {
    long s = 0;
    for (HierarchicalFederation.Client c : f.clients()) {
      s += f.peer(c).counters().updatesSubmitted();
    }
    return s;
  }

  /**
   * The sum of the heap pools' peak usage since the JVM started (or their peaks were last reset).
   */
  private static long peakHeapBytes() {
    long sum = 0;
    boolean any = false;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
        any = true;
      }
    }
    return any ? sum : -1;
  }

  /** Rate-limits status lines to one per {@value #STATUS_INTERVAL_SECONDS} s of wall time. */
  private static final class StatusLine {
    private final Progress progress;
    private long lastNanos = System.nanoTime();

    StatusLine(Progress progress) {
      this.progress = progress;
    }

    boolean due() {
      return progress != null
          && System.nanoTime() - lastNanos >= STATUS_INTERVAL_SECONDS * 1_000_000_000L;
    }

    void report(boolean checked, String format, Object... args) {
      if (progress == null || (!checked && !due())) {
        return;
      }
      lastNanos = System.nanoTime();
      progress.onStatus(String.format(Locale.ROOT, format, args));
    }
  }

  private static SgdTrainer honestTrainer(
      Scenario scenario,
      Dataset data,
      int[] rows,
      Dataset eval,
      long modelSeed,
      long seed,
      int peer) {
    return newTrainer(
        scenario, data, rows, eval, scenario.sgd(), modelSeed, mix(seed, 1_000 + peer));
  }

  private static SgdTrainer newTrainer(
      Scenario scenario,
      Dataset data,
      int[] rows,
      Dataset eval,
      org.fedgossip.simulations.model.SgdConfig config,
      long modelSeed,
      long orderSeed) {
    return switch (scenario.trainerType()) {
      case SOFTMAX -> new SoftmaxRegression(data, rows, eval, config, modelSeed, orderSeed);
      case MLP -> new Mlp(data, rows, eval, scenario.hidden(), config, modelSeed, orderSeed);
      case LOGISTIC -> new LogisticRegression(data, rows, eval, config, modelSeed, orderSeed);
    };
  }

  private static TrainerFactory factory(Scenario scenario) {
    return (t, r, e, c, s) -> newTrainer(scenario, t, r, e, c, s, s);
  }

  /**
   * Records one {@link RoundRecord} per published model, called by the coordinator right after it
   * publishes (its counters and ledger then include the round), until R rounds are recorded; the
   * federation may run a little past R while the last round's model spreads.
   */
  private static final class RoundRecorder {
    private static final long DROPOUT_CUT_MILLIS = 100;

    private final HierarchicalFederation federation;
    private final Scenario scenario;
    private final SgdTrainer evaluator;
    private final Progress progress;
    private final List<RoundRecord> records;
    private final java.util.Set<PeerId> delegates = new java.util.HashSet<>();
    private long bytes;

    /** Updates released by all peers up to the last recorded round. */
    long submitted;

    private long dropouts;
    private long secAggFailed;
    private int droppedThisRound;
    private long cutUntilNanos = -1;
    private long rejected;
    private long sentBytes;

    RoundRecorder(
        HierarchicalFederation federation,
        Scenario scenario,
        SgdTrainer evaluator,
        Progress progress,
        List<RoundRecord> records) {
      this.federation = federation;
      this.scenario = scenario;
      this.evaluator = evaluator;
      this.progress = progress;
      this.records = records;
    }

    /**
     * Counts the bytes, and injects the scenario's dropouts. When the coordinator's unmask request
     * reaches a delegate (so its masked input is already in), a seeded draw may make that delegate
     * drop out: it is cut off from the coordinator, so its answer is lost, and the cut is healed
     * {@value #DROPOUT_CUT_MILLIS} ms of virtual time later, once the answer is gone (a peer
     * answers at its next duty cycle, every 10 ms). The coordinator then waits out {@code
     * secagg.phaseTimeoutMs} and unmasks with the other delegates' shares. At most {@link
     * #recoverableDropouts} delegates drop per round.
     */
    void onDelivery(long at, PeerId from, PeerId to, int type, int size) {
      bytes += size;
      if (cutUntilNanos >= 0 && at >= cutUntilNanos) {
        federation.network().heal();
        cutUntilNanos = -1;
      }
      double fraction = scenario.dropoutFraction();
      if (fraction <= 0 || type != SecAggPayloadTypes.UNMASK_REQUEST || !delegates.add(to)) {
        return;
      }
      long round = federation.globalModel().version();
      double u =
          (mix(mix(scenario.seed(), 50_000 + round), to.toString().hashCode()) >>> 11) * 0x1.0p-53;
      if (droppedThisRound < recoverableDropouts(scenario) && u < fraction) {
        droppedThisRound++;
        federation.network().partition(java.util.Set.of(to), java.util.Set.of(from));
        cutUntilNanos = at + DROPOUT_CUT_MILLIS * 1_000_000L;
      }
    }

    Evaluation onPublished(float[] weights) {
      federation.network().heal();
      cutUntilNanos = -1;
      delegates.clear();
      int injected = droppedThisRound;
      droppedThisRound = 0;
      Evaluation e = evaluator.evaluate(weights);
      if (records.size() >= scenario.rounds()) {
        return e;
      }
      long s = 0;
      long rej = 0;
      double localEpsilon = 0;
      for (HierarchicalFederation.Client c : federation.clients()) {
        BasketPeer peer = federation.peer(c);
        RuntimeCounters k = peer.counters();
        s += k.updatesSubmitted();
        rej += k.layer1Rejected();
        for (long v : k.rejected().values()) {
          rej += v;
        }
        localEpsilon = Math.max(localEpsilon, peer.privacySpent());
      }
      RuntimeCounters coordinator = federation.coordinator().counters();
      long failed = coordinator.rejected().getOrDefault("SECAGG_FAILED", 0L);
      double epsilon;
      if (scenario.settings().centralNoiseMultiplier() > 0) {
        epsilon = coordinator.epsilonSpent();
      } else if (scenario.settings().localNoiseMultiplier() > 0) {
        epsilon = localEpsilon;
      } else {
        epsilon = Double.POSITIVE_INFINITY;
      }
      RoundRecord record =
          new RoundRecord(
              federation.globalModel().version(),
              e.accuracy(),
              e.loss(),
              epsilon,
              s - submitted,
              rej - rejected,
              bytes - sentBytes,
              coordinator.layer2Participants(),
              injected + coordinator.layer2Dropouts() - dropouts,
              failed - secAggFailed);
      dropouts = coordinator.layer2Dropouts();
      secAggFailed = failed;
      submitted = s;
      rejected = rej;
      sentBytes = bytes;
      records.add(record);
      if (progress != null) {
        progress.onRound(record, scenario.rounds());
      }
      return e;
    }
  }

  /**
   * How many delegates may drop out after their masked input in one round while SecAgg+ can still
   * unmask (Bell et al. 2020, SecAgg+, §3): each participant's self-mask seed is shared among its
   * neighbourhood of k (itself included) with threshold t, so with D silent participants a silent
   * one's seed still has at least k − 1 − (D − 1) = k − D shares among those who answer; D ≤ k − t
   * keeps that at t or more. Also at most {@code baskets − round.minBaskets}.
   *
   * @param scenario the scenario
   * @return the bound, ≥ 0
   */
  static int recoverableDropouts(Scenario scenario) {
    int n = scenario.baskets();
    int k = scenario.settings().secAggNeighbours();
    if (k == 0) {
      k = NeighbourGraph.defaultDegree(n);
    }
    int t = scenario.settings().secAggThreshold();
    if (t == 0) {
      t = k / 2 + 1;
    }
    return Math.max(0, Math.min(k - t, n - scenario.settings().minBaskets()));
  }

  /** SplitMix64's finaliser over (seed, stream): distinct, well-mixed seeds per purpose. */
  static long mix(long seed, long stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the run's result stands.
    }
  }
}
