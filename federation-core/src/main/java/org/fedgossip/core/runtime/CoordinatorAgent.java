package org.fedgossip.core.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.transport.netty.FederationTls;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;

/**
 * The coordinator as a service: a {@link Coordinator} over mutual-TLS Netty with its own agent
 * thread, its state (checkpoints, the federation's privacy ledger, the audit log) in a data
 * directory. A restart resumes from the newest checkpoint and the ledger.
 */
public final class CoordinatorAgent implements AutoCloseable {

  private final NettyTransport transport;
  private final NodeState state;
  private final Coordinator coordinator;
  private final AgentRunner runner;
  private final java.util.Set<java.nio.file.Path> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private CoordinatorAgent(Builder b) throws IOException {
    FederationFiles files =
        FederationFiles.load(
            b.keyFile,
            b.certificateFile,
            b.caCertificateFile,
            b.crlFile,
            b.rosterDirectory,
            Clock.systemUTC().instant());
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
    this.state = NodeState.open(b.dataDirectory, b.settings);
    String own = files.certificate().basket();
    int baskets = files.baskets(own).size();
    if (baskets < 1) {
      throw new IllegalArgumentException(
          "peer.roster holds no basket other than the coordinator's own ('" + own + "')");
    }
    long unixAtZero = System.currentTimeMillis() - System.nanoTime() / 1_000_000L;
    this.coordinator =
        Coordinator.builder()
            .transport(transport)
            .signer(new PayloadSigner(files.keys()))
            .federation(
                files::key, p -> files.basket(p).filter(basket -> !basket.equals(own)), baskets)
            .settings(b.settings)
            .state(state)
            .initialWeights(b.initialWeights)
            .evaluator(b.evaluator)
            .randomness(GaussianSource.secure(secure), secure.nextInt(1000))
            .unixMillisAtZeroNanos(unixAtZero)
            .build();
    transport.start();
    this.runner =
        new AgentRunner(
            "fedgossip-coordinator-" + files.id().shortString(),
            coordinator::doWork,
            () -> {
              FederationClientAgent.reloadCrl(tls);
              AdminRequests.deregistrations(b.dataDirectory, coordinator, pending);
            },
            b.crlCheckInterval.toNanos());
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the agent thread. */
  public void start() {
    runner.start();
  }

  /**
   * Registers a listener for every model published, called on the agent thread.
   *
   * @param listener must not block
   */
  public void onGlobalModel(Consumer<GlobalModel> listener) {
    coordinator.onGlobalModel(listener);
  }

  /**
   * The status.
   *
   * @return the status
   */
  public NodeStatus status() {
    return coordinator.status();
  }

  /**
   * The counters, for a metrics exporter.
   *
   * @return the counters
   */
  public RuntimeCounters counters() {
    return coordinator.counters();
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
   * The coordinator's id.
   *
   * @return the id
   */
  public PeerId id() {
    return transport.localId();
  }

  /** Stops the agent thread, then closes the transport and the state. */
  @Override
  public void close() throws IOException {
    runner.close();
    coordinator.close();
    transport.close();
    state.close();
  }

  /** Collects the coordinator's settings. */
  public static final class Builder {
    private Path keyFile;
    private Path certificateFile;
    private Path caCertificateFile;
    private Path crlFile;
    private Path rosterDirectory;
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private RuntimeSettings settings;
    private float[] initialWeights;
    private Path dataDirectory;
    private Function<float[], Evaluation> evaluator;
    private TransportConfig transportConfig = TransportConfig.defaults();
    private TlsProvider tlsProvider = TlsProvider.AUTO;
    private java.time.Duration crlCheckInterval = FederationTls.DEFAULT_CRL_CHECK_INTERVAL;

    private Builder() {}

    /**
     * The coordinator's key and certificate files.
     *
     * @param key {@code peer.key}
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
     * Where the coordinator accepts connections.
     *
     * @param value the address
     * @return this builder
     */
    public Builder listen(InetSocketAddress value) {
      listen = Objects.requireNonNull(value, "peer.listen");
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
     * Model version 0.
     *
     * @param value the weights; copied
     * @return this builder
     */
    public Builder initialWeights(float[] value) {
      initialWeights = Objects.requireNonNull(value, "initialWeights").clone();
      return this;
    }

    /**
     * The data directory.
     *
     * @param value the directory
     * @return this builder
     */
    public Builder dataDirectory(Path value) {
      dataDirectory = Objects.requireNonNull(value, "peer.dataDir");
      return this;
    }

    /**
     * Evaluates each published model on held-out data; optional.
     *
     * @param value the evaluator, or null
     * @return this builder
     */
    public Builder evaluator(Function<float[], Evaluation> value) {
      evaluator = value;
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
     * Loads the files, binds the transport and opens the state; call {@link #start()} next.
     *
     * @return the agent
     * @throws IOException when the state cannot be opened
     * @throws IllegalStateException naming a missing setting
     */
    public CoordinatorAgent build() throws IOException {
      Object[][] required = {
        {keyFile, "identity"},
        {caCertificateFile, "federation"},
        {settings, "settings"},
        {initialWeights, "initialWeights"},
        {dataDirectory, "dataDirectory"}
      };
      for (Object[] r : required) {
        if (r[0] == null) {
          throw new IllegalStateException(
              "the coordinator needs its " + r[1] + " set before build()");
        }
      }
      return new CoordinatorAgent(this);
    }
  }
}
