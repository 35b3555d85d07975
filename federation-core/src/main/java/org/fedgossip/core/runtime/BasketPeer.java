package org.fedgossip.core.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fedgossip.basket.BasketGroup;
import org.fedgossip.basket.BasketView;
import org.fedgossip.core.aggregation.AggregationResult;
import org.fedgossip.core.aggregation.AggregationRule;
import org.fedgossip.core.buffer.Admission;
import org.fedgossip.core.buffer.StalenessBuffer;
import org.fedgossip.core.buffer.WeightedUpdate;
import org.fedgossip.core.math.ParallelRunner;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.model.ModelUpdate;
import org.fedgossip.core.model.NoiseAllowance;
import org.fedgossip.core.model.UpdateValidator;
import org.fedgossip.core.model.UpdateValidatorConfig;
import org.fedgossip.core.model.Verdict;
import org.fedgossip.core.privacy.GaussianMechanism;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.privacy.L2Clipper;
import org.fedgossip.core.privacy.PrivacyBudgetExceededException;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.proto.BasketItem;
import org.fedgossip.core.proto.DelegateReady;
import org.fedgossip.core.proto.ModelRequest;
import org.fedgossip.core.proto.SecAggInvite;
import org.fedgossip.core.proto.SignedGlobalModel;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.gossip.GossipItem;
import org.fedgossip.secureagg.ClientState;
import org.fedgossip.secureagg.MaskExpander;
import org.fedgossip.secureagg.RoundSpec;
import org.fedgossip.secureagg.SecAggClient;
import org.fedgossip.secureagg.SecAggConfig;
import org.fedgossip.secureagg.SecAggMessage;
import org.fedgossip.secureagg.SecAggPayloadTypes;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.Evidence;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.TrustScorer;
import org.fedgossip.trust.TrustScorerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a basket: it releases local updates into the basket's gossip, checks and buffers
 * the others', runs Layer 1 when it is the round's delegate, joins the SecAgg+ session of Layer 2,
 * and adopts each global model the coordinator signs. A duty-cycle agent: {@link #doWork(long)}
 * does whatever is due at the passed-in time.
 *
 * <p><b>Threads.</b> Everything arriving from the network (gossip items, the coordinator's
 * messages) and every {@link #submitLocalUpdate} call is queued and handled inside {@code doWork},
 * on the one thread that drives the peer; so the staleness buffer, the rule and the trust scorer
 * are confined to that thread and a run in virtual time is deterministic from its seeds.
 *
 * <p><b>One round</b> ({@code round} = the version of the global model held):
 *
 * <ol>
 *   <li>With {@code round.participation} q &lt; 1 the peer first flips its own secret {@link
 *       PoissonParticipation} coin for the round: with probability 1 − q it sits the round out (its
 *       trainer does not run, and a hand-made submission is refused), so each round's sample is
 *       Poisson. Under sampled central DP ({@link RuntimeSettings#sampledCentralDp()}) Layer 1
 *       below combines only the round's own updates into FedAvg's fixed-denominator sum.
 *   <li>The update (a trainer's delta, or one handed in) is clipped to C; if local noise is on, the
 *       release is charged to this peer's ledger first and N(0, (zC)²) is added. A refused charge
 *       stops this peer sharing, and its status says so.
 *   <li>It is published as a signed gossip item, slot 2·round, once per round: a second submission
 *       in a round is refused, also across restarts (the audit log records each one).
 *   <li>Arriving items are checked (structure, origin, dimension, finite values, norm ≤ C plus the
 *       noise allowance) and buffered, at most one per origin and round. Failures are counted by
 *       reason and charged to the origin's trust score.
 *   <li>The delegate (rendezvous election over the live, trusted members) runs the rule once {@code
 *       round.minUpdates} are buffered, or after {@code round.timeoutMs}; the rule's rejections
 *       lower their origins' scores. It then tells the coordinator it is ready, and on the
 *       coordinator's invitation joins the SecAgg+ session with the aggregate as input.
 *   <li>A model signed by the coordinator is adopted when it is newer, checkpointed, handed to the
 *       listeners, and relayed into the basket (slot 2·round + 1) by the members it reached
 *       directly. The buffer is emptied; updates of the old round arriving later count as stale.
 * </ol>
 */
public final class BasketPeer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BasketPeer.class);
  private static final long MS = 1_000_000L;
  private static final int MAX_EARLY_UPDATES = 4096;

  private final Transport transport;
  private final Outbox outbox;
  private final BasketGroup group;
  private final PayloadSigner signer;
  private final PeerId self;
  private final PeerId coordinator;
  private final PublicKey coordinatorKey;
  private final Function<PeerId, Optional<PublicKey>> identityKeys;
  private final RuntimeSettings settings;
  private final NodeState state;
  private final LocalTrainer trainer;
  private final UpdateValidator validator;
  private final StalenessBuffer<PeerId> buffer;
  private final TrustScorer scorer;
  private final GaussianSource noise;
  private final SecureRandom secureRandom;
  private final long seed;
  private final PoissonParticipation participation;
  private final org.fedgossip.basket.BasketManager manager;
  private final long unixMillisAtZeroNanos;
  private final SharedVectors sharedVectors;
  // Lanes on every core: the masks of one vector are split by range, so the result is the same
  // bit for bit as on one lane (MaskExpander), and the buffers are only made on first use.
  private final MaskExpander expander = new MaskExpander(MaskExpander.machineLanes());
  private final RuntimeCounters counters = new RuntimeCounters();
  private final ConcurrentLinkedQueue<Consumer<Long>> inbox = new ConcurrentLinkedQueue<>();
  private final List<Consumer<GlobalModel>> listeners = new CopyOnWriteArrayList<>();
  private final TreeMap<Long, List<ModelUpdate>> early = new TreeMap<>();

  private GlobalModel model;

  /** Peers the coordinator has deregistered, from the newest model's release. */
  private Set<PeerId> excluded = Set.of();

  private long roundStartNanos;
  private long lastSubmittedRound;

  /** The last round this peer's coin kept it out of, or −1. */
  private long satOutRound = -1;

  private volatile boolean budgetExhausted;
  private boolean started;
  private int earlyCount;
  private double lastAccuracy = Double.NaN;
  private String note = "starting";

  /** An update already combined by some delegate's Layer 1, known from that delegate's receipt. */
  private record Used(PeerId origin, long round) {}

  /** What this peer combined as delegate in {@code readyRound}. */
  private List<Used> combined = List.of();

  /** Updates of older rounds known to be combined; null when no receipt came with the model. */
  private java.util.Set<Used> alreadyCombined;

  /** The materiality test's last answer, recomputed only when the buffer has changed. */
  private boolean materialityCached;

  private int materialitySize = -1;
  private long materialityRound = -1;

  /** When Layer 1 first became due in this round here, or −1: the delegate election's clock. */
  private long electionStartNanos = -1;

  /**
   * A member that is not the delegate asks again no sooner than this: the election ranks every
   * member of the basket, and asking it on every duty cycle of every member made it the largest
   * cost of an idle round in a basket of 100. Delegate deadlines are a second or more.
   */
  private static final long ELECTION_RECHECK_NANOS = 100_000_000L;

  private long nextElectionNanos;

  private long readyRound = -1;
  private float[] basketAggregate;
  private int aggregatedCount;
  private long lastReadySentNanos;
  private SecAggClient secAgg;
  private long secAggRound = -1;
  private long lastModelRequestNanos;
  private volatile NodeStatus status;

  /** When the status was last rebuilt: on any work, else at most every 100 ms. */
  private long statusNanos;

  private static final long STATUS_REFRESH_NANOS = 100_000_000L;

  private BasketPeer(Builder b) throws IOException {
    this.transport = b.transport;
    this.outbox = new Outbox(b.transport);
    this.signer = b.signer;
    this.self = b.signer.sender();
    this.coordinator = b.coordinator;
    this.identityKeys = b.identityKeys;
    this.coordinatorKey =
        b.identityKeys
            .apply(b.coordinator)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no certificate for the coordinator " + b.coordinator));
    this.settings = b.settings;
    this.state = b.state;
    this.trainer = b.trainer;
    this.scorer = b.scorer;
    this.noise = b.noise;
    this.secureRandom = b.secureRandom;
    this.seed = b.seed;
    this.participation =
        new PoissonParticipation(
            b.participationSeed != null ? b.participationSeed : b.seed,
            settings.participationRate());
    this.manager = b.manager;
    this.unixMillisAtZeroNanos = b.unixMillisAtZeroNanos;
    this.sharedVectors = b.sharedVectors;
    this.validator =
        new UpdateValidator(
            UpdateValidatorConfig.of(
                settings.dimension(),
                settings.clipNorm(),
                settings.localNoiseMultiplier() == 0
                    ? NoiseAllowance.none()
                    : NoiseAllowance.gaussian(
                        settings.localNoiseMultiplier() * settings.clipNorm())));
    GlobalModel initial =
        GlobalModel.of(0, 0, b.initialWeights, 0, settings.budget().delta(), settings.rule());
    this.model = state.latestModel(settings.rule()).orElse(initial);
    if (model.dimension() != settings.dimension()) {
      throw new IllegalArgumentException(
          "the checkpointed model has dimension "
              + model.dimension()
              + " but the model has "
              + settings.dimension());
    }
    this.lastSubmittedRound = state.lastSubmittedRound(self);
    this.buffer = new StalenessBuffer<>(settings.buffer(), model.version());
    this.budgetExhausted = state.remainingEpsilon() <= 0;
    counters.modelVersion(model.version());
    counters.round(model.version());
    counters.epsilonSpent(state.spentEpsilon());
    this.group =
        BasketGroup.open(
            b.manager,
            b.transport,
            b.signer,
            b.certificateValidator,
            b.certificateCacheSize,
            builder -> {
              b.gossipSettings.accept(builder);
              builder.trustScorer(b.scorer);
              builder.listener(item -> inbox.add(now -> onItem(item, now)));
            });
    int[] secAggTypes = {
      SecAggPayloadTypes.KEY_DIRECTORY,
      SecAggPayloadTypes.SHARE_DELIVERY,
      SecAggPayloadTypes.UNMASK_REQUEST
    };
    for (int type : secAggTypes) {
      transport.onReceive(
          type,
          (from, t, payload) -> inbox.add(now -> onSecAgg(from, t, Outbox.copy(payload), now)));
    }
    transport.onReceive(
        RuntimePayloadTypes.SECAGG_INVITE,
        (from, t, payload) -> inbox.add(now -> onInvite(from, Outbox.copy(payload), now)));
    transport.onReceive(
        RuntimePayloadTypes.GLOBAL_MODEL,
        (from, t, payload) -> inbox.add(now -> onDirectModel(from, Outbox.copy(payload), now)));
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
   * Joins the basket through the given members and starts the first round at {@code nowNanos}.
   *
   * @param seeds basket members to contact
   * @param nowNanos the time
   */
  public void start(java.util.Collection<PeerId> seeds, long nowNanos) {
    inbox.add(
        now -> {
          group.node().join(seeds);
          started = true;
          roundStartNanos = now;
          lastModelRequestNanos = now;
          note = "round " + model.version() + " started";
        });
    doWork(nowNanos);
  }

  /**
   * Does what is due: handles what arrived, drives gossip and SecAgg+, trains, runs Layer 1,
   * re-announces readiness and asks for a missed model.
   *
   * @param nowNanos the time
   * @return the amount of work done, 0 when idle
   */
  public int doWork(long nowNanos) {
    int work = Outbox.drain(inbox, nowNanos);
    work += group.node().doWork(nowNanos);
    if (secAgg != null) {
      List<SecAggMessage> out = secAgg.onTick(nowNanos);
      outbox.sendAll(out);
      work += out.size();
    }
    if (started) {
      work += maybeTrain(nowNanos);
      work += maybeAggregate(nowNanos);
      work += maybeRemind(nowNanos);
    }
    if (work > 0 || nowNanos - statusNanos >= STATUS_REFRESH_NANOS) {
      statusNanos = nowNanos;
      refreshStatus();
    }
    return work;
  }

  /**
   * Releases a local update for the current round: clip, charge and noise, sign, gossip.
   *
   * <p>Handled on the peer's thread at its next {@code doWork}; the stage completes there.
   *
   * @param delta the local model delta, of the model's dimension; not modified
   * @param samples the number of local samples behind it, ≥ 1
   * @return completes with the round the update was released for, or exceptionally with {@link
   *     PrivacyBudgetExceededException} (nothing sent), {@link IllegalStateException} (a second
   *     submission in the round, or not started) or {@link IllegalArgumentException} (bad shape)
   */
  public CompletionStage<Long> submitLocalUpdate(float[] delta, long samples) {
    float[] copy = Objects.requireNonNull(delta, "delta").clone();
    CompletableFuture<Long> done = new CompletableFuture<>();
    inbox.add(
        now -> {
          try {
            done.complete(release(copy, samples, now));
          } catch (PrivacyBudgetExceededException | IOException | RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    return done;
  }

  /**
   * Registers a listener for every global model adopted, called on the peer's thread.
   *
   * @param listener the listener; must not block
   */
  public void onGlobalModel(Consumer<GlobalModel> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
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
   * This peer's id.
   *
   * @return the id
   */
  public PeerId id() {
    return self;
  }

  /**
   * The basket group, for its gossip counters.
   *
   * @return the group
   */
  public BasketGroup group() {
    return group;
  }

  /**
   * ε spent by this peer's own releases, from its durable ledger.
   *
   * @return ε at the budget's δ
   */
  public double privacySpent() {
    return state.spentEpsilon();
  }

  /**
   * This peer's trust score of another member, from the evidence it has seen.
   *
   * @param peer the member
   * @param nowNanos the time of the reading
   * @return the score in [0, 1]
   */
  public double trustScore(PeerId peer, long nowNanos) {
    synchronized (group.node()) {
      return scorer.score(peer, unixMillis(nowNanos));
    }
  }

  /**
   * This peer's standing of another member (trusted, down-weighted or excluded), with the scorer's
   * hysteresis, from the evidence it has seen.
   *
   * @param peer the member
   * @param nowNanos the time of the reading
   * @return the standing
   */
  public org.fedgossip.trust.Standing trustStanding(PeerId peer, long nowNanos) {
    synchronized (group.node()) {
      return scorer.standing(peer, unixMillis(nowNanos));
    }
  }

  /**
   * This peer's trust score of every registered member of its basket but itself.
   *
   * @param nowNanos the time of the reading
   * @return member to score in [0, 1], sorted by id
   */
  public Map<PeerId, Double> trustScores(long nowNanos) {
    Map<PeerId, Double> out = new TreeMap<>();
    synchronized (group.node()) {
      for (PeerId member : group.liveMembers()) {
        if (!member.equals(self)) {
          out.put(member, scorer.score(member, unixMillis(nowNanos)));
        }
      }
    }
    return out;
  }

  /**
   * The durable state.
   *
   * @return the state
   */
  public NodeState state() {
    return state;
  }

  /** Closes the basket group; the shared transport and the state belong to the caller. */
  @Override
  public void close() {
    group.close();
  }

  // ---- local releases ----

  private int maybeTrain(long now) {
    if (trainer == null
        || budgetExhausted
        || lastSubmittedRound >= model.version()
        || satOutRound == model.version()) {
      return 0;
    }
    if (!participation.participates(model.version())) {
      satOutRound = model.version();
      note = "sat out round " + model.version() + " (Poisson participation)";
      return 0;
    }
    TrainingResult result = trainer.train(model.weights(), model.version());
    try {
      release(result.delta(), result.samples(), now);
    } catch (PrivacyBudgetExceededException e) {
      LOG.warn("{} stops sharing: {}", self.shortString(), e.getMessage());
    } catch (IOException e) {
      LOG.error("{} could not record its release: {}", self.shortString(), e.toString());
      lastSubmittedRound = model.version();
    }
    return 1;
  }

  private long release(float[] delta, long samples, long now)
      throws PrivacyBudgetExceededException, IOException {
    if (!started) {
      throw new IllegalStateException("the peer is not started");
    }
    long round = model.version();
    if (lastSubmittedRound >= round) {
      throw new IllegalStateException(
          self.shortString() + " already submitted an update for round " + round);
    }
    if (delta.length != settings.dimension()) {
      throw new IllegalArgumentException(
          "the delta has " + delta.length + " values; the model has " + settings.dimension());
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples is " + samples + "; it must be >= 1");
    }
    if (!participation.participates(round)) {
      // Releasing outside the sample would void the amplification the accounting credits.
      throw new IllegalStateException(
          self.shortString()
              + " is not sampled in round "
              + round
              + " (round.participation = "
              + participation.rate()
              + ")");
    }
    if (budgetExhausted) {
      throw new PrivacyBudgetExceededException(
          state.ledger().spentEpsilon(), 0, state.ledger().spentEpsilon(), settings.budget());
    }
    float[] released = new L2Clipper(settings.clipNorm()).clip(delta).vector();
    if (settings.localNoiseMultiplier() > 0) {
      try {
        state.ledger().charge(new PrivacyEvent(1.0, settings.localNoiseMultiplier(), 1));
      } catch (PrivacyBudgetExceededException e) {
        budgetExhausted = true;
        note = "privacy budget spent: this peer stopped sharing";
        throw e;
      }
      counters.epsilonSpent(state.ledger().spentEpsilon());
      released =
          new GaussianMechanism(settings.localNoiseMultiplier(), settings.clipNorm(), noise)
              .addNoise(released);
    }
    long wall = unixMillis(now);
    if (settings.localNoiseMultiplier() > 0) {
      state
          .audit()
          .append(
              AuditRecord.privacySpent(
                  round,
                  self.toBytes(),
                  state.ledger().spentEpsilon(),
                  settings.budget().delta(),
                  wall));
    }
    state.audit().append(AuditRecord.updateAccepted(round, self.toBytes(), wall));
    lastSubmittedRound = round;
    ModelUpdate update = ModelUpdate.raw(self, round, model.version(), samples, released);
    byte[] item =
        BasketItem.newBuilder()
            .setUpdate(ByteString.copyFrom(update.toBytes()))
            .build()
            .toByteArray();
    group.node().publish(now, 2 * round, item, true);
    buffer(self, round, released, samples);
    counters.submitted();
    note = "released the update of round " + round;
    return round;
  }

  // ---- arriving items ----

  private void onItem(GossipItem item, long now) {
    if (item.origin().equals(self)) {
      return;
    }
    BasketItem parsed;
    try {
      parsed = BasketItem.parseFrom(item.payload());
    } catch (InvalidProtocolBufferException e) {
      reject(item.origin(), "MALFORMED_ITEM", now);
      return;
    }
    if (parsed.hasModel()) {
      List<Used> receipt = new ArrayList<>();
      try {
        for (org.fedgossip.core.proto.Included inc : parsed.getIncludedList()) {
          receipt.add(new Used(PeerId.fromDigest(inc.getOrigin().toByteArray()), inc.getRound()));
        }
      } catch (IllegalArgumentException e) {
        reject(item.origin(), "MALFORMED_ITEM", now);
        return;
      }
      onModel(parsed.getModel(), item.origin(), now, false, receipt.isEmpty() ? null : receipt);
      return;
    }
    if (!parsed.hasUpdate() || item.round() % 2 != 0) {
      reject(item.origin(), "MALFORMED_ITEM", now);
      return;
    }
    counters.received();
    if (excluded.contains(item.origin())) {
      counters.rejected("DEREGISTERED");
      return;
    }
    Verdict verdict =
        validator.check(parsed.getUpdate().toByteArray(), item.origin(), model.version());
    if (!verdict.accepted()) {
      reject(item.origin(), verdict.reason().name(), now);
      return;
    }
    ModelUpdate update = verdict.update();
    if (!update.origin().equals(item.origin())) {
      reject(item.origin(), "ORIGIN_MISMATCH", now);
      return;
    }
    if (2 * update.round() != item.round()) {
      reject(item.origin(), "ROUND_MISMATCH", now);
      return;
    }
    if (update.round() > model.version()) {
      if (earlyCount < MAX_EARLY_UPDATES) {
        early.computeIfAbsent(update.round(), r -> new ArrayList<>()).add(update);
        earlyCount++;
      } else {
        counters.rejected(Admission.BUFFER_FULL.name());
      }
      return;
    }
    admit(update);
  }

  private void admit(ModelUpdate update) {
    if (settings.sampledCentralDp() && update.round() < model.version()) {
      // Under sampled central DP a release holds only the round's own sample.
      counters.rejected("STALE_UNDER_SAMPLING");
      return;
    }
    if (update.round() < model.version()
        && (alreadyCombined == null
            || alreadyCombined.contains(new Used(update.origin(), update.round())))) {
      counters.rejected(alreadyCombined == null ? "LATE_WITHOUT_RECEIPT" : "ALREADY_COMBINED");
      return;
    }
    Admission admission =
        buffer(update.origin(), update.round(), update.values(), update.sampleCount());
    if (admission.accepted()) {
      counters.accepted();
    } else {
      counters.rejected(admission.name());
    }
  }

  /** Buffers checked values that nothing else writes to, shared with the process's other peers. */
  private Admission buffer(PeerId origin, long round, float[] values, long samples) {
    float[] kept = sharedVectors == null ? values : sharedVectors.intern(origin, round, values);
    return buffer.offerShared(origin, round, kept, samples);
  }

  private void reject(PeerId origin, String reason, long now) {
    counters.rejected(reason);
    score(origin, Evidence.INVALID_PACKET, now);
    LOG.debug("{} rejected an item from {}: {}", self.shortString(), origin.shortString(), reason);
  }

  private void onDirectModel(PeerId from, byte[] payload, long now) {
    if (!from.equals(coordinator)) {
      counters.rejected("MODEL_NOT_FROM_COORDINATOR");
      return;
    }
    Optional<SignedGlobalModel> parsed = SignedModels.parse(payload);
    if (parsed.isEmpty()) {
      counters.rejected("MALFORMED_MODEL");
      return;
    }
    onModel(parsed.get(), from, now, true, null);
  }

  private void onModel(
      SignedGlobalModel signed, PeerId from, long now, boolean direct, List<Used> receipt) {
    Optional<SignedModels.Release> release =
        SignedModels.verifyRelease(
            signed, coordinator, coordinatorKey, validator.config().limits());
    Optional<GlobalModel> verified = release.map(SignedModels.Release::model);
    if (verified.isEmpty()) {
      counters.rejected("BAD_MODEL_SIGNATURE");
      if (!from.equals(coordinator)) {
        score(from, Evidence.BAD_SIGNATURE, now);
      }
      return;
    }
    GlobalModel m = verified.get();
    if (m.version() <= model.version()) {
      return;
    }
    if (m.dimension() != settings.dimension()) {
      counters.rejected("WRONG_DIMENSION");
      return;
    }
    excluded = release.get().excluded();
    List<Used> mine = readyRound == m.version() - 1 ? combined : null;
    adopt(m, now, receipt != null ? receipt : mine);
    if (direct) {
      BasketItem.Builder relay = BasketItem.newBuilder().setModel(signed);
      if (mine != null) {
        for (Used u : mine) {
          relay.addIncluded(
              org.fedgossip.core.proto.Included.newBuilder()
                  .setOrigin(ByteString.copyFrom(u.origin().toBytes()))
                  .setRound(u.round()));
        }
      }
      byte[] item = relay.build().toByteArray();
      long slot = relaySlot(m.version());
      if (!group.node().has(self, slot)) {
        try {
          group.node().publish(now, slot, item, true);
        } catch (IllegalArgumentException e) {
          LOG.debug("{} did not relay model {}: {}", self, m.version(), e.getMessage());
        }
      }
    }
  }

  private void adopt(GlobalModel m, long now, List<Used> receipt) {
    long previousRound = model.version();
    try {
      state.commit(m, unixMillis(now));
    } catch (IOException e) {
      LOG.error(
          "{} could not checkpoint model {}: {}", self.shortString(), m.version(), e.toString());
    }
    model = m;
    long duration = now - roundStartNanos;
    roundStartNanos = now;
    lastModelRequestNanos = now;
    List<WeightedUpdate<PeerId>> held = buffer.drain();
    buffer.advanceTo(m.version());
    group.node().retireBelow(firstGossipSlotInPlay(m.version()));
    alreadyCombined = receipt == null ? null : new java.util.HashSet<>(receipt);
    if (alreadyCombined != null && !settings.sampledCentralDp()) {
      for (WeightedUpdate<PeerId> u : held) {
        if (!alreadyCombined.contains(new Used(u.origin(), u.round()))) {
          buffer.offerShared(u.origin(), u.round(), u.vector(), u.sampleCount());
        }
      }
    }
    earlyCount = 0;
    Iterator<Map.Entry<Long, List<ModelUpdate>>> it = early.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, List<ModelUpdate>> e = it.next();
      if (e.getKey() <= m.version()) {
        e.getValue().forEach(this::admit);
        it.remove();
      } else {
        earlyCount += e.getValue().size();
      }
    }
    readyRound = -1;
    electionStartNanos = -1;
    nextElectionNanos = 0;
    basketAggregate = null;
    secAgg = null;
    counters.modelVersion(m.version());
    counters.round(m.version());
    counters.roundCompleted(previousRound, duration, 0, 0);
    if (trainer != null) {
      Evaluation evaluation = trainer.evaluate(m.weights());
      lastAccuracy = evaluation.count() > 0 ? evaluation.accuracy() : Double.NaN;
    }
    note = "adopted model " + m.version();
    Outbox.notify(listeners, m);
  }

  /**
   * The lowest gossip slot any member can still use once model {@code version} is out: the update
   * slots (2r) of rounds the staleness buffer still admits, and the relay of this model (slot 2v −
   * 1) for members that missed it. Older slots are dropped from the gossip store, so a peer holds
   * the rounds in play rather than its store's last 1,024 items.
   */
  private long firstGossipSlotInPlay(long version) {
    long staleness = settings.sampledCentralDp() ? 0 : settings.buffer().maxStaleness();
    return Math.min(2 * (version - staleness), relaySlot(version));
  }

  /** The gossip slot of the relay of model {@code version}: odd, after round version − 1's 2r. */
  private static long relaySlot(long version) {
    return 2 * (version - 1) + 1;
  }

  // ---- Layer 1 ----

  private int maybeAggregate(long now) {
    long round = model.version();
    if (readyRound == round) {
      return 0;
    }
    int n = buffer.size();
    if (n == 0) {
      return 0;
    }
    boolean enough = n >= settings.minUpdates();
    boolean late = now - roundStartNanos >= settings.roundTimeoutNanos();
    if (!enough && !late && !material()) {
      return 0;
    }
    // The election's clock starts when Layer 1 is first due here, not when the round began: a
    // slow trainer must not use up every member's deadline before there is anything to combine.
    if (electionStartNanos < 0) {
      electionStartNanos = now;
    }
    if (now < nextElectionNanos) {
      return 0;
    }
    org.fedgossip.basket.DelegateChoice choice;
    synchronized (group.node()) {
      BasketView view =
          group.view(
              peer ->
                  excluded.contains(peer)
                      ? org.fedgossip.trust.Standing.EXCLUDED
                      : scorer.standing(peer, unixMillis(now)),
              r -> electionStartNanos);
      choice = view.delegate(round, now);
    }
    if (choice.delegate().isEmpty()) {
      // Every candidate's deadline passed: start another cycle rather than leave the basket
      // without a delegate.
      electionStartNanos = now;
      return 0;
    }
    if (!choice.isDelegate(self)) {
      nextElectionNanos = now + ELECTION_RECHECK_NANOS;
      return 0;
    }
    AggregationRule rule;
    try {
      rule = settings.rule().create(n, ParallelRunner.sequential());
    } catch (IllegalArgumentException e) {
      note = "waiting for more updates: " + e.getMessage();
      return 0;
    }
    List<WeightedUpdate<PeerId>> held = buffer.drain();
    List<float[]> vectors = new ArrayList<>(held.size());
    double[] weights = new double[held.size()];
    for (int i = 0; i < held.size(); i++) {
      vectors.add(held.get(i).vector());
      weights[i] = held.get(i).weight() * held.get(i).sampleCount();
    }
    AggregationResult result =
        settings.sampledCentralDp()
            ? fixedDenominatorSum(vectors)
            : rule.aggregate(vectors, weights);
    // Only a rejection the rule makes as a suspected Byzantine input counts against its origin:
    // when a rule drops more than f inputs (Krum keeps one, the median none whole), the dropped
    // ones are not singled out as outliers.
    counters.layer1(result.rejected().length);
    if (result.rejected().length <= settings.rule().byzantine()) {
      for (int i : result.rejected()) {
        score(held.get(i).origin(), Evidence.REJECTED_BY_ROBUST_RULE, now);
      }
    }
    for (int i : result.selected()) {
      score(held.get(i).origin(), Evidence.ACCEPTED, now);
    }
    List<Used> used = new ArrayList<>(held.size());
    for (WeightedUpdate<PeerId> u : held) {
      used.add(new Used(u.origin(), u.round()));
    }
    combined = List.copyOf(used);
    basketAggregate = result.aggregate();
    aggregatedCount = n;
    readyRound = round;
    sendReady(now);
    note = "delegate of round " + round + ": Layer 1 combined " + n + " updates";
    return 1;
  }

  /**
   * The fixed-denominator estimator of DP-FedAvg (McMahan et al. 2018, Algorithm 1): the sum of the
   * round's clipped updates, each with weight 1, divided by q·N_b, N_b being the basket's
   * registered size, not the number of updates that came. Adding or removing one peer's update then
   * moves the result by at most C / (q·N_b) whatever the others sent, which the coordinator's noise
   * is calibrated to; a mean over the updates present would not have that bound. Sample counts are
   * ignored: weighting by them would give a peer unbounded influence.
   */
  private AggregationResult fixedDenominatorSum(List<float[]> vectors) {
    double denominator =
        settings.participationRate() * Math.max(1, manager.members(group.basket()).size());
    double[] sum = new double[settings.dimension()];
    for (float[] v : vectors) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum[i] / denominator);
    }
    int[] all = new int[vectors.size()];
    java.util.Arrays.setAll(all, i -> i);
    return new AggregationResult(out, all, new int[0]);
  }

  /**
   * Whether the buffered updates' mean moves the model by at least {@code round.materiality} × C: a
   * change large enough to aggregate at once rather than wait for more updates.
   */
  private boolean material() {
    if (settings.materiality() <= 0) {
      return false;
    }
    if (materialitySize == buffer.size() && materialityRound == model.version()) {
      return materialityCached;
    }
    materialitySize = buffer.size();
    materialityRound = model.version();
    materialityCached = meanNormAtLeastThreshold();
    return materialityCached;
  }

  private boolean meanNormAtLeastThreshold() {
    List<WeightedUpdate<PeerId>> held = buffer.snapshot();
    double[] mean = new double[settings.dimension()];
    for (WeightedUpdate<PeerId> u : held) {
      float[] v = u.vector();
      for (int i = 0; i < mean.length; i++) {
        mean[i] += v[i] / (double) held.size();
      }
    }
    double sum = 0;
    for (double m : mean) {
      sum += m * m;
    }
    return Math.sqrt(sum) >= settings.materiality() * settings.clipNorm();
  }

  private void sendReady(long now) {
    lastReadySentNanos = now;
    byte[] ready =
        DelegateReady.newBuilder()
            .setRound(readyRound)
            .setBasket(group.basket().value())
            .setUpdates(aggregatedCount)
            .setModelVersion(model.version())
            .build()
            .toByteArray();
    outbox.send(coordinator, RuntimePayloadTypes.DELEGATE_READY, ready);
  }

  private int maybeRemind(long now) {
    if (readyRound == model.version()
        && (secAgg == null || secAgg.state() == ClientState.ABORTED)
        && now - lastReadySentNanos >= settings.roundTimeoutNanos()) {
      sendReady(now);
      return 1;
    }
    if (now - lastModelRequestNanos >= 2 * settings.roundTimeoutNanos()) {
      lastModelRequestNanos = now;
      byte[] request =
          ModelRequest.newBuilder().setHaveVersion(model.version()).build().toByteArray();
      outbox.send(coordinator, RuntimePayloadTypes.MODEL_REQUEST, request);
      return 1;
    }
    return 0;
  }

  // ---- Layer 2 ----

  private void onInvite(PeerId from, byte[] payload, long now) {
    if (!from.equals(coordinator)) {
      counters.rejected("INVITE_NOT_FROM_COORDINATOR");
      return;
    }
    SecAggInvite invite;
    try {
      invite = SecAggInvite.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      counters.rejected("MALFORMED_INVITE");
      return;
    }
    if (invite.getRound() != readyRound || basketAggregate == null) {
      counters.rejected("STALE_INVITE");
      return;
    }
    try {
      List<PeerId> participants = new ArrayList<>();
      Map<PeerId, PublicKey> keys = new HashMap<>();
      for (ByteString id : invite.getParticipantsList()) {
        PeerId p = PeerId.fromDigest(id.toByteArray());
        participants.add(p);
        keys.put(
            p,
            identityKeys
                .apply(p)
                .orElseThrow(
                    () -> new IllegalArgumentException("no certificate for participant " + p)));
      }
      if (invite.getDimension() != settings.dimension()) {
        throw new IllegalArgumentException(
            "the invitation's dimension is "
                + invite.getDimension()
                + ", the model's "
                + settings.dimension());
      }
      SecAggConfig config =
          new SecAggConfig(
              participants.size(),
              invite.getNeighbours(),
              invite.getThreshold(),
              invite.getDimension(),
              invite.getClipRange(),
              Math.multiplyExact(invite.getPhaseTimeoutMs(), MS));
      RoundSpec spec =
          new RoundSpec(config, invite.getSession(), participants, invite.getGraphSeed());
      float[] input = basketAggregate;
      secAgg =
          new SecAggClient(
              spec,
              signer,
              coordinator,
              keys,
              secureRandom,
              () -> input,
              new SplittableRandom(seed ^ invite.getSession()),
              expander);
      secAggRound = invite.getRound();
      outbox.sendAll(secAgg.start(now));
      note = "in the SecAgg+ session of round " + secAggRound;
    } catch (IllegalArgumentException | ArithmeticException e) {
      counters.rejected("BAD_INVITE");
      LOG.warn("{} refused a SecAgg+ invitation: {}", self.shortString(), e.getMessage());
    }
  }

  private void onSecAgg(PeerId from, int type, byte[] payload, long now) {
    if (secAgg != null) {
      outbox.sendAll(secAgg.onMessage(from, type, java.nio.ByteBuffer.wrap(payload), now));
    }
  }

  /** The scorer is shared with the gossip node, whose methods hold its monitor. */
  private void score(PeerId peer, Evidence evidence, long now) {
    synchronized (group.node()) {
      scorer.record(peer, evidence, unixMillis(now));
    }
  }

  // ---- status ----

  private long unixMillis(long nowNanos) {
    return unixMillisAtZeroNanos + Math.floorDiv(nowNanos, MS);
  }

  private void refreshStatus() {
    double spent = counters.epsilonSpent();
    status =
        new NodeStatus(
            "peer",
            self.toString(),
            group.basket().value(),
            model.version(),
            model.version(),
            spent,
            Math.max(0, settings.budget().epsilon() - spent),
            budgetExhausted,
            group.liveMembers().size(),
            lastAccuracy,
            note);
  }

  /** Collects a peer's parts; every setter validates its argument. */
  public static final class Builder {
    private Transport transport;
    private org.fedgossip.basket.BasketManager manager;
    private org.fedgossip.trust.CertificateValidator certificateValidator;
    private int certificateCacheSize = 256;
    private Consumer<org.fedgossip.gossip.GossipNode.Builder> gossipSettings = b -> {};
    private PayloadSigner signer;
    private PeerId coordinator;
    private Function<PeerId, Optional<PublicKey>> identityKeys;
    private RuntimeSettings settings;
    private NodeState state;
    private LocalTrainer trainer;
    private float[] initialWeights;
    private TrustScorer scorer = new TrustScorer(TrustScorerConfig.DEFAULT);
    private GaussianSource noise;
    private SecureRandom secureRandom;
    private long seed;
    private Long participationSeed;
    private long unixMillisAtZeroNanos;
    private SharedVectors sharedVectors;

    private Builder() {}

    /**
     * Shares buffered update vectors with the other peers of this process; see {@link
     * SharedVectors}. For {@link HierarchicalFederation} only.
     *
     * @param value the process's table, or null for none
     * @return this builder
     */
    Builder sharedVectors(SharedVectors value) {
      sharedVectors = value;
      return this;
    }

    /**
     * The running shared transport of this peer.
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(Transport value) {
      transport = Objects.requireNonNull(value, "transport");
      return this;
    }

    /**
     * The federation's basket membership and the certificate checks of gossip origins.
     *
     * @param basketManager the membership
     * @param validator the CA and CRL checks
     * @return this builder
     */
    public Builder membership(
        org.fedgossip.basket.BasketManager basketManager,
        org.fedgossip.trust.CertificateValidator validator) {
      manager = Objects.requireNonNull(basketManager, "basketManager");
      certificateValidator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    /**
     * Adjusts the gossip node: its configuration, seeded random source and clock offset.
     *
     * @param value the adjustment
     * @return this builder
     */
    public Builder gossip(Consumer<org.fedgossip.gossip.GossipNode.Builder> value) {
      gossipSettings = Objects.requireNonNull(value, "gossip");
      return this;
    }

    /**
     * This peer's signer.
     *
     * @param value the signer
     * @return this builder
     */
    public Builder signer(PayloadSigner value) {
      signer = Objects.requireNonNull(value, "signer");
      return this;
    }

    /**
     * The coordinator and the identity keys of every certified member (from the roster).
     *
     * @param coordinatorId the coordinator
     * @param keys the Ed25519 public key of a peer, empty if unknown
     * @return this builder
     */
    public Builder federation(PeerId coordinatorId, Function<PeerId, Optional<PublicKey>> keys) {
      coordinator = Objects.requireNonNull(coordinatorId, "coordinator");
      identityKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * The round, privacy and aggregation settings.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder settings(RuntimeSettings value) {
      settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /**
     * The durable state.
     *
     * @param value the state
     * @return this builder
     */
    public Builder state(NodeState value) {
      state = Objects.requireNonNull(value, "state");
      return this;
    }

    /**
     * A trainer that the peer runs once per round; without one, updates come only through {@link
     * BasketPeer#submitLocalUpdate}.
     *
     * @param value the trainer, or null
     * @return this builder
     */
    public Builder trainer(LocalTrainer value) {
      trainer = value;
      return this;
    }

    /**
     * The weights of model version 0, identical on every process of the federation.
     *
     * @param value the weights; copied
     * @return this builder
     */
    public Builder initialWeights(float[] value) {
      initialWeights = Objects.requireNonNull(value, "initialWeights").clone();
      return this;
    }

    /**
     * The trust scorer shared with the gossip node.
     *
     * @param value the scorer
     * @return this builder
     */
    public Builder trustScorer(TrustScorer value) {
      scorer = Objects.requireNonNull(value, "trustScorer");
      return this;
    }

    /**
     * Randomness: the Gaussian noise source, the key-material generator, and the seed of the
     * quantiser's stochastic rounding.
     *
     * @param gaussian the noise
     * @param secure the key material
     * @param roundingSeed the rounding seed
     * @return this builder
     */
    public Builder randomness(GaussianSource gaussian, SecureRandom secure, long roundingSeed) {
      noise = Objects.requireNonNull(gaussian, "gaussian");
      secureRandom = Objects.requireNonNull(secure, "secure");
      seed = roundingSeed;
      return this;
    }

    /**
     * The secret seed of this peer's {@link PoissonParticipation} coin; without it the rounding
     * seed of {@link #randomness} is used. It must stay secret and the same across restarts, so
     * that the sample is hidden and a round is never drawn twice (the daemon derives it from the
     * peer's private key).
     *
     * @param value the seed
     * @return this builder
     */
    public Builder participationSeed(long value) {
      participationSeed = value;
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
     * Builds the peer and opens its basket group.
     *
     * @return the peer
     * @throws IOException when the state cannot be read
     * @throws IllegalStateException naming the missing part
     */
    public BasketPeer build() throws IOException {
      require(transport, "transport");
      require(manager, "membership");
      require(signer, "signer");
      require(coordinator, "federation");
      require(settings, "settings");
      require(state, "state");
      require(initialWeights, "initialWeights");
      require(noise, "randomness");
      if (initialWeights.length != settings.dimension()) {
        throw new IllegalArgumentException(
            "initialWeights has "
                + initialWeights.length
                + " values; the settings say dimension "
                + settings.dimension());
      }
      return new BasketPeer(this);
    }

    private static void require(Object value, String part) {
      if (value == null) {
        throw new IllegalStateException("the peer needs its " + part + " set before build()");
      }
    }
  }
}
