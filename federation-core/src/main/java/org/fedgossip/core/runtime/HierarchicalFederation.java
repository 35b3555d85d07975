package org.fedgossip.core.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import org.fedgossip.basket.BasketConfig;
import org.fedgossip.basket.BasketManager;
import org.fedgossip.basket.CertificateRoster;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.gossip.SharedPayloads;
import org.fedgossip.transport.memory.InMemoryNetwork;
import org.fedgossip.transport.memory.InMemoryTransport;
import org.fedgossip.transport.memory.LinkModel;
import org.fedgossip.trust.CertificateValidator;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;

/**
 * A whole hierarchical federation in one process, in virtual time, on one thread: register clients
 * with their domains, submit updates, run gossip rounds, aggregate. It is built from the same
 * classes as the daemon ({@link BasketPeer}, {@link Coordinator}, the gossip and SecAgg+ state
 * machines, a federation CA with real Ed25519 certificates); only the transport (an {@link
 * InMemoryNetwork}) and the clock differ, so the same seed gives the same models.
 *
 * <p>Not for production key material: the CA and the peers' keys come from a seeded generator, so a
 * run can be repeated. Each node keeps its durable state (checkpoints, ledger, audit log) under the
 * given directory.
 */
public final class HierarchicalFederation implements AutoCloseable {

  private record Cut(Set<PeerId> a, Set<PeerId> b) {}

  /** Where a registered client stands: its id, name and domain (basket). */
  public record Client(PeerId id, String name, String domain) {}

  /** Sees {@link #start} progress, for displays of large federations. */
  @FunctionalInterface
  public interface StartProgress {

    /**
     * Called as the start advances.
     *
     * @param phase what is being done, for example {@code "certificates"} or {@code "peers"}
     * @param done how many of the phase's items are done
     * @param total the phase's items
     */
    void onProgress(String phase, int done, int total);
  }

  private static final long MS = 1_000_000L;
  private static final long TICK_NANOS = 10 * MS;

  /** SecAgg+ session attempts reserved per coordinator incarnation, so ids never repeat. */
  private static final int RESTART_ATTEMPTS = 1_000_000;

  private final Path directory;
  private final RuntimeSettings settings;
  private final float[] initialWeights;
  private final long seed;
  private final Instant epoch;
  private final GossipConfig gossip;
  private final LinkModel link;
  private final SecureRandom keyRandom;
  private final FederationCa ca;
  private final CertificateValidator validator;
  private final CertificateRoster roster = new CertificateRoster();
  private final Map<PeerId, PublicKey> keys = new HashMap<>();
  private final Map<PeerId, String> baskets = new HashMap<>();
  private final Map<PeerId, KeyPair> keyPairs = new HashMap<>();
  private final Map<PeerId, LocalTrainer> trainers = new HashMap<>();
  private final LinkedHashMap<PeerId, Client> clients = new LinkedHashMap<>();
  private final Map<PeerId, BasketPeer> peers = new LinkedHashMap<>();
  private final List<InMemoryTransport> transports = new ArrayList<>();
  private final Map<PeerId, InMemoryTransport> transportOf = new HashMap<>();
  private final List<NodeState> states = new ArrayList<>();
  private final SharedPayloads sharedPayloads = new SharedPayloads();
  private final SharedVectors sharedVectors = new SharedVectors();
  private final Map<PeerId, Integer> clientIndex = new HashMap<>();
  private final Map<String, List<PeerId>> membersByDomain = new HashMap<>();
  private final List<FederationCa.Request> requests = new ArrayList<>();
  private final KeyPair coordinatorKeys;
  private final PeerId coordinatorId;
  private final Map<PeerId, NodeState> stateOf = new HashMap<>();
  private final Map<PeerId, Integer> restartsOf = new HashMap<>();
  private final Map<String, Cut> cuts = new LinkedHashMap<>();
  private final Set<PeerId> down = new java.util.HashSet<>();
  private final List<LongConsumer> stepHooks = new ArrayList<>();
  private BasketManager manager;
  private InMemoryNetwork network;
  private Coordinator coordinator;
  private java.util.function.Function<float[], Evaluation> evaluator;
  private long nowNanos;

  private HierarchicalFederation(
      Path directory,
      RuntimeSettings settings,
      float[] initialWeights,
      long seed,
      GossipConfig gossip,
      LinkModel link) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (initialWeights.length != settings.dimension()) {
      throw new IllegalArgumentException(
          "initialWeights has "
              + initialWeights.length
              + " values; the settings say dimension "
              + settings.dimension());
    }
    this.initialWeights = initialWeights.clone();
    this.seed = seed;
    this.epoch = Instant.parse("2026-01-01T00:00:00Z");
    this.gossip = Objects.requireNonNull(gossip, "gossip");
    this.link = Objects.requireNonNull(link, "link");
    this.keyRandom = seededKeyRandom(seed);
    this.ca =
        FederationCa.create(
            directory.resolve("ca"),
            "simulation-ca",
            epoch.minus(Duration.ofDays(1)),
            FederationCa.DEFAULT_CA_VALIDITY,
            keyRandom,
            true);
    this.validator = new CertificateValidator(ca.certificate(), ca.crl());
    this.coordinatorKeys = Ed25519Keys.generate(keyRandom);
    this.coordinatorId = Ed25519Keys.peerId(coordinatorKeys.getPublic());
    X509Certificate c =
        ca.issue(
            coordinatorKeys.getPublic(),
            "coordinator",
            "coordinator",
            epoch.minus(Duration.ofDays(1)),
            Duration.ofDays(3650));
    roster.admit(c, validator, epoch);
    keys.put(coordinatorId, coordinatorKeys.getPublic());
  }

  /**
   * A federation of the given settings.
   *
   * @param directory where the CA and each node's durable state go
   * @param settings the settings shared by every node
   * @param initialWeights model version 0
   * @param seed every random choice derives from it
   * @return the federation, with no clients yet
   */
  public static HierarchicalFederation create(
      Path directory, RuntimeSettings settings, float[] initialWeights, long seed) {
    return new HierarchicalFederation(
        directory,
        settings,
        initialWeights,
        seed,
        GossipConfig.simulation(),
        LinkModel.lan(2 * MS, MS));
  }

  /**
   * A federation of the given settings, gossip configuration and default link model, for fault
   * injection: the link model sets every link's latency, jitter, loss, duplication and reordering
   * (see {@link LinkModel}), and the gossip configuration sets among others each receiver's
   * per-sender rate limit.
   *
   * @param directory where the CA and each node's durable state go
   * @param settings the settings shared by every node
   * @param initialWeights model version 0
   * @param seed every random choice derives from it
   * @param gossip the gossip configuration of every peer
   * @param link the model of every link
   * @return the federation, with no clients yet
   */
  public static HierarchicalFederation create(
      Path directory,
      RuntimeSettings settings,
      float[] initialWeights,
      long seed,
      GossipConfig gossip,
      LinkModel link) {
    return new HierarchicalFederation(directory, settings, initialWeights, seed, gossip, link);
  }

  /**
   * Registers a client in a domain, with a certificate from the federation CA; before {@link
   * #start()}.
   *
   * @param name the display name
   * @param domain its basket, for example {@code hospitals}
   * @param trainer trains once per round by itself, or null to submit updates by hand
   * @return the client
   */
  public Client registerClient(String name, String domain, LocalTrainer trainer) {
    if (network != null) {
      throw new IllegalStateException("register every client before start()");
    }
    KeyPair pair = Ed25519Keys.generate(keyRandom);
    PeerId id = Ed25519Keys.peerId(pair.getPublic());
    // Validates the names now; the certificates are issued in one batch at start().
    FederationCa.Request request = new FederationCa.Request(pair.getPublic(), name, domain);
    if (clients.containsKey(id)) {
      throw new IllegalStateException("two clients drew the same key: " + id);
    }
    requests.add(request);
    keys.put(id, pair.getPublic());
    baskets.put(id, domain);
    keyPairs.put(id, pair);
    if (trainer != null) {
      trainers.put(id, trainer);
    }
    Client client = new Client(id, name, domain);
    clientIndex.put(id, clients.size());
    clients.put(id, client);
    return client;
  }

  /**
   * Evaluates each published model at the coordinator, for {@link Coordinator#status()}.
   *
   * @param value the evaluator
   */
  public void evaluateWith(java.util.function.Function<float[], Evaluation> value) {
    evaluator = value;
  }

  /**
   * Opens every node on one in-memory network and joins each basket.
   *
   * @throws UncheckedIOException when a node's state cannot be opened
   */
  public void start() {
    start((phase, done, total) -> {});
  }

  /**
   * Issues the clients' certificates (one batch), opens every node on one in-memory network and
   * joins each basket, reporting progress.
   *
   * @param progress sees each phase advance: {@code certificates}, then {@code peers}
   * @throws UncheckedIOException when a node's state cannot be opened
   */
  public void start(StartProgress progress) {
    Objects.requireNonNull(progress, "progress");
    if (network != null) {
      throw new IllegalStateException("already started");
    }
    long distinctBaskets = baskets.values().stream().distinct().count();
    if (distinctBaskets < settings.minBaskets()) {
      throw new IllegalStateException(
          distinctBaskets
              + " domains registered; round.minBaskets needs at least "
              + settings.minBaskets());
    }
    int total = clients.size();
    progress.onProgress("certificates", 0, total);
    List<X509Certificate> issued =
        ca.issueAll(requests, epoch.minus(Duration.ofDays(1)), Duration.ofDays(3650));
    for (X509Certificate cert : issued) {
      roster.admit(cert, validator, epoch);
    }
    requests.clear();
    progress.onProgress("certificates", total, total);
    network = new InMemoryNetwork(seed, link);
    manager = new BasketManager(roster, BasketConfig.simulation());
    clients.keySet().forEach(manager::register);
    try {
      InMemoryTransport ct = network.endpoint(coordinatorId);
      transports.add(ct);
      transportOf.put(coordinatorId, ct);
      coordinator = newCoordinator(0);
      ct.start();
      for (Client client : clients.values()) {
        InMemoryTransport t = network.endpoint(client.id());
        transports.add(t);
        transportOf.put(client.id(), t);
        t.start();
        peers.put(client.id(), newPeer(client));
        int started = peers.size();
        if (started % 500 == 0 || started == total) {
          progress.onProgress("peers", started, total);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    membersByDomain.clear();
    for (Client c : clients.values()) {
      membersByDomain.computeIfAbsent(c.domain(), d -> new ArrayList<>()).add(c.id());
    }
    for (BasketPeer peer : peers.values()) {
      peer.start(basketSeeds(peer.id()), nowNanos);
    }
  }

  private Coordinator newCoordinator(int restarts) throws IOException {
    NodeState cs = NodeState.open(directory.resolve("coordinator"), settings);
    states.add(cs);
    stateOf.put(coordinatorId, cs);
    long distinctBaskets = baskets.values().stream().distinct().count();
    Map<String, Integer> basketSizes = new HashMap<>();
    baskets.values().forEach(b -> basketSizes.merge(b, 1, Integer::sum));
    return Coordinator.builder()
        .transport(transportOf.get(coordinatorId))
        .signer(new PayloadSigner(coordinatorKeys))
        .federation(
            id -> Optional.ofNullable(keys.get(id)),
            id -> Optional.ofNullable(baskets.get(id)),
            (int) distinctBaskets)
        .basketSizes(b -> basketSizes.getOrDefault(b, 0))
        .settings(settings)
        .state(cs)
        .initialWeights(initialWeights)
        .evaluator(evaluator)
        .randomness(GaussianSource.seeded(seed ^ 0x5EED ^ restarts), RESTART_ATTEMPTS * restarts)
        .unixMillisAtZeroNanos(epoch.toEpochMilli())
        .build();
  }

  private BasketPeer newPeer(Client client) throws IOException {
    NodeState s = NodeState.open(directory.resolve("peers").resolve(client.name()), settings);
    states.add(s);
    stateOf.put(client.id(), s);
    int restarts = restartsOf.getOrDefault(client.id(), 0);
    long peerSeed = seed * 1_000_003L + clientIndex.get(client.id());
    long runSeed = restarts == 0 ? peerSeed : peerSeed ^ (0x9E3779B97F4A7C15L * restarts);
    long unixAtZero = epoch.toEpochMilli();
    return BasketPeer.builder()
        .transport(transportOf.get(client.id()))
        .membership(manager, validator)
        .gossip(
            b ->
                b.config(gossip)
                    .random(new SplittableRandom(runSeed))
                    .unixMillisAtZeroNanos(unixAtZero)
                    .sharedPayloads(sharedPayloads))
        .signer(new PayloadSigner(keyPairs.get(client.id())))
        .federation(coordinatorId, id -> Optional.ofNullable(keys.get(id)))
        .settings(settings)
        .state(s)
        .trainer(trainers.get(client.id()))
        .initialWeights(initialWeights)
        .randomness(GaussianSource.seeded(runSeed), seededKeyRandom(runSeed), runSeed)
        // The coin keeps the first life's seed, so a restart never redraws a round.
        .participationSeed(peerSeed ^ 0x5A3B1E5EEDL)
        .unixMillisAtZeroNanos(unixAtZero)
        .sharedVectors(sharedVectors)
        .build();
  }

  private List<PeerId> basketSeeds(PeerId self) {
    List<PeerId> same = new ArrayList<>(membersByDomain.get(baskets.get(self)));
    same.remove(self);
    return same;
  }

  // ---- fault injection ----

  /**
   * Crashes a client's node, as {@code kill -9} would: its objects are dropped without {@code
   * close()} (no leave message, nothing flushed that was not already written and fsynced), its file
   * handles and locks are released (the kernel does that for a killed process) and every frame to
   * or from it is lost until {@link #restart(Client)}. A torn write is not modelled: each state
   * file is written with write, fsync and rename, so the crash falls between two writes.
   *
   * @param client the client, which must be up
   */
  public void crash(Client client) {
    crashNode(client.id());
    peers.remove(client.id());
  }

  /**
   * Restarts a crashed client's node from its data directory (checkpoints, ledger, audit log), on
   * the same network endpoint, with fresh seeds for its gossip and noise, and rejoins its basket.
   *
   * @param client the client, which must be down
   */
  public void restart(Client client) {
    requireDown(client.id());
    restartsOf.merge(client.id(), 1, Integer::sum);
    try {
      BasketPeer peer = newPeer(client);
      peers.put(client.id(), peer);
      bringUp(client.id());
      peer.start(basketSeeds(client.id()), nowNanos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Crashes the coordinator as {@link #crash(Client)} crashes a peer; the federation stops
   * publishing until {@link #restartCoordinator()}.
   */
  public void crashCoordinator() {
    crashNode(coordinatorId);
  }

  /**
   * Restarts the crashed coordinator from its newest checkpoint, ledger and audit log, with a fresh
   * SecAgg+ session attempt number so that no session id is reused.
   */
  public void restartCoordinator() {
    requireDown(coordinatorId);
    int restarts = restartsOf.merge(coordinatorId, 1, Integer::sum);
    try {
      coordinator = newCoordinator(restarts);
      bringUp(coordinatorId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a node is up (not crashed).
   *
   * @param id a client's or the coordinator's id
   * @return false between a crash and its restart
   */
  public boolean isUp(PeerId id) {
    return !down.contains(id);
  }

  /**
   * Cuts every link between two sets of nodes, both directions, until {@link #uncut(String)} with
   * the same name; cuts are kept apart from crashes, so healing one never revives a crashed node.
   *
   * @param name the cut's name, unique among the cuts in place
   * @param a one side
   * @param b the other side
   */
  public void cut(String name, Set<PeerId> a, Set<PeerId> b) {
    if (cuts.putIfAbsent(name, new Cut(Set.copyOf(a), Set.copyOf(b))) != null) {
      throw new IllegalArgumentException("a cut named " + name + " is already in place");
    }
    network.partition(a, b);
  }

  /**
   * Removes a cut made by {@link #cut}; the other cuts and the crashed nodes stay cut off.
   *
   * @param name the cut's name
   */
  public void uncut(String name) {
    if (cuts.remove(name) == null) {
      throw new IllegalArgumentException("no cut named " + name + " is in place");
    }
    reapplyCuts();
  }

  /**
   * Runs a hook at every tick of virtual time, before the nodes do their work: a fault injector
   * (such as a flooding member sending through {@link #endpoint(Client)}) acts there.
   *
   * @param hook receives the time of the tick in nanoseconds
   */
  public void everyTick(LongConsumer hook) {
    stepHooks.add(Objects.requireNonNull(hook, "hook"));
  }

  /**
   * A client's network endpoint, for fault injectors that send what a misbehaving member would (its
   * frames carry the member's authenticated id, as under mutual TLS).
   *
   * @param client the client
   * @return its endpoint
   */
  public org.fedgossip.transport.Transport endpoint(Client client) {
    return transportOf.get(client.id());
  }

  /**
   * A node's durable state as opened by its current incarnation.
   *
   * @param id a client's or the coordinator's id
   * @return the state
   */
  public NodeState stateOf(PeerId id) {
    return stateOf.get(id);
  }

  private void crashNode(PeerId id) {
    if (!down.add(id)) {
      throw new IllegalStateException(id.shortString() + " is already down");
    }
    network.partition(Set.of(id), everyNodeBut(id));
    NodeState s = stateOf.remove(id);
    states.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void requireDown(PeerId id) {
    if (!down.contains(id)) {
      throw new IllegalStateException(id.shortString() + " is up; crash it before a restart");
    }
  }

  private void bringUp(PeerId id) {
    down.remove(id);
    reapplyCuts();
  }

  private void reapplyCuts() {
    network.heal();
    for (Cut c : cuts.values()) {
      network.partition(c.a(), c.b());
    }
    for (PeerId d : down) {
      network.partition(Set.of(d), everyNodeBut(d));
    }
  }

  private Set<PeerId> everyNodeBut(PeerId id) {
    Set<PeerId> all = new java.util.HashSet<>(clients.keySet());
    all.add(coordinatorId);
    all.remove(id);
    return all;
  }

  /**
   * Submits a client's local update for its current round; it is released at the next step.
   *
   * @param client the client
   * @param delta the delta
   * @param samples its sample count
   * @return completes with the round, or exceptionally (budget spent, second submission, shape)
   */
  public CompletionStage<Long> submitUpdate(Client client, float[] delta, long samples) {
    CompletionStage<Long> stage = peer(client).submitLocalUpdate(delta, samples);
    step();
    return stage;
  }

  /** Advances virtual time by one gossip interval, stepping every node and delivering messages. */
  public void runGossipRound() {
    runFor(gossip.gossipIntervalMs() * MS);
  }

  /**
   * Runs until the coordinator publishes a newer model, or for at most {@code maxNanos} of virtual
   * time, then three more gossip intervals so that the peers adopt it.
   *
   * @param maxNanos the bound
   * @return the new model, or empty when none came in time
   */
  public Optional<GlobalModel> maybeAggregate(long maxNanos) {
    Optional<GlobalModel> published = runUntilPublished(maxNanos);
    if (published.isPresent()) {
      runFor(gossip.gossipIntervalMs() * MS * 3);
    }
    return published;
  }

  /**
   * Runs until the coordinator publishes a newer model, or for at most {@code maxNanos} of virtual
   * time, and returns at once: the peers adopt the model as the federation runs on. A loop of these
   * calls steps exactly as one long {@link #runFor}, so a simulation's rounds do not depend on how
   * it is cut into calls, and nothing runs after the last model it waits for.
   *
   * @param maxNanos the bound
   * @return the new model, or empty when none came in time
   */
  public Optional<GlobalModel> runUntilPublished(long maxNanos) {
    long version = coordinator.model().version();
    long end = nowNanos + maxNanos;
    while (nowNanos < end) {
      step();
      if (coordinator.model().version() > version) {
        return Optional.of(coordinator.model());
      }
    }
    return Optional.empty();
  }

  /**
   * Runs for a span of virtual time.
   *
   * @param nanos the span
   */
  public void runFor(long nanos) {
    long end = nowNanos + nanos;
    while (nowNanos < end) {
      step();
    }
  }

  private void step() {
    nowNanos += TICK_NANOS;
    network.advanceTo(nowNanos);
    for (LongConsumer hook : stepHooks) {
      hook.accept(nowNanos);
    }
    if (!down.contains(coordinatorId)) {
      coordinator.doWork(nowNanos);
    }
    for (BasketPeer peer : peers.values()) {
      peer.doWork(nowNanos);
    }
    network.advanceTo(nowNanos);
  }

  /**
   * A client's peer.
   *
   * @param client the client
   * @return its peer
   */
  public BasketPeer peer(Client client) {
    BasketPeer peer = peers.get(client.id());
    if (peer == null) {
      throw new IllegalArgumentException("unknown client " + client.name());
    }
    return peer;
  }

  /**
   * A client's transport, for tests that send what a malicious member would.
   *
   * @param client the client
   * @return its endpoint on the in-memory network
   */
  InMemoryTransport transport(Client client) {
    return transportOf.get(client.id());
  }

  /**
   * The coordinator's id.
   *
   * @return the id
   */
  public PeerId coordinatorId() {
    return coordinatorId;
  }

  /**
   * A client's key pair, for tests that forge what a malicious member would send.
   *
   * @param client the client
   * @return its Ed25519 keys
   */
  KeyPair keyPair(Client client) {
    return keyPairs.get(client.id());
  }

  /**
   * The coordinator.
   *
   * @return the coordinator
   */
  public Coordinator coordinator() {
    return coordinator;
  }

  /**
   * The newest published model.
   *
   * @return the model
   */
  public GlobalModel globalModel() {
    return coordinator.model();
  }

  /**
   * The registered clients, in registration order.
   *
   * @return the clients
   */
  public List<Client> clients() {
    return List.copyOf(clients.values());
  }

  /**
   * The domains, sorted.
   *
   * @return the domains
   */
  public List<String> domains() {
    return List.copyOf(new TreeSet<>(baskets.values()));
  }

  /**
   * The network, to inject loss, delay or partitions.
   *
   * @return the network
   */
  public InMemoryNetwork network() {
    return network;
  }

  /**
   * Virtual time now.
   *
   * @return nanoseconds since the start
   */
  public long nowNanos() {
    return nowNanos;
  }

  @Override
  public void close() {
    peers.values().forEach(BasketPeer::close);
    transports.forEach(InMemoryTransport::close);
    for (NodeState s : states) {
      try {
        s.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static SecureRandom seededKeyRandom(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(BigInteger.valueOf(seed).toByteArray());
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is missing from this JDK", e);
    }
  }
}
