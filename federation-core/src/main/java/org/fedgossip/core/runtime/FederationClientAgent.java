package org.fedgossip.core.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.fedgossip.basket.BasketConfig;
import org.fedgossip.basket.BasketManager;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;

/**
 * The embedding API: one basket peer inside any JVM application, over mutual-TLS Netty, with its
 * own agent thread. Hand it local updates, get global models back.
 *
 * <pre>{@code
 * try (FederationClientAgent agent =
 *     FederationClientAgent.builder()
 *         .identity(dir.resolve("keys/peer.key"), dir.resolve("keys/peer.crt"))
 *         .federation(caCrt, caCrl, rosterDir)
 *         .listen(new InetSocketAddress("127.0.0.1", 7401))
 *         .seed(otherMember, new InetSocketAddress("127.0.0.1", 7402))
 *         .coordinator(coordinatorId, new InetSocketAddress("127.0.0.1", 7400))
 *         .settings(RuntimeSettings.defaults(weights.length))
 *         .initialWeights(weights)
 *         .dataDirectory(dir.resolve("data"))
 *         .build()) {
 *   agent.onGlobalModel(model -> weights = model.weights());
 *   agent.start();
 *   agent.submitLocalUpdate(delta, samples).toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>The peer's basket is the one its certificate names. Its data directory keeps its checkpoints,
 * its privacy ledger and its audit log, so a restarted application resumes its model version and
 * its spent budget.
 */
public final class FederationClientAgent implements AutoCloseable {

  private final NettyTransport transport;
  private final NodeState state;
  private final BasketPeer peer;
  private final Map<PeerId, InetSocketAddress> seeds;
  private final AgentRunner runner;
  private final java.util.function.LongSupplier nanoTime;
  private boolean started;

  private FederationClientAgent(Builder b) throws IOException {
    AgentBuilder.Parts parts = b.open();
    FederationFiles files = parts.files();
    if (b.basket != null && !b.basket.equals(files.certificate().basket())) {
      throw new IllegalArgumentException(
          "the basket is set to '"
              + b.basket
              + "' but the certificate binds '"
              + files.certificate().basket()
              + "'");
    }
    this.transport = parts.transport();
    this.nanoTime = b.nanoTime;
    // A seed naming this peer itself is left out: every member of a basket may then share one
    // seed list (the members of a Kubernetes StatefulSet share one ConfigMap).
    Map<PeerId, InetSocketAddress> others = new LinkedHashMap<>(b.seeds);
    others.remove(files.id());
    this.seeds = Map.copyOf(others);
    this.state = NodeState.open(b.dataDirectory, b.settings);
    BasketManager manager = new BasketManager(files.roster(), b.basketConfig);
    files.roster().peers().stream()
        .filter(p -> !p.equals(b.coordinator))
        .forEach(manager::register);
    transport.start();
    seeds.forEach(transport::addPeer);
    transport.addPeer(b.coordinator, b.coordinatorAddress);
    SecureRandom secure = parts.secure();
    long gossipSeed = secure.nextLong();
    long unixAtZero = parts.unixMillisAtZeroNanos();
    this.peer =
        BasketPeer.builder()
            .transport(transport)
            .membership(manager, files.validator())
            .gossip(
                g ->
                    g.config(b.gossipConfig)
                        .random(new SplittableRandom(gossipSeed))
                        .unixMillisAtZeroNanos(unixAtZero))
            .signer(new PayloadSigner(files.keys()))
            .federation(b.coordinator, files::key)
            .settings(b.settings)
            .state(state)
            .trainer(b.trainer)
            .initialWeights(b.initialWeights)
            .randomness(GaussianSource.secure(secure), secure, secure.nextLong())
            .participationSeed(participationSeed(files.keys()))
            .unixMillisAtZeroNanos(unixAtZero)
            .build();
    this.runner =
        b.runner("fedgossip-peer-" + files.id().shortString(), peer::doWork, parts.tls(), () -> {});
  }

  /**
   * The secret seed of the peer's participation coin: SHA-256 of a domain tag and the peer's
   * private key, so it is secret, and the same after a restart (a round sat out is never redrawn).
   */
  private static long participationSeed(java.security.KeyPair keys) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update("fedgossip/participation/".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update(keys.getPrivate().getEncoded());
      return java.nio.ByteBuffer.wrap(sha.digest()).getLong();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Joins the basket through the seeds and starts the agent thread. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the agent is already started");
    }
    started = true;
    peer.start(seeds.keySet(), nanoTime.getAsLong());
    runner.start();
  }

  /**
   * Releases a local update for the current round: clipped, charged and noised (if local noise is
   * on), signed and gossiped.
   *
   * @param delta the model delta
   * @param samples the number of local samples behind it
   * @return completes with the round, or exceptionally (budget spent, a second submission in the
   *     round, a wrong dimension)
   */
  public CompletionStage<Long> submitLocalUpdate(float[] delta, long samples) {
    return peer.submitLocalUpdate(delta, samples);
  }

  /**
   * Registers a listener for every global model adopted, called on the agent thread.
   *
   * @param listener must not block
   */
  public void onGlobalModel(Consumer<GlobalModel> listener) {
    peer.onGlobalModel(listener);
  }

  /**
   * ε spent by this peer's releases, from its durable ledger.
   *
   * @return ε
   */
  public double privacySpent() {
    return peer.privacySpent();
  }

  /**
   * The peer's status.
   *
   * @return the status
   */
  public NodeStatus status() {
    return peer.status();
  }

  /**
   * The peer's counters, for a metrics exporter.
   *
   * @return the counters
   */
  public RuntimeCounters counters() {
    return peer.counters();
  }

  /**
   * The peer itself, for its gossip counters and trust scores.
   *
   * @return the peer
   */
  public BasketPeer peer() {
    return peer;
  }

  /**
   * The transport, for its counters and bound address.
   *
   * @return the transport
   */
  public NettyTransport transport() {
    return transport;
  }

  /**
   * The peer's id.
   *
   * @return the id
   */
  public PeerId id() {
    return peer.id();
  }

  /** Stops the agent thread, then closes the peer, the transport and the state, in that order. */
  @Override
  public void close() throws IOException {
    runner.close();
    peer.close();
    transport.close();
    state.close();
  }

  /** Collects the agent's settings; {@link #build()} checks that every required one is set. */
  public static final class Builder extends AgentBuilder<Builder> {
    private String basket;
    private final Map<PeerId, InetSocketAddress> seeds = new LinkedHashMap<>();
    private PeerId coordinator;
    private InetSocketAddress coordinatorAddress;
    private LocalTrainer trainer;
    private GossipConfig gossipConfig = GossipConfig.lan();
    private BasketConfig basketConfig = BasketConfig.defaults();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * The basket this peer expects its certificate to bind; optional, checked at build.
     *
     * @param value the basket
     * @return this builder
     */
    public Builder basket(String value) {
      basket = Objects.requireNonNull(value, "basket");
      return this;
    }

    /**
     * A basket member to contact at start. A seed with this peer's own id is ignored, so that the
     * members of a basket can share one seed list.
     *
     * @param id its id
     * @param address where it listens
     * @return this builder
     */
    public Builder seed(PeerId id, InetSocketAddress address) {
      seeds.put(Objects.requireNonNull(id, "seed id"), Objects.requireNonNull(address, "seed"));
      return this;
    }

    /**
     * The coordinator.
     *
     * @param id its id
     * @param address where it listens
     * @return this builder
     */
    public Builder coordinator(PeerId id, InetSocketAddress address) {
      coordinator = Objects.requireNonNull(id, "coordinator id");
      coordinatorAddress = Objects.requireNonNull(address, "peer.coordinator");
      return this;
    }

    /**
     * A trainer the peer runs once per round by itself; optional.
     *
     * @param value the trainer, or null
     * @return this builder
     */
    public Builder trainer(LocalTrainer value) {
      trainer = value;
      return this;
    }

    /**
     * Gossip and basket settings (defaults: the LAN presets).
     *
     * @param gossip the gossip settings
     * @param baskets the delegate-election settings
     * @return this builder
     */
    public Builder gossip(GossipConfig gossip, BasketConfig baskets) {
      gossipConfig = Objects.requireNonNull(gossip, "gossip");
      basketConfig = Objects.requireNonNull(baskets, "basket");
      return this;
    }

    /**
     * Loads the files, binds the transport and opens the state; call {@link #start()} next.
     *
     * @return the agent
     * @throws IOException when the state cannot be opened
     * @throws IllegalStateException naming a missing setting
     */
    public FederationClientAgent build() throws IOException {
      requireCommon("the agent");
      if (coordinator == null) {
        throw new IllegalStateException("the agent needs its coordinator set before build()");
      }
      return new FederationClientAgent(this);
    }
  }
}
