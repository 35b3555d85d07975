package org.fedgossip.core.runtime;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.fedgossip.transport.netty.FederationTls;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every networked agent shares, peer or coordinator: its identity files, the
 * federation's CA, CRL and roster, where it listens, the round settings, model version 0, its data
 * directory, the transport, and its clocks.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class AgentBuilder<B extends AgentBuilder<B>> {

  private static final Logger LOG = LoggerFactory.getLogger(AgentBuilder.class);

  Path keyFile;
  Path certificateFile;
  Path caCertificateFile;
  Path crlFile;
  Path rosterDirectory;
  InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
  RuntimeSettings settings;
  float[] initialWeights;
  Path dataDirectory;
  TransportConfig transportConfig = TransportConfig.defaults();
  TlsProvider tlsProvider = TlsProvider.AUTO;
  Duration crlCheckInterval = FederationTls.DEFAULT_CRL_CHECK_INTERVAL;
  Clock clock = Clock.systemUTC();
  LongSupplier nanoTime = System::nanoTime;

  AgentBuilder() {}

  abstract B self();

  /**
   * The key and certificate files.
   *
   * @param key {@code peer.key}, mode 600
   * @param certificate {@code peer.crt}
   * @return this builder
   */
  public B identity(Path key, Path certificate) {
    keyFile = Objects.requireNonNull(key, "peer.key");
    certificateFile = Objects.requireNonNull(certificate, "peer.crt");
    return self();
  }

  /**
   * The federation's CA certificate, its CRL and the roster directory.
   *
   * @param caCertificate {@code ca.crt}
   * @param crl {@code ca.crl}
   * @param roster a directory of every member's {@code *.crt}
   * @return this builder
   */
  public B federation(Path caCertificate, Path crl, Path roster) {
    caCertificateFile = Objects.requireNonNull(caCertificate, "peer.caCrt");
    crlFile = Objects.requireNonNull(crl, "peer.crl");
    rosterDirectory = Objects.requireNonNull(roster, "peer.roster");
    return self();
  }

  /**
   * Where the agent accepts connections (default 127.0.0.1, a free port).
   *
   * @param value the address
   * @return this builder
   */
  public B listen(InetSocketAddress value) {
    listen = Objects.requireNonNull(value, "peer.listen");
    return self();
  }

  /**
   * Privacy, aggregation and round settings.
   *
   * @param value the settings
   * @return this builder
   */
  public B settings(RuntimeSettings value) {
    settings = Objects.requireNonNull(value, "settings");
    return self();
  }

  /**
   * Model version 0, identical on every process of the federation.
   *
   * @param value the weights; copied
   * @return this builder
   */
  public B initialWeights(float[] value) {
    initialWeights = Objects.requireNonNull(value, "initialWeights").clone();
    return self();
  }

  /**
   * The data directory: checkpoints, privacy ledger, audit log.
   *
   * @param value the directory
   * @return this builder
   */
  public B dataDirectory(Path value) {
    dataDirectory = Objects.requireNonNull(value, "peer.dataDir");
    return self();
  }

  /**
   * Transport settings and the TLS engine.
   *
   * @param config the settings
   * @param provider the engine
   * @return this builder
   */
  public B transport(TransportConfig config, TlsProvider provider) {
    transportConfig = Objects.requireNonNull(config, "transport");
    tlsProvider = Objects.requireNonNull(provider, TlsProvider.KEY);
    return self();
  }

  /**
   * How often the CRL file is re-read (default 10 s); a newer CRL closes the open connections of
   * the peers it revokes.
   *
   * @param value a positive interval
   * @return this builder
   */
  public B crlCheckInterval(Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("the CRL check interval must be positive, got " + value);
    }
    crlCheckInterval = value;
    return self();
  }

  /**
   * The clocks (default: the system's): the wall clock for certificate checks and timestamps, and
   * the monotonic nanosecond clock the agent is stepped with.
   *
   * @param wall the wall clock
   * @param monotonicNanos the monotonic clock
   * @return this builder
   */
  public B clock(Clock wall, LongSupplier monotonicNanos) {
    clock = Objects.requireNonNull(wall, "wall");
    nanoTime = Objects.requireNonNull(monotonicNanos, "monotonicNanos");
    return self();
  }

  /** Checks the settings every agent needs, naming the first one missing. */
  void requireCommon(String who) {
    Object[][] required = {
      {keyFile, "identity"},
      {caCertificateFile, "federation"},
      {settings, "settings"},
      {initialWeights, "initialWeights"},
      {dataDirectory, "dataDirectory"}
    };
    for (Object[] r : required) {
      if (r[0] == null) {
        throw new IllegalStateException(who + " needs its " + r[1] + " set before build()");
      }
    }
    if (initialWeights.length != settings.dimension()) {
      throw new IllegalArgumentException(
          "initialWeights has "
              + initialWeights.length
              + " values; the settings say dimension "
              + settings.dimension());
    }
  }

  /** What the files give: identity and roster, mutual TLS, and a transport (not started). */
  record Parts(
      FederationFiles files,
      FederationTls tls,
      NettyTransport transport,
      SecureRandom secure,
      long unixMillisAtZeroNanos) {}

  Parts open() {
    FederationFiles files =
        FederationFiles.load(
            keyFile, certificateFile, caCertificateFile, crlFile, rosterDirectory, clock.instant());
    FederationTls tls =
        FederationTls.fromFiles(
            caCertificateFile,
            crlFile,
            certificateFile,
            keyFile,
            clock,
            crlCheckInterval,
            tlsProvider);
    SecureRandom secure = new SecureRandom();
    NettyTransport transport =
        new NettyTransport(files.id(), listen, transportConfig, secure.nextLong(), tls.tlsConfig());
    long unixAtZero = clock.millis() - nanoTime.getAsLong() / 1_000_000L;
    return new Parts(files, tls, transport, secure, unixAtZero);
  }

  AgentRunner runner(
      String name, java.util.function.LongToIntFunction agent, FederationTls tls, Runnable extra) {
    return new AgentRunner(
        name,
        agent,
        nanoTime,
        () -> {
          reloadCrl(tls);
          extra.run();
        },
        crlCheckInterval.toNanos());
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
}
