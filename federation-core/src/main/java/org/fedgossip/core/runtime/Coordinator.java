package org.fedgossip.core.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.math.ParallelRunner;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.model.Limits;
import org.fedgossip.core.privacy.GaussianMechanism;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.privacy.PrivacyBudgetExceededException;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.proto.DelegateReady;
import org.fedgossip.core.proto.ModelRequest;
import org.fedgossip.core.proto.SecAggInvite;
import org.fedgossip.core.proto.SignedGlobalModel;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.core.state.Checkpoint;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.secureagg.CoordinatorState;
import org.fedgossip.secureagg.MaskExpander;
import org.fedgossip.secureagg.RoundSpec;
import org.fedgossip.secureagg.SecAggConfig;
import org.fedgossip.secureagg.SecAggCoordinator;
import org.fedgossip.secureagg.SecAggMessage;
import org.fedgossip.secureagg.SecAggPayloadTypes;
import org.fedgossip.secureagg.SecAggResult;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Layer-2 coordinator: it waits for the baskets' delegates, runs one SecAgg+ session among them
 * (Bonawitz et al. 2017; Bell et al. 2020), so it learns only the sum of the basket aggregates,
 * adds central Gaussian noise, and versions, checkpoints, signs and publishes the next global
 * model. A duty-cycle agent: {@link #doWork(long)} does what is due at the passed-in time.
 *
 * <p><b>Round r</b> (= the version of the newest model): a delegate's {@code DelegateReady} is
 * accepted once per basket (the basket named in its certificate) and only for round r; a delegate
 * still on an older round is sent the newest model instead. With {@code round.minBaskets} baskets
 * ready, and either every known basket ready or {@code min(round.timeoutMs, secagg.phaseTimeoutMs)}
 * passed since the quorum, the session starts; its id is {@code r·1000 + attempt}, and its
 * neighbour-graph seed is SHA-256 of the id, public and the same for everyone.
 *
 * <p><b>Central noise</b> (Abadi et al. 2016; McMahan et al. 2018, DP-FedAvg): the published delta
 * is the mean of the m surviving basket aggregates. One peer's update moves its basket's aggregate
 * by at most the rule's L2 sensitivity s(C, n_b), so the mean moves by at most max_b s(C, n_b) / m;
 * the noise is N(0, (z · that)²) per coordinate. The release is charged to the federation ledger
 * <b>before</b> anything is published; a refused charge stops publishing, and the status says so.
 *
 * <p><b>Poisson participation</b> ({@link RuntimeSettings#sampledCentralDp()}: q &lt; 1, central
 * noise on, FedAvg). Each basket sends its fixed-denominator sum S_b / (q·N_b), N_b its registered
 * size, and the coordinator divides the sum of the surviving baskets' inputs by the number K of
 * known baskets, not by the survivors: a basket that sent nothing counts as a zero sum. Adding or
 * removing one peer then moves the published delta by at most C / (q·N_b·K), the sensitivity the
 * noise is calibrated to (max over the surviving baskets), and each model is charged as one step of
 * the sampled Gaussian mechanism, {@code PrivacyEvent(q, z, 1)} (McMahan et al. 2018; Mironov,
 * Talwar and Zhang 2019). With equal baskets that is C / (q·N) for N peers in all: user-level DP of
 * the sequence of published models.
 *
 * <p><b>Durability.</b> The model is checkpointed (write, fsync, rename), then the audit log
 * records the round, the participants, the privacy spent and the checkpoint's SHA-256, then it is
 * sent. A restarted coordinator resumes from its newest checkpoint and ledger; the round in flight
 * is lost and the delegates re-announce themselves.
 */
public final class Coordinator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private static final long MS = 1_000_000L;
  private static final int ATTEMPTS_PER_ROUND = 1000;

  private final Transport transport;
  private final Outbox outbox;
  private final PayloadSigner signer;
  private final PeerId self;
  private final Function<PeerId, Optional<PublicKey>> identityKeys;
  private final Function<PeerId, Optional<String>> basketOf;
  private final int knownBaskets;
  private final java.util.function.ToIntFunction<String> basketSize;
  private final RuntimeSettings settings;
  private final NodeState state;
  private final Function<float[], Evaluation> evaluator;
  private final GaussianSource noise;
  private final long unixMillisAtZeroNanos;
  // Lanes on every core: the masks of one vector are split by range, so the result is the same
  // bit for bit as on one lane (MaskExpander), and the buffers are only made on first use.
  private final MaskExpander expander = new MaskExpander(MaskExpander.machineLanes());
  private final RuntimeCounters counters = new RuntimeCounters();
  private final ConcurrentLinkedQueue<Consumer<Long>> inbox = new ConcurrentLinkedQueue<>();
  private final List<Consumer<GlobalModel>> listeners = new CopyOnWriteArrayList<>();
  private final Limits limits;

  private record Ready(PeerId delegate, int updates, long atNanos) {}

  private final Map<String, Ready> ready = new TreeMap<>();
  private long quorumAtNanos = -1;
  private GlobalModel model;
  private SignedGlobalModel signedModel;
  private long roundStartNanos;
  private int attempt;
  private SecAggCoordinator session;
  private RoundSpec sessionSpec;
  private Map<PeerId, String> sessionBaskets = Map.of();
  private final Set<PeerId> deregistered = new java.util.concurrent.ConcurrentSkipListSet<>();
  private boolean budgetExhausted;
  private double lastAccuracy = Double.NaN;
  private String note = "waiting for delegates";
  private volatile NodeStatus status;

  /** When the status was last rebuilt: on any work, else at most every 100 ms. */
  private long statusNanos;

  private static final long STATUS_REFRESH_NANOS = 100_000_000L;

  private Coordinator(Builder b) throws IOException {
    this.transport = b.transport;
    this.outbox = new Outbox(b.transport);
    this.signer = b.signer;
    this.self = b.signer.sender();
    this.identityKeys = b.identityKeys;
    this.basketOf = b.basketOf;
    this.knownBaskets = b.knownBaskets;
    this.basketSize = b.basketSize;
    this.settings = b.settings;
    this.state = b.state;
    this.evaluator = b.evaluator;
    this.noise = b.noise;
    this.unixMillisAtZeroNanos = b.unixMillisAtZeroNanos;
    this.attempt = b.firstAttempt;
    this.limits = new Limits(settings.dimension(), settings.dimension() * 4 + 4096);
    GlobalModel initial =
        GlobalModel.of(0, 0, b.initialWeights, 0, settings.budget().delta(), settings.rule());
    this.model = state.latestModel(settings.rule()).orElse(initial);
    if (model.dimension() != settings.dimension()) {
      throw new IllegalArgumentException(
          "the checkpointed model has dimension "
              + model.dimension()
              + " but the settings say "
              + settings.dimension());
    }
    try (var records = state.audit().records(r -> r.kind() == AuditRecord.Kind.PEER_DEREGISTERED)) {
      records.forEach(r -> deregistered.add(PeerId.fromDigest(r.peerId())));
    }
    if (model.version() > 0) {
      signedModel = SignedModels.sign(signer, model, deregistered, unixMillis(0));
    }
    this.budgetExhausted = state.ledger().remainingEpsilon() <= 0;
    counters.modelVersion(model.version());
    counters.round(model.version());
    counters.epsilonSpent(state.ledger().spentEpsilon());
    int[] types = {
      SecAggPayloadTypes.ADVERTISE_KEYS,
      SecAggPayloadTypes.SHARE_KEYS,
      SecAggPayloadTypes.MASKED_INPUT,
      SecAggPayloadTypes.UNMASK_RESPONSE
    };
    for (int type : types) {
      transport.onReceive(
          type,
          (from, t, payload) -> {
            ByteBuffer bytes = ByteBuffer.wrap(Outbox.copy(payload));
            inbox.add(now -> onSecAgg(from, t, bytes, now));
          });
    }
    transport.onReceive(
        RuntimePayloadTypes.DELEGATE_READY,
        (from, t, payload) -> {
          byte[] bytes = Outbox.copy(payload);
          inbox.add(now -> onReady(from, bytes, now));
        });
    transport.onReceive(
        RuntimePayloadTypes.MODEL_REQUEST,
        (from, t, payload) -> {
          byte[] bytes = Outbox.copy(payload);
          inbox.add(now -> onModelRequest(from, bytes));
        });
    refreshStatus();
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Does what is due: handles what arrived, drives the SecAgg+ session, starts one when enough
   * baskets are ready, and publishes its result.
   *
   * @param nowNanos the time
   * @return the amount of work done, 0 when idle
   */
  public int doWork(long nowNanos) {
    int work = Outbox.drain(inbox, nowNanos);
    if (session != null) {
      List<SecAggMessage> out = session.onTick(nowNanos);
      outbox.sendAll(out);
      work += out.size();
      work += finishIfDone(nowNanos);
    } else if (mayStart(nowNanos)) {
      startSession(nowNanos);
      work++;
    }
    if (work > 0 || nowNanos - statusNanos >= STATUS_REFRESH_NANOS) {
      statusNanos = nowNanos;
      refreshStatus();
    }
    return work;
  }

  /**
   * Registers a listener for every model published, called on the coordinator's thread.
   *
   * @param listener the listener; must not block
   */
  public void onGlobalModel(Consumer<GlobalModel> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Deregisters a peer: from the next round on, the coordinator refuses it as a delegate, and every
   * model it signs names it, so that every basket drops its updates and never elects it. The audit
   * log records it before it takes effect; {@code recorded} runs after that (to delete the request
   * that asked for it). Handled on the coordinator's thread at its next {@code doWork}.
   *
   * @param peer the peer
   * @param recorded runs once the audit record is durable; not run if the append fails
   */
  public void deregister(PeerId peer, Runnable recorded) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(recorded, "recorded");
    inbox.add(
        now -> {
          if (!deregistered.contains(peer)) {
            try {
              state
                  .audit()
                  .append(
                      AuditRecord.peerDeregistered(
                          model.version(), peer.toBytes(), unixMillis(now)));
            } catch (IOException e) {
              LOG.error("could not record the deregistration of {}: {}", peer, e.toString());
              return;
            }
            deregistered.add(peer);
            ready.values().removeIf(r -> r.delegate().equals(peer));
            LOG.info("deregistered {} from round {} on", peer, model.version());
          }
          recorded.run();
        });
  }

  /**
   * The peers deregistered so far.
   *
   * @return a snapshot, sorted
   */
  public Set<PeerId> deregistered() {
    return Set.copyOf(deregistered);
  }

  /**
   * The newest model.
   *
   * @return the model (version 0 before the first publication)
   */
  public GlobalModel model() {
    return model;
  }

  /**
   * The live counters.
   *
   * @return the counters
   */
  public RuntimeCounters counters() {
    return counters;
  }

  /**
   * The latest status, refreshed at every {@code doWork}; safe from any thread.
   *
   * @return the status
   */
  public NodeStatus status() {
    return status;
  }

  /**
   * The durable state.
   *
   * @return the state
   */
  public NodeState state() {
    return state;
  }

  /** Nothing to release: the transport and the state belong to the caller. */
  @Override
  public void close() {}

  // ---- delegates ----

  private void onReady(PeerId from, byte[] payload, long now) {
    DelegateReady msg;
    try {
      msg = DelegateReady.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      counters.rejected("MALFORMED_READY");
      return;
    }
    Optional<String> basket = basketOf.apply(from);
    if (basket.isEmpty() || !basket.get().equals(msg.getBasket())) {
      counters.rejected("BASKET_MISMATCH");
      LOG.warn(
          "{} claims basket '{}' but is certified in {}",
          from.shortString(),
          msg.getBasket(),
          basket.orElse("no basket"));
      return;
    }
    if (deregistered.contains(from)) {
      counters.rejected("DEREGISTERED");
      return;
    }
    if (msg.getRound() < model.version()) {
      if (signedModel != null) {
        outbox.send(from, RuntimePayloadTypes.GLOBAL_MODEL, signedModel.toByteArray());
      }
      return;
    }
    if (msg.getRound() > model.version()) {
      counters.rejected("READY_FROM_THE_FUTURE");
      return;
    }
    Ready previous = ready.get(msg.getBasket());
    if (previous != null && !previous.delegate().equals(from)) {
      counters.rejected("SECOND_DELEGATE");
      return;
    }
    if (msg.getUpdates() < 1) {
      counters.rejected("EMPTY_AGGREGATE");
      return;
    }
    ready.put(msg.getBasket(), new Ready(from, msg.getUpdates(), now));
    if (ready.size() >= settings.minBaskets() && quorumAtNanos < 0) {
      quorumAtNanos = now;
    }
    counters.received();
  }

  private void onModelRequest(PeerId from, byte[] payload) {
    try {
      long have = ModelRequest.parseFrom(payload).getHaveVersion();
      if (signedModel != null && have < model.version()) {
        outbox.send(from, RuntimePayloadTypes.GLOBAL_MODEL, signedModel.toByteArray());
      }
    } catch (InvalidProtocolBufferException e) {
      counters.rejected("MALFORMED_MODEL_REQUEST");
    }
  }

  private boolean mayStart(long now) {
    if (budgetExhausted) {
      note = "privacy budget spent: publishing stopped";
      return false;
    }
    if (settings.maxVersion() > 0 && model.version() >= settings.maxVersion()) {
      note = "reached round.max = " + settings.maxVersion() + ": publishing stopped";
      return false;
    }
    if (ready.size() < settings.minBaskets()) {
      note =
          "round "
              + model.version()
              + ": "
              + ready.size()
              + " of at least "
              + settings.minBaskets()
              + " baskets ready";
      return false;
    }
    long grace = Math.min(settings.roundTimeoutNanos(), settings.secAggPhaseTimeoutNanos());
    return ready.size() >= knownBaskets || now - quorumAtNanos >= grace;
  }

  // ---- Layer 2 ----

  private void startSession(long now) {
    List<PeerId> participants = new ArrayList<>();
    Map<PeerId, String> baskets = new HashMap<>();
    Map<PeerId, PublicKey> keys = new HashMap<>();
    for (Map.Entry<String, Ready> e : ready.entrySet()) {
      PeerId p = e.getValue().delegate();
      Optional<PublicKey> key = identityKeys.apply(p);
      if (key.isEmpty()) {
        continue;
      }
      participants.add(p);
      baskets.put(p, e.getKey());
      keys.put(p, key.get());
    }
    int n = participants.size();
    if (n < settings.minBaskets()) {
      ready.clear();
      quorumAtNanos = -1;
      return;
    }
    SecAggConfig config =
        SecAggConfig.defaults(n, settings.dimension())
            .withClipRange(settings.secAggClipRange())
            .withPhaseTimeoutNanos(settings.secAggPhaseTimeoutNanos());
    if (settings.secAggNeighbours() > 0) {
      int k = Math.min(settings.secAggNeighbours(), n - 1);
      int t = settings.secAggThreshold() > 0 ? Math.min(settings.secAggThreshold(), k) : k / 2 + 1;
      config = config.withNeighbours(k, t);
    } else if (settings.secAggThreshold() > 0) {
      config = config.withThreshold(Math.min(settings.secAggThreshold(), config.neighbours()));
    }
    long sessionId = model.version() * ATTEMPTS_PER_ROUND + (attempt++ % ATTEMPTS_PER_ROUND);
    long graphSeed = graphSeed(sessionId);
    sessionSpec = new RoundSpec(config, sessionId, participants, graphSeed);
    session = new SecAggCoordinator(sessionSpec, keys, expander, now);
    sessionBaskets = baskets;
    SecAggInvite.Builder invite =
        SecAggInvite.newBuilder()
            .setRound(model.version())
            .setSession(sessionId)
            .setGraphSeed(graphSeed)
            .setNeighbours(config.neighbours())
            .setThreshold(config.threshold())
            .setDimension(config.dimension())
            .setClipRange(config.clipRange())
            .setPhaseTimeoutMs(config.phaseTimeoutNanos() / MS);
    for (PeerId p : sessionSpec.participants()) {
      invite.addParticipants(ByteString.copyFrom(p.toBytes()));
    }
    byte[] bytes = invite.build().toByteArray();
    for (PeerId p : sessionSpec.participants()) {
      outbox.send(p, RuntimePayloadTypes.SECAGG_INVITE, bytes);
    }
    note =
        "round " + model.version() + ": SecAgg+ session " + sessionId + " with " + n + " baskets";
    LOG.info(
        "round {}: SecAgg+ session {} with {} baskets (k={}, t={})",
        model.version(),
        sessionId,
        n,
        config.neighbours(),
        config.threshold());
  }

  private static long graphSeed(long sessionId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("fedgossip/secagg-graph/".getBytes(StandardCharsets.US_ASCII));
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(sessionId).array());
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private void onSecAgg(PeerId from, int type, ByteBuffer payload, long now) {
    if (session != null) {
      outbox.sendAll(session.onMessage(from, type, payload, now));
    }
  }

  private int finishIfDone(long now) {
    CoordinatorState s = session.state();
    if (s == CoordinatorState.FAILED) {
      LOG.warn("round {}: SecAgg+ failed: {}", model.version(), session.failureReason());
      note = "round " + model.version() + ": SecAgg+ failed (" + session.failureReason() + ")";
      counters.rejected("SECAGG_FAILED");
      endSession();
      return 1;
    }
    if (s != CoordinatorState.DONE) {
      return 0;
    }
    SecAggResult result = session.resultOrThrow();
    Map<PeerId, String> baskets = sessionBaskets;
    Map<PeerId, Integer> updates = new HashMap<>();
    for (Ready r : ready.values()) {
      updates.put(r.delegate(), r.updates());
    }
    endSession();
    List<PeerId> survivors = result.survivors();
    if (survivors.size() < settings.minBaskets()) {
      note = "round " + model.version() + ": only " + survivors.size() + " baskets survived";
      counters.rejected("TOO_FEW_SURVIVORS");
      return 1;
    }
    publish(result, baskets, updates, now);
    return 1;
  }

  private void endSession() {
    session = null;
    sessionSpec = null;
    sessionBaskets = Map.of();
    ready.clear();
    quorumAtNanos = -1;
  }

  private void publish(
      SecAggResult result, Map<PeerId, String> baskets, Map<PeerId, Integer> updates, long now) {
    List<PeerId> survivors = result.survivors();
    int m = survivors.size();
    boolean sampled = settings.sampledCentralDp();
    int denominator = sampled ? knownBaskets : m;
    float[] mean = new float[settings.dimension()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (result.floatSum()[i] / denominator);
    }
    long wall = unixMillis(now);
    if (settings.centralNoiseMultiplier() > 0) {
      double sensitivity =
          sampled
              ? sampledSensitivity(survivors, baskets) / denominator
              : sensitivity(survivors, updates) / m;
      double q = sampled ? settings.participationRate() : 1.0;
      try {
        state.ledger().charge(new PrivacyEvent(q, settings.centralNoiseMultiplier(), 1));
      } catch (PrivacyBudgetExceededException e) {
        budgetExhausted = true;
        note = "privacy budget spent: publishing stopped";
        LOG.warn("round {}: not published: {}", model.version(), e.getMessage());
        return;
      } catch (IOException e) {
        LOG.error("round {}: the ledger failed: {}", model.version(), e.toString());
        return;
      }
      mean =
          new GaussianMechanism(settings.centralNoiseMultiplier(), sensitivity, noise)
              .addNoise(mean);
    }
    float[] weights = model.weights();
    for (int i = 0; i < weights.length; i++) {
      weights[i] += mean[i];
    }
    double spent = state.ledger().spentEpsilon();
    GlobalModel next =
        GlobalModel.of(
            model.version() + 1,
            model.version(),
            weights,
            spent,
            settings.budget().delta(),
            settings.rule());
    Checkpoint checkpoint;
    try {
      checkpoint = state.commit(next, wall);
      List<AuditRecord> records = new ArrayList<>();
      records.add(AuditRecord.roundStarted(model.version(), unixMillis(roundStartNanos)));
      for (PeerId p : survivors) {
        records.add(AuditRecord.updateAccepted(model.version(), p.toBytes(), wall));
      }
      for (PeerId p : result.dropped()) {
        records.add(
            AuditRecord.updateRejected(model.version(), p.toBytes(), "SECAGG_DROPOUT", wall));
      }
      if (settings.centralNoiseMultiplier() > 0) {
        records.add(
            AuditRecord.privacySpent(
                model.version(), self.toBytes(), spent, settings.budget().delta(), wall));
      }
      records.add(AuditRecord.roundCompleted(model.version(), m, wall));
      records.add(AuditRecord.modelPublished(model.version(), checkpoint, wall));
      state.audit().appendAll(records);
    } catch (IOException e) {
      LOG.error("round {}: could not checkpoint: {}", model.version(), e.toString());
      return;
    }
    long duration = now - roundStartNanos;
    model = next;
    roundStartNanos = now;
    signedModel = SignedModels.sign(signer, next, deregistered, wall);
    byte[] bytes = signedModel.toByteArray();
    Set<PeerId> recipients = new TreeSet<>(baskets.keySet());
    for (PeerId p : recipients) {
      outbox.send(p, RuntimePayloadTypes.GLOBAL_MODEL, bytes);
    }
    counters.modelVersion(next.version());
    counters.round(next.version());
    counters.epsilonSpent(spent);
    counters.roundCompleted(next.round(), duration, m, result.dropped().size());
    if (evaluator != null) {
      Evaluation e = evaluator.apply(next.weights());
      lastAccuracy = e.count() > 0 ? e.accuracy() : Double.NaN;
    }
    note = "published model " + next.version();
    LOG.info(
        "published model {} from {} baskets ({} dropped), epsilon {}{}",
        next.version(),
        m,
        result.dropped().size(),
        String.format("%.4f", spent),
        Double.isNaN(lastAccuracy) ? "" : String.format(", accuracy %.4f", lastAccuracy));
    Outbox.notify(listeners, next);
  }

  private double sensitivity(List<PeerId> survivors, Map<PeerId, Integer> updates) {
    double worst = 0;
    RuleSpec rule = settings.rule();
    for (PeerId p : survivors) {
      int n = updates.getOrDefault(p, 1);
      double s;
      try {
        s = rule.create(n, ParallelRunner.sequential()).l2Sensitivity(settings.clipNorm(), n);
      } catch (IllegalArgumentException e) {
        s = 2 * settings.clipNorm();
      }
      worst = Math.max(worst, s);
    }
    return worst;
  }

  /**
   * max over the surviving baskets of C / (q·N_b): how far one peer joining or leaving the sample
   * moves its basket's fixed-denominator sum.
   */
  private double sampledSensitivity(List<PeerId> survivors, Map<PeerId, String> baskets) {
    double worst = 0;
    for (PeerId p : survivors) {
      int size = Math.max(1, basketSize.applyAsInt(baskets.get(p)));
      worst = Math.max(worst, settings.clipNorm() / (settings.participationRate() * size));
    }
    return worst;
  }

  private long unixMillis(long nowNanos) {
    return unixMillisAtZeroNanos + Math.floorDiv(nowNanos, MS);
  }

  private void refreshStatus() {
    double spent = counters.epsilonSpent();
    status =
        new NodeStatus(
            "coordinator",
            self.toString(),
            "-",
            model.version(),
            model.version(),
            spent,
            Math.max(0, settings.budget().epsilon() - spent),
            budgetExhausted,
            ready.size(),
            lastAccuracy,
            note);
  }

  /** Collects the coordinator's parts; every setter validates its argument. */
  public static final class Builder {
    private Transport transport;
    private PayloadSigner signer;
    private Function<PeerId, Optional<PublicKey>> identityKeys;
    private Function<PeerId, Optional<String>> basketOf;
    private int knownBaskets;
    private java.util.function.ToIntFunction<String> basketSize;
    private RuntimeSettings settings;
    private NodeState state;
    private float[] initialWeights;
    private Function<float[], Evaluation> evaluator;
    private GaussianSource noise;
    private int firstAttempt;
    private long unixMillisAtZeroNanos;

    private Builder() {}

    /**
     * The coordinator's transport; handlers are registered on it at build.
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(Transport value) {
      transport = Objects.requireNonNull(value, "transport");
      return this;
    }

    /**
     * The coordinator's signer, which signs every published model.
     *
     * @param value the signer
     * @return this builder
     */
    public Builder signer(PayloadSigner value) {
      signer = Objects.requireNonNull(value, "signer");
      return this;
    }

    /**
     * The certified members: their Ed25519 keys and baskets (from the roster), and how many baskets
     * there are.
     *
     * @param keys a peer's public key, empty if unknown
     * @param baskets a peer's certified basket, empty if unknown
     * @param basketCount the number of baskets, ≥ 1
     * @return this builder
     */
    public Builder federation(
        Function<PeerId, Optional<PublicKey>> keys,
        Function<PeerId, Optional<String>> baskets,
        int basketCount) {
      identityKeys = Objects.requireNonNull(keys, "keys");
      basketOf = Objects.requireNonNull(baskets, "baskets");
      if (basketCount < 1) {
        throw new IllegalArgumentException("basketCount is " + basketCount + "; it must be >= 1");
      }
      knownBaskets = basketCount;
      return this;
    }

    /**
     * The registered size N_b of each basket, from the roster; needed under Poisson participation
     * with central noise, where it fixes the denominator the noise is calibrated to.
     *
     * @param value a basket's number of registered members
     * @return this builder
     */
    public Builder basketSizes(java.util.function.ToIntFunction<String> value) {
      basketSize = Objects.requireNonNull(value, "basketSizes");
      return this;
    }

    /**
     * The settings.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder settings(RuntimeSettings value) {
      settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /**
     * The durable state: checkpoints, the federation ledger, the audit log.
     *
     * @param value the state
     * @return this builder
     */
    public Builder state(NodeState value) {
      state = Objects.requireNonNull(value, "state");
      return this;
    }

    /**
     * The weights of model version 0, identical on every process.
     *
     * @param value the weights; copied
     * @return this builder
     */
    public Builder initialWeights(float[] value) {
      initialWeights = Objects.requireNonNull(value, "initialWeights").clone();
      return this;
    }

    /**
     * Evaluates each published model on held-out data, for the status; optional.
     *
     * @param value the evaluator, or null
     * @return this builder
     */
    public Builder evaluator(Function<float[], Evaluation> value) {
      evaluator = value;
      return this;
    }

    /**
     * The central noise source and the first session attempt number (random in a daemon, so a
     * restarted coordinator does not reuse a session id; fixed in a simulation).
     *
     * @param gaussian the noise
     * @param attempt the first attempt, ≥ 0
     * @return this builder
     */
    public Builder randomness(GaussianSource gaussian, int attempt) {
      noise = Objects.requireNonNull(gaussian, "gaussian");
      if (attempt < 0) {
        throw new IllegalArgumentException("attempt is " + attempt + "; it must be >= 0");
      }
      firstAttempt = attempt;
      return this;
    }

    /**
     * The Unix time in milliseconds at nanosecond time 0 of the clock passed to {@code doWork}.
     *
     * @param value the offset
     * @return this builder
     */
    public Builder unixMillisAtZeroNanos(long value) {
      unixMillisAtZeroNanos = value;
      return this;
    }

    /**
     * Builds the coordinator and registers its handlers.
     *
     * @return the coordinator
     * @throws IOException when the state cannot be read
     * @throws IllegalStateException naming the missing part
     */
    public Coordinator build() throws IOException {
      for (Object[] part :
          new Object[][] {
            {transport, "transport"},
            {signer, "signer"},
            {identityKeys, "federation"},
            {settings, "settings"},
            {state, "state"},
            {initialWeights, "initialWeights"},
            {noise, "randomness"}
          }) {
        if (part[0] == null) {
          throw new IllegalStateException(
              "the coordinator needs its " + part[1] + " set before build()");
        }
      }
      if (initialWeights.length != settings.dimension()) {
        throw new IllegalArgumentException(
            "initialWeights has "
                + initialWeights.length
                + " values; the settings say dimension "
                + settings.dimension());
      }
      if (settings.sampledCentralDp() && basketSize == null) {
        throw new IllegalStateException(
            "the coordinator needs its basketSizes set before build() when round.participation"
                + " is below 1 and central noise is on");
      }
      return new Coordinator(this);
    }
  }
}
