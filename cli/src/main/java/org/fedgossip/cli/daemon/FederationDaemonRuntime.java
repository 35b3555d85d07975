package org.fedgossip.cli.daemon;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.fedgossip.basket.BasketConfig;
import org.fedgossip.core.runtime.CoordinatorAgent;
import org.fedgossip.core.runtime.FederationClientAgent;
import org.fedgossip.core.runtime.NodeStatus;
import org.fedgossip.core.runtime.RuntimeCounters;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.simulations.model.SgdTrainer;
import org.fedgossip.simulations.model.TrainerSpec;
import org.fedgossip.transport.LifecycleState;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.trust.PeerId;

/**
 * The federation runtime behind {@code fedgossip peer}: a {@link FederationClientAgent} (role
 * {@code peer}, with its built-in trainer) or a {@link CoordinatorAgent} (role {@code coordinator},
 * evaluating each model on its held-out data), built from the validated configuration, with its
 * counters exported through Micrometer.
 *
 * <p>Metric names (Prometheus form): {@code fedgossip_global_model_version}, {@code
 * fedgossip_round}, {@code fedgossip_rounds_completed_total}, {@code
 * fedgossip_updates_received_total}, {@code fedgossip_updates_accepted_total}, {@code
 * fedgossip_updates_submitted_total}, {@code fedgossip_updates_rejected_total{reason}}, {@code
 * fedgossip_epsilon_spent}, {@code fedgossip_epsilon_budget}, {@code
 * fedgossip_round_duration_seconds} (histogram), {@code fedgossip_layer1_runs_total}, {@code
 * fedgossip_layer2_participants}, {@code fedgossip_layer2_dropouts_total}, {@code
 * fedgossip_gossip_messages_sent_total}, {@code fedgossip_gossip_bytes_sent_total}, {@code
 * fedgossip_transport_bytes_sent_total}, {@code fedgossip_transport_bytes_received_total}, {@code
 * fedgossip_trust_score{peer}}, {@code fedgossip_last_accuracy}.
 */
public final class FederationDaemonRuntime implements DaemonRuntime {

  private final FederationClientAgent peer;
  private final CoordinatorAgent coordinator;
  private final Supplier<NodeStatus> status;
  private final NettyTransport transport;
  private final ScheduledExecutorService refresher;

  private FederationDaemonRuntime(
      FederationClientAgent peer,
      CoordinatorAgent coordinator,
      MeterRegistry registry,
      LongSupplier nanoTime,
      double budget) {
    this.peer = peer;
    this.coordinator = coordinator;
    this.status = peer != null ? peer::status : coordinator::status;
    this.transport = peer != null ? peer.transport() : coordinator.transport();
    RuntimeCounters counters = peer != null ? peer.counters() : coordinator.counters();
    bind(registry, counters, budget);
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    // The validator's reasons exist from the start, at zero, so dashboards have their series.
    for (org.fedgossip.core.model.RejectReason r : org.fedgossip.core.model.RejectReason.values()) {
      reasons.add(r.name());
      FunctionCounter.builder(
              "fedgossip.updates.rejected", counters, c -> c.rejected().getOrDefault(r.name(), 0L))
          .tag("reason", r.name())
          .description("updates and messages refused, by reason")
          .register(registry);
    }
    Set<PeerId> scored = ConcurrentHashMap.newKeySet();
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fedgossip-metrics-refresh");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(
        () -> {
          for (String reason : counters.rejected().keySet()) {
            if (reasons.add(reason)) {
              FunctionCounter.builder(
                      "fedgossip.updates.rejected",
                      counters,
                      c -> c.rejected().getOrDefault(reason, 0L))
                  .tag("reason", reason)
                  .description("updates and messages refused, by reason")
                  .register(registry);
            }
          }
          if (peer != null) {
            for (PeerId member : peer.peer().trustScores(nanoTime.getAsLong()).keySet()) {
              if (scored.add(member)) {
                Gauge.builder(
                        "fedgossip.trust.score",
                        peer,
                        p ->
                            p.peer()
                                .trustScores(nanoTime.getAsLong())
                                .getOrDefault(member, Double.NaN))
                    .tag("peer", member.toString())
                    .description("this peer's trust score of a basket member")
                    .register(registry);
              }
            }
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
    if (peer != null) {
      FunctionCounter.builder(
              "fedgossip.gossip.messages.sent",
              peer,
              p -> p.peer().group().node().counters().messagesSent())
          .register(registry);
      FunctionCounter.builder(
              "fedgossip.gossip.bytes.sent",
              peer,
              p -> p.peer().group().node().counters().bytesSent())
          .register(registry);
    }
    FunctionCounter.builder(
            "fedgossip.transport.bytes.sent", transport, t -> t.counters().payloadBytesSent())
        .register(registry);
    FunctionCounter.builder(
            "fedgossip.transport.bytes.received",
            transport,
            t -> t.counters().payloadBytesReceived())
        .register(registry);
    Gauge.builder("fedgossip.last.accuracy", this, r -> r.status.get().lastAccuracy())
        .description("accuracy of the newest model on this process's evaluation data")
        .register(registry);
  }

  private static void bind(MeterRegistry registry, RuntimeCounters c, double budget) {
    Gauge.builder("fedgossip.global.model.version", c, RuntimeCounters::modelVersion)
        .description("the global model version held")
        .register(registry);
    Gauge.builder("fedgossip.round", c, RuntimeCounters::round).register(registry);
    FunctionCounter.builder("fedgossip.rounds.completed", c, RuntimeCounters::roundsCompleted)
        .description("rounds completed: published on the coordinator, adopted on a peer")
        .register(registry);
    FunctionCounter.builder("fedgossip.updates.received", c, RuntimeCounters::updatesReceived)
        .register(registry);
    FunctionCounter.builder("fedgossip.updates.accepted", c, RuntimeCounters::updatesAccepted)
        .register(registry);
    FunctionCounter.builder("fedgossip.updates.submitted", c, RuntimeCounters::updatesSubmitted)
        .register(registry);
    FunctionCounter.builder("fedgossip.layer1.runs", c, RuntimeCounters::layer1Runs)
        .register(registry);
    Gauge.builder("fedgossip.layer2.participants", c, RuntimeCounters::layer2Participants)
        .register(registry);
    FunctionCounter.builder("fedgossip.layer2.dropouts", c, RuntimeCounters::layer2Dropouts)
        .register(registry);
    Gauge.builder("fedgossip.epsilon.spent", c, RuntimeCounters::epsilonSpent)
        .description("epsilon spent by this process's privacy ledger")
        .register(registry);
    Gauge.builder("fedgossip.epsilon.budget", () -> budget).register(registry);
    DistributionSummary rounds =
        DistributionSummary.builder("fedgossip.round.duration")
            .baseUnit("seconds")
            .publishPercentileHistogram()
            .description("from a round's start to its model's publication or adoption")
            .register(registry);
    c.onRoundCompleted((round, nanos, participants, dropouts) -> rounds.record(nanos / 1e9));
  }

  /**
   * The factory {@code fedgossip peer} uses.
   *
   * @return the factory
   */
  public static DaemonRuntime.Factory factory() {
    return FederationDaemonRuntime::start;
  }

  private static DaemonRuntime start(
      PeerConfig config, MeterRegistry registry, LongSupplier nanoTime, Clock clock)
      throws IOException {
    Path base = config.file().map(f -> f.toAbsolutePath().getParent()).orElse(Path.of("."));
    TrainerSpec spec = TrainerSpec.parse(k -> config.optional(k).orElse(null), base);
    boolean isPeer = config.role() == Role.PEER;
    SgdTrainer trainer =
        isPeer
            ? spec.build(config.optional("peer.name").orElse("").hashCode())
            : spec.buildEvaluator();
    RuntimeSettings settings = settings(config, trainer.dimension());
    Path keys = config.path("peer.key");
    Path crt = config.path("peer.crt");
    Path ca = config.path("peer.caCrt");
    Path crl = config.path("peer.crl");
    Path roster = config.path("peer.roster");
    InetSocketAddress listen = config.hostPort("peer.listen").toSocketAddress();
    if (isPeer) {
      PeerAddress coordinator = config.peerAddress("peer.coordinator");
      FederationClientAgent.Builder b =
          FederationClientAgent.builder()
              .identity(keys, crt)
              .federation(ca, crl, roster)
              .listen(listen)
              .coordinator(coordinator.id(), coordinator.address().toSocketAddress())
              .settings(settings)
              .initialWeights(trainer.initialWeights())
              .dataDirectory(config.path("peer.dataDir"))
              .trainer(trainer)
              .transport(config.transportConfig(), config.tlsProvider())
              .gossip(config.gossipConfig(), BasketConfig.defaults());
      for (PeerAddress seed : config.peerAddressList("peer.seeds")) {
        b.seed(seed.id(), seed.address().toSocketAddress());
      }
      FederationClientAgent agent = b.build();
      try {
        agent.start();
        return new FederationDaemonRuntime(
            agent, null, registry, nanoTime, settings.budget().epsilon());
      } catch (RuntimeException e) {
        agent.close();
        throw e;
      }
    }
    boolean canEvaluate = trainer.evaluate(trainer.initialWeights()).count() > 0;
    CoordinatorAgent agent =
        CoordinatorAgent.builder()
            .identity(keys, crt)
            .federation(ca, crl, roster)
            .listen(listen)
            .settings(settings)
            .initialWeights(trainer.initialWeights())
            .dataDirectory(config.path("peer.dataDir"))
            .evaluator(canEvaluate ? (float[] w) -> evaluate(trainer, w) : null)
            .transport(config.transportConfig(), config.tlsProvider())
            .build();
    try {
      agent.start();
      return new FederationDaemonRuntime(
          null, agent, registry, nanoTime, settings.budget().epsilon());
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  /** The coordinator's agent thread is the only caller; the trainer is confined to it. */
  private static Evaluation evaluate(SgdTrainer trainer, float[] weights) {
    return trainer.evaluate(weights);
  }

  /**
   * The runtime settings the configuration names; each was validated at load.
   *
   * @param config the configuration
   * @param dimension the model's dimension, from the trainer
   * @return the settings
   */
  static RuntimeSettings settings(PeerConfig config, int dimension) {
    double clip = config.doubleValue("privacy.clipNorm");
    return new RuntimeSettings(
        dimension,
        config.ruleSpec(),
        clip,
        config.doubleValue("privacy.noiseMultiplier"),
        config.doubleValue("privacy.centralNoiseMultiplier"),
        config.privacyBudget(),
        config.intValue("round.minUpdates"),
        config.longValue("round.timeoutMs") * 1_000_000L,
        config.doubleValue("round.materiality"),
        config.intValue("round.minBaskets"),
        config.longValue("round.max"),
        config.stalenessBufferConfig(),
        config.optional("secagg.neighbours").map(Integer::parseInt).orElse(0),
        config.optional("secagg.threshold").map(Integer::parseInt).orElse(0),
        config.longValue("secagg.phaseTimeoutMs") * 1_000_000L,
        config.optional("secagg.clipRange").map(Double::parseDouble).orElse(clip),
        config.checkpointConfig(),
        config.doubleValue("round.participation"));
  }

  @Override
  public Map<String, Object> status() {
    return status.get().toMap();
  }

  @Override
  public Optional<String> unhealthyReason() {
    LifecycleState s = transport.state();
    return s == LifecycleState.RUNNING
        ? Optional.empty()
        : Optional.of("the transport is " + s.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    if (peer != null) {
      peer.close();
    } else {
      coordinator.close();
    }
  }
}
