package org.fedgossip.cli.daemon;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessBufferConfig;
import org.fedgossip.core.buffer.StalenessDecay;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.state.CheckpointConfig;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated configuration of one daemon process: a {@code peer.properties} file, overlaid by
 * {@code FEDGOSSIP_*} environment variables and by command-line settings.
 *
 * <p>Precedence, highest first: command line ({@code --set key=value}), environment, file, the
 * key's default ({@link ConfigKeys}). An empty value at any layer resets the key to its default.
 * Every value is parsed and range-checked at load, and the configs of the lower modules are built
 * once, so that a bad value fails at start with a message naming the key, the value and the allowed
 * range, never later inside the runtime. An unknown key in the file or on the command line is an
 * error naming the closest known key; an unknown {@code FEDGOSSIP_*} variable is only logged, since
 * the environment also carries the launcher's own variables (such as {@code FEDGOSSIP_JAVA_OPTS}).
 *
 * <p>Relative paths from the file (and the default paths) resolve against the file's directory;
 * relative paths from the environment or the command line resolve against the working directory,
 * where the operator typed them. Instances are immutable.
 */
public final class PeerConfig {

  private static final Logger LOG = LoggerFactory.getLogger(PeerConfig.class);

  /** Variables with the {@code FEDGOSSIP_} prefix that belong to the launcher, not to keys. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("FEDGOSSIP_JAVA_OPTS");

  /**
   * The largest configuration file read, 1 MiB: a {@code peer.properties} holds a few dozen keys,
   * so anything larger is a wrong file, refused before it is read.
   */
  public static final long MAX_FILE_BYTES = 1 << 20;

  /** Where a value came from. */
  public enum Source {
    /** The key's registered default. */
    DEFAULT,
    /** The properties file. */
    FILE,
    /** A {@code FEDGOSSIP_*} environment variable. */
    ENVIRONMENT,
    /** A command-line setting. */
    COMMAND_LINE
  }

  /** One key's effective value. */
  private record Setting(String raw, Object value, Source source) {}

  private final Path file;
  private final Path baseDir;
  private final Path workingDir;
  private final Map<String, Setting> settings;

  private PeerConfig(Path file, Path baseDir, Path workingDir, Map<String, Setting> settings) {
    this.file = file;
    this.baseDir = baseDir;
    this.workingDir = workingDir;
    this.settings = settings;
  }

  /**
   * Loads and fully validates a configuration, including the keys its role requires.
   *
   * @param file the properties file (UTF-8), or null to use defaults, environment and overrides
   *     only
   * @param environment the process environment ({@code System.getenv()}, or a map in tests)
   * @param overrides command-line settings, key to value
   * @return the configuration
   * @throws ConfigException naming the key, the value and the allowed values
   */
  public static PeerConfig load(
      Path file, Map<String, String> environment, Map<String, String> overrides) {
    PeerConfig config = read(file, environment, overrides);
    config.checkRequired();
    return config;
  }

  /**
   * Loads and validates every value but does not require the role's keys: enough for tools such as
   * {@code fedgossip status} that need only a few keys of a daemon's file.
   *
   * @param file the properties file (UTF-8), or null
   * @param environment the process environment
   * @param overrides command-line settings, key to value
   * @return the configuration
   * @throws ConfigException naming the key, the value and the allowed values
   */
  public static PeerConfig read(
      Path file, Map<String, String> environment, Map<String, String> overrides) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(overrides, "overrides");
    Path workingDir = Path.of("").toAbsolutePath();
    Path base = workingDir;
    Map<String, String> fromFile = Map.of();
    if (file != null) {
      Path absolute = file.toAbsolutePath().normalize();
      base = absolute.getParent() == null ? workingDir : absolute.getParent();
      fromFile = readProperties(absolute);
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.all()) {
      if (key.defaultValue() != null) {
        settings.put(key.name(), parse(key, key.defaultValue(), Source.DEFAULT, "default"));
      }
    }
    String fileName = file == null ? "" : file.toString();
    for (Map.Entry<String, String> e : fromFile.entrySet()) {
      ConfigKey key = known(e.getKey(), "in " + fileName);
      apply(settings, key, e.getValue(), Source.FILE, "in " + fileName);
    }
    Map<String, ConfigKey> byEnv = new HashMap<>();
    for (ConfigKey key : ConfigKeys.all()) {
      byEnv.put(key.envName(), key);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ConfigKey.ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
        continue;
      }
      ConfigKey key = byEnv.get(name);
      if (key == null) {
        LOG.warn("Ignoring environment variable {}: it names no configuration key", name);
        continue;
      }
      apply(settings, key, e.getValue(), Source.ENVIRONMENT, "environment variable " + name);
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      ConfigKey key = known(e.getKey(), "in --set");
      apply(settings, key, e.getValue(), Source.COMMAND_LINE, "--set");
    }
    PeerConfig config =
        new PeerConfig(file, base, workingDir, Collections.unmodifiableMap(settings));
    config.checkConsistent();
    return config;
  }

  /**
   * Parses {@code key=value} command-line settings, in order; a later setting of a key wins.
   *
   * @param assignments the settings as typed
   * @return key to value
   * @throws ConfigException if one has no {@code =} or an empty key
   */
  public static Map<String, String> parseAssignments(List<String> assignments) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            null, "--set '" + a + "' is not key=value (for example --set metrics.port=9400)");
      }
      map.put(a.substring(0, eq).strip(), a.substring(eq + 1));
    }
    return map;
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigException(
            null,
            "configuration file "
                + file
                + " has "
                + size
                + " bytes; at most "
                + MAX_FILE_BYTES
                + " are read (is it the right file?)");
      }
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException(
          null, "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          null, "configuration file " + file + " is malformed: " + e.getMessage(), e);
    }
    Map<String, String> map = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      map.put(name, p.getProperty(name));
    }
    return map;
  }

  private static ConfigKey known(String name, String where) {
    return ConfigKeys.find(name)
        .orElseThrow(
            () ->
                new ConfigException(
                    name,
                    "unknown key '"
                        + name
                        + "' "
                        + where
                        + "; did you mean '"
                        + ConfigKeys.closest(name)
                        + "'? ('fedgossip peer --list-keys' lists every key)"));
  }

  private static void apply(
      Map<String, Setting> settings, ConfigKey key, String raw, Source source, String where) {
    String v = raw == null ? "" : raw.strip();
    if (v.isEmpty()) {
      settings.remove(key.name());
      if (key.defaultValue() != null) {
        settings.put(key.name(), parse(key, key.defaultValue(), Source.DEFAULT, "default"));
      }
      return;
    }
    settings.put(key.name(), parse(key, v, source, where));
  }

  private static Setting parse(ConfigKey key, String raw, Source source, String where) {
    if (raw.isEmpty()) {
      return new Setting(raw, key.parser().apply(raw), source);
    }
    return new Setting(raw, key.parse(raw, where), source);
  }

  /** Builds every lower-module config once, so contradictions between keys fail at load. */
  private void checkConsistent() {
    gossipConfig();
    transportConfig();
    privacyBudget();
    ruleSpec();
    stalenessBufferConfig();
    checkpointConfig();
    if (isSet("secagg.threshold") && isSet("secagg.neighbours")) {
      int t = intValue("secagg.threshold");
      int k = intValue("secagg.neighbours");
      if (t > k) {
        throw new ConfigException(
            "secagg.threshold",
            "secagg.threshold = " + t + " must be at most secagg.neighbours = " + k);
      }
    }
    pair("trainer.trainImages", "trainer.trainLabels");
    pair("trainer.evalImages", "trainer.evalLabels");
    exclusive("trainer.trainCsv", "trainer.trainImages");
    exclusive("trainer.evalCsv", "trainer.evalImages");
  }

  private void pair(String a, String b) {
    if (isSet(a) != isSet(b)) {
      String missing = isSet(a) ? b : a;
      String present = isSet(a) ? a : b;
      throw new ConfigException(
          missing, missing + " is required with " + present + " (" + where(present) + ")");
    }
  }

  private void exclusive(String a, String b) {
    if (isSet(a) && isSet(b)) {
      throw new ConfigException(
          a,
          a
              + " ("
              + where(a)
              + ") and "
              + b
              + " ("
              + where(b)
              + ") are both set; set only one: CSV data or IDX data");
    }
  }

  /** Checks the keys the role requires. */
  private void checkRequired() {
    Role role = role();
    for (ConfigKey key : ConfigKeys.all()) {
      if (key.requiredFor().contains(role) && !isSet(key.name())) {
        throw new ConfigException(
            key.name(),
            "missing required key "
                + key.name()
                + " for peer.role="
                + role.configName()
                + " ("
                + key.doc()
                + "; allowed: "
                + key.allowed()
                + "; environment: "
                + key.envName()
                + ")");
      }
    }
    if (role == Role.PEER && !isSet("trainer.trainCsv") && !isSet("trainer.trainImages")) {
      throw new ConfigException(
          "trainer.trainImages",
          "missing training data for peer.role=peer: set trainer.trainImages and"
              + " trainer.trainLabels (IDX) or trainer.trainCsv (CSV)");
    }
    if (role == Role.COORDINATOR
        && !isSet("trainer.evalCsv")
        && !isSet("trainer.evalImages")
        && !(isSet("trainer.features") && isSet("trainer.classes"))) {
      throw new ConfigException(
          "trainer.features",
          "a coordinator without evaluation data (trainer.evalImages/trainer.evalLabels or"
              + " trainer.evalCsv) needs trainer.features and trainer.classes to build the model");
    }
  }

  /**
   * Returns the properties file this configuration was read from.
   *
   * @return the file, or empty if none was given
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * Tells whether a key has a value: set by some layer, or a registered default.
   *
   * @param key a registered key
   * @return true if {@link #string} would return a value
   */
  public boolean isSet(String key) {
    ConfigKeys.get(key);
    return settings.containsKey(key);
  }

  /**
   * Returns where a key's value came from.
   *
   * @param key a registered key
   * @return the source, or empty if the key is unset
   */
  public Optional<Source> source(String key) {
    ConfigKeys.get(key);
    return Optional.ofNullable(settings.get(key)).map(Setting::source);
  }

  /**
   * Returns every key that has a value with its raw text, in registry order: the effective
   * configuration, for logs and {@code /status}.
   *
   * @return key to raw value
   */
  public Map<String, String> effectiveValues() {
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach((k, s) -> out.put(k, s.raw()));
    return out;
  }

  /**
   * Returns the process's role, {@code peer.role}.
   *
   * @return the role
   */
  public Role role() {
    return Role.parse(string("peer.role"));
  }

  /**
   * Returns a key's raw value.
   *
   * @param key a registered key
   * @return the value as written (stripped)
   * @throws ConfigException if the key is unset and has no default
   */
  public String string(String key) {
    return setting(key).raw();
  }

  /**
   * Returns a key's raw value if it has one.
   *
   * @param key a registered key
   * @return the value, or empty
   */
  public Optional<String> optional(String key) {
    ConfigKeys.get(key);
    return Optional.ofNullable(settings.get(key)).map(Setting::raw);
  }

  /**
   * Returns an int key's value.
   *
   * @param key a registered int key
   * @return the value, range-checked at load
   */
  public int intValue(String key) {
    return (Integer) setting(key).value();
  }

  /**
   * Returns a long key's value.
   *
   * @param key a registered long key
   * @return the value, range-checked at load
   */
  public long longValue(String key) {
    return (Long) setting(key).value();
  }

  /**
   * Returns a double key's value.
   *
   * @param key a registered double key
   * @return the value, range-checked at load
   */
  public double doubleValue(String key) {
    return (Double) setting(key).value();
  }

  /**
   * Returns a path key's value, made absolute: relative paths from the file or the default resolve
   * against the file's directory, those from the environment or command line against the working
   * directory.
   *
   * @param key a registered path key
   * @return the absolute, normalised path
   */
  public Path path(String key) {
    Setting s = setting(key);
    Path p = (Path) s.value();
    Path base = s.source() == Source.FILE || s.source() == Source.DEFAULT ? baseDir : workingDir;
    return base.resolve(p).normalize();
  }

  /**
   * Returns an optional path key's value.
   *
   * @param key a registered path key
   * @return the absolute path, or empty if unset
   */
  public Optional<Path> optionalPath(String key) {
    return isSet(key) ? Optional.of(path(key)) : Optional.empty();
  }

  /**
   * Returns a {@code host:port} key's value.
   *
   * @param key a registered host:port key
   * @return the value
   */
  public HostPort hostPort(String key) {
    return (HostPort) setting(key).value();
  }

  /**
   * Returns a {@code PEERID@host:port} key's value.
   *
   * @param key a registered peer-address key
   * @return the value
   */
  public PeerAddress peerAddress(String key) {
    return (PeerAddress) setting(key).value();
  }

  /**
   * Returns a list of {@code PEERID@host:port}.
   *
   * @param key a registered peer-address-list key
   * @return the list, possibly empty
   */
  public List<PeerAddress> peerAddressList(String key) {
    List<PeerAddress> list = new ArrayList<>();
    for (Object o : (List<?>) setting(key).value()) {
      list.add((PeerAddress) o);
    }
    return List.copyOf(list);
  }

  /**
   * Returns where the metrics endpoint listens, or empty when it is off ({@code metrics.port=0}).
   *
   * <p>Port 0 means "off" in the daemon's configuration, not "any free port": an operator scrapes a
   * port they chose. Tests that want an ephemeral port start a {@link MetricsServer} directly.
   *
   * @return the bind address, or empty
   */
  public Optional<InetSocketAddress> metricsAddress() {
    int port = intValue("metrics.port");
    if (port == 0) {
      return Optional.empty();
    }
    return Optional.of(new InetSocketAddress(string("metrics.host"), port));
  }

  /**
   * Builds the gossip settings: the {@code gossip.preset} with {@code gossip.intervalMs} and {@code
   * gossip.fanout} overriding it.
   *
   * @return the gossip config
   * @throws ConfigException if the overrides contradict the preset
   */
  public GossipConfig gossipConfig() {
    GossipConfig g =
        switch (string("gossip.preset")) {
          case "wan" -> GossipConfig.wan();
          case "simulation" -> GossipConfig.simulation();
          default -> GossipConfig.lan();
        };
    try {
      if (isSet("gossip.intervalMs")) {
        g =
            new GossipConfig(
                g.probeIntervalMs(),
                g.probeTimeoutMs(),
                g.indirectChecks(),
                g.suspicionMult(),
                longValue("gossip.intervalMs"),
                g.fanout(),
                g.retransmitMult(),
                g.viewSize(),
                g.shuffleLength(),
                g.shuffleIntervalMs(),
                g.requestTimeoutMs(),
                g.antiEntropyIntervalMs(),
                g.storeMaxItems(),
                g.maxPayloadBytes(),
                g.itemFreshnessMs(),
                g.rateLimitPerSecond(),
                g.rateLimitBurst(),
                g.memberTableSize(),
                g.materialityThreshold());
      }
      if (isSet("gossip.fanout")) {
        g = g.withFanout(intValue("gossip.fanout"));
      }
      return g;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(null, "invalid gossip settings: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the Netty transport settings from the {@code transport.*} keys.
   *
   * @return the transport config
   * @throws ConfigException if the keys contradict each other (water marks, backoffs)
   */
  public TransportConfig transportConfig() {
    try {
      return new TransportConfig(
          intValue("transport.maxFrameBytes"),
          intValue("transport.outboundQueueFrames"),
          intValue("transport.writeBufferLowWaterMarkBytes"),
          intValue("transport.writeBufferHighWaterMarkBytes"),
          Duration.ofMillis(longValue("transport.connectTimeoutMs")),
          Duration.ofMillis(longValue("transport.reconnectInitialBackoffMs")),
          Duration.ofMillis(longValue("transport.reconnectMaxBackoffMs")),
          doubleValue("transport.reconnectJitter"),
          intValue("transport.maxConnectAttempts"),
          Duration.ofMillis(longValue("transport.idleTimeoutMs")),
          Duration.ofMillis(longValue("transport.shutdownTimeoutMs")),
          intValue("transport.eventLoopThreads"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(null, "invalid transport settings: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the TLS engine, {@code transport.tls.provider}.
   *
   * @return the provider
   */
  public TlsProvider tlsProvider() {
    return TlsProvider.parse(string("transport.tls.provider"));
  }

  /**
   * Builds the (ε, δ) budget of this process's privacy ledger.
   *
   * @return the budget
   */
  public PrivacyBudget privacyBudget() {
    try {
      return new PrivacyBudget(doubleValue("privacy.epsilon"), doubleValue("privacy.delta"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("privacy.epsilon", "invalid privacy budget: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the Layer 1 rule spec from the {@code aggregation.*} keys; n-dependent defaults are
   * resolved later by {@link RuleSpec#create}.
   *
   * @return the rule spec
   */
  public RuleSpec ruleSpec() {
    try {
      return RuleSpec.parse(
          string("aggregation.rule"),
          intValue("aggregation.byzantine"),
          isSet("aggregation.keep") ? intValue("aggregation.keep") : null,
          isSet("aggregation.trimFraction") ? doubleValue("aggregation.trimFraction") : null);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("aggregation.rule", "invalid aggregation: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the staleness buffer settings from {@code buffer.maxStaleness} and {@code buffer.decay}.
   *
   * @return the buffer config
   */
  public StalenessBufferConfig stalenessBufferConfig() {
    return StalenessBufferConfig.defaults()
        .withMaxStaleness(longValue("buffer.maxStaleness"))
        .withDecay((StalenessDecay) setting("buffer.decay").value());
  }

  /**
   * Builds the checkpoint store settings from {@code checkpoint.keep}.
   *
   * @return the checkpoint config
   */
  public CheckpointConfig checkpointConfig() {
    return CheckpointConfig.defaults().withKeep(intValue("checkpoint.keep"));
  }

  private Setting setting(String key) {
    ConfigKey k = ConfigKeys.get(key);
    Setting s = settings.get(key);
    if (s == null) {
      throw new ConfigException(
          key,
          key
              + " is not set and has no default ("
              + k.defaultText()
              + "); allowed: "
              + k.allowed());
    }
    return s;
  }

  private String where(String key) {
    Setting s = settings.get(key);
    if (s == null) {
      return "unset";
    }
    return switch (s.source()) {
      case DEFAULT -> "default";
      case FILE -> "in " + file;
      case ENVIRONMENT -> "environment variable " + ConfigKeys.get(key).envName();
      case COMMAND_LINE -> "--set";
    };
  }

  @Override
  public String toString() {
    return "PeerConfig[file=" + file + ", " + effectiveValues() + "]";
  }
}
