package org.fedgossip.core.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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
import org.fedgossip.transport.netty.FederationTls;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
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

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FederationClientAgent.class);

  private final NettyTransport transport;
  private final NodeState state;
  private final BasketPeer peer;
  private final Map<PeerId, InetSocketAddress> seeds;
  private final AgentRunner runner;
  private boolean started;

  private FederationClientAgent(Builder b) throws IOException {
    FederationFiles files =
        FederationFiles.load(
            b.keyFile,
            b.certificateFile,
            b.caCertificateFile,
            b.crlFile,
            b.rosterDirectory,
            Clock.systemUTC().instant());
    if (b.basket != null && !b.basket.equals(files.certificate().basket())) {
      throw new IllegalArgumentException(
          "the basket is set to '"
              + b.basket
              + "' but the certificate binds '"
              + files.certificate().basket()
              + "'");
    }
    FederationTls tls =
        FederationTls.fromFiles(
            b.caCertificateFile,
            b.crlFile,
            b.certificateFile,
            b.keyFile,
            Clock.systemUTC(),
            b.crlCheckInterval,
            b.tlsProvider);
    SecureRandom secure = new SecureRandom();
    this.transport =
        new NettyTransport(
            files.id(), b.listen, b.transportConfig, secure.nextLong(), tls.tlsConfig());
    this.seeds = Map.copyOf(b.seeds);
    this.state = NodeState.open(b.dataDirectory, b.settings);
    long unixAtZero = System.currentTimeMillis() - System.nanoTime() / 1_000_000L;
    BasketManager manager = new BasketManager(files.roster(), b.basketConfig);
    files.roster().peers().stream()
        .filter(p -> !p.equals(b.coordinator))
        .forEach(manager::register);
    transport.start();
    seeds.forEach(transport::addPeer);
    transport.addPeer(b.coordinator, b.coordinatorAddress);
    long gossipSeed = secure.nextLong();
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
            .unixMillisAtZeroNanos(unixAtZero)
            .build();
    this.runner =
        new AgentRunner(
            "fedgossip-peer-" + files.id().shortString(),
            peer::doWork,
            () -> reloadCrl(tls),
            b.crlCheckInterval.toNanos());
  }

  /**
   * Re-reads the CRL file; a newer CRL closes the open connections of the peers it revokes. A
   * damaged file is logged and the CRL in force stays.
   */
  static void reloadCrl(FederationTls tls) {
    try {
      if (tls.reloadCrl()) {
        LOG.info("installed CRL number {}", tls.crlNumber());
      }
    } catch (org.fedgossip.trust.TrustException e) {
      LOG.warn("the CRL file could not be reloaded; the current one stays: {}", e.getMessage());
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
    peer.start(seeds.keySet(), System.nanoTime());
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
  public static final class Builder {
    private Path keyFile;
    private Path certificateFile;
    private Path caCertificateFile;
    private Path crlFile;
    private Path rosterDirectory;
    private String basket;
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private final Map<PeerId, InetSocketAddress> seeds = new LinkedHashMap<>();
    private PeerId coordinator;
    private InetSocketAddress coordinatorAddress;
    private RuntimeSettings settings;
    private float[] initialWeights;
    private Path dataDirectory;
    private LocalTrainer trainer;
    private TransportConfig transportConfig = TransportConfig.defaults();
    private TlsProvider tlsProvider = TlsProvider.AUTO;
    private java.time.Duration crlCheckInterval = FederationTls.DEFAULT_CRL_CHECK_INTERVAL;
    private GossipConfig gossipConfig = GossipConfig.lan();
    private BasketConfig basketConfig = BasketConfig.defaults();

    private Builder() {}

    /**
     * The peer's key and certificate files.
     *
     * @param key {@code peer.key}, mode 600
     * @param certificate {@code peer.crt}
     * @return this builder
     */
    public Builder identity(Path key, Path certificate) {
      keyFile = Objects.requireNonNull(key, "peer.key");
      certificateFile = Objects.requireNonNull(certificate, "peer.crt");
      return this;
    }

    /**
     * The federation's CA certificate, its CRL and the roster directory.
     *
     * @param caCertificate {@code ca.crt}
     * @param crl {@code ca.crl}
     * @param roster a directory of every member's {@code *.crt}
     * @return this builder
     */
    public Builder federation(Path caCertificate, Path crl, Path roster) {
      caCertificateFile = Objects.requireNonNull(caCertificate, "peer.caCrt");
      crlFile = Objects.requireNonNull(crl, "peer.crl");
      rosterDirectory = Objects.requireNonNull(roster, "peer.roster");
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
     * Where the peer accepts connections (default 127.0.0.1, a free port).
     *
     * @param value the address
     * @return this builder
     */
    public Builder listen(InetSocketAddress value) {
      listen = Objects.requireNonNull(value, "peer.listen");
      return this;
    }

    /**
     * A basket member to contact at start.
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
     * Privacy, aggregation and round settings.
     *
     * @param value the settings
     * @return this builder
     */
    public Builder settings(RuntimeSettings value) {
      settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /**
     * Model version 0, identical on every process of the federation.
     *
     * @param value the weights; copied
     * @return this builder
     */
    public Builder initialWeights(float[] value) {
      initialWeights = Objects.requireNonNull(value, "initialWeights").clone();
      return this;
    }

    /**
     * The data directory: checkpoints, privacy ledger, audit log.
     *
     * @param value the directory
     * @return this builder
     */
    public Builder dataDirectory(Path value) {
      dataDirectory = Objects.requireNonNull(value, "peer.dataDir");
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
     * How often the CRL file is re-read (default 10 s); a newer CRL closes the open connections of
     * the peers it revokes.
     *
     * @param value a positive interval
     * @return this builder
     */
    public Builder crlCheckInterval(java.time.Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("the CRL check interval must be positive, got " + value);
      }
      crlCheckInterval = value;
      return this;
    }

    /**
     * Transport settings and the TLS engine.
     *
     * @param config the settings
     * @param provider the engine
     * @return this builder
     */
    public Builder transport(TransportConfig config, TlsProvider provider) {
      transportConfig = Objects.requireNonNull(config, "transport");
      tlsProvider = Objects.requireNonNull(provider, TlsProvider.KEY);
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
      Object[][] required = {
        {keyFile, "identity"},
        {caCertificateFile, "federation"},
        {coordinator, "coordinator"},
        {settings, "settings"},
        {initialWeights, "initialWeights"},
        {dataDirectory, "dataDirectory"}
      };
      for (Object[] r : required) {
        if (r[0] == null) {
          throw new IllegalStateException("the agent needs its " + r[1] + " set before build()");
        }
      }
      return new FederationClientAgent(this);
    }
  }
}
