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
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.fedgossip.basket.BasketConfig;
import org.fedgossip.basket.BasketManager;
import org.fedgossip.basket.CertificateRoster;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.gossip.GossipConfig;
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

  /** Where a registered client stands: its id, name and domain (basket). */
  public record Client(PeerId id, String name, String domain) {}

  private static final long MS = 1_000_000L;
  private static final long TICK_NANOS = 10 * MS;

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
  private final KeyPair coordinatorKeys;
  private final PeerId coordinatorId;
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
    X509Certificate cert =
        ca.issue(
            pair.getPublic(), name, domain, epoch.minus(Duration.ofDays(1)), Duration.ofDays(3650));
    roster.admit(cert, validator, epoch);
    keys.put(id, pair.getPublic());
    baskets.put(id, domain);
    keyPairs.put(id, pair);
    if (trainer != null) {
      trainers.put(id, trainer);
    }
    Client client = new Client(id, name, domain);
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
    network = new InMemoryNetwork(seed, link);
    BasketManager manager = new BasketManager(roster, BasketConfig.simulation());
    clients.keySet().forEach(manager::register);
    long unixAtZero = epoch.toEpochMilli();
    Map<String, Integer> basketSizes = new HashMap<>();
    baskets.values().forEach(b -> basketSizes.merge(b, 1, Integer::sum));
    try {
      InMemoryTransport ct = network.endpoint(coordinatorId);
      transports.add(ct);
      NodeState cs = NodeState.open(directory.resolve("coordinator"), settings);
      states.add(cs);
      coordinator =
          Coordinator.builder()
              .transport(ct)
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
              .randomness(GaussianSource.seeded(seed ^ 0x5EED), 0)
              .unixMillisAtZeroNanos(unixAtZero)
              .build();
      ct.start();
      int index = 0;
      for (Client client : clients.values()) {
        InMemoryTransport t = network.endpoint(client.id());
        transports.add(t);
        transportOf.put(client.id(), t);
        t.start();
        NodeState s = NodeState.open(directory.resolve("peers").resolve(client.name()), settings);
        states.add(s);
        long peerSeed = seed * 1_000_003L + index++;
        BasketPeer peer =
            BasketPeer.builder()
                .transport(t)
                .membership(manager, validator)
                .gossip(
                    b ->
                        b.config(gossip)
                            .random(new SplittableRandom(peerSeed))
                            .unixMillisAtZeroNanos(unixAtZero))
                .signer(new PayloadSigner(keyPairs.get(client.id())))
                .federation(coordinatorId, id -> Optional.ofNullable(keys.get(id)))
                .settings(settings)
                .state(s)
                .trainer(trainers.get(client.id()))
                .initialWeights(initialWeights)
                .randomness(GaussianSource.seeded(peerSeed), seededKeyRandom(peerSeed), peerSeed)
                .participationSeed(peerSeed ^ 0x5A3B1E5EEDL)
                .unixMillisAtZeroNanos(unixAtZero)
                .build();
        peers.put(client.id(), peer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (BasketPeer peer : peers.values()) {
      List<PeerId> same = new ArrayList<>();
      for (Client other : clients.values()) {
        if (!other.id().equals(peer.id()) && other.domain().equals(baskets.get(peer.id()))) {
          same.add(other.id());
        }
      }
      peer.start(same, nowNanos);
    }
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
   * time.
   *
   * @param maxNanos the bound
   * @return the new model, or empty when none came in time
   */
  public Optional<GlobalModel> maybeAggregate(long maxNanos) {
    long version = coordinator.model().version();
    long end = nowNanos + maxNanos;
    while (nowNanos < end) {
      step();
      if (coordinator.model().version() > version) {
        runFor(gossip.gossipIntervalMs() * MS * 3);
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
    coordinator.doWork(nowNanos);
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
