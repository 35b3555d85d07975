package org.fedgossip.cli.daemon;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessBufferConfig;
import org.fedgossip.core.buffer.StalenessDecay;
import org.fedgossip.core.state.CheckpointConfig;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.transport.netty.TransportConfig;

/**
 * The registry of every daemon configuration key: the contract shared by {@code fedgossip peer},
 * {@code fedgossip demo init} and the federation runtime.
 *
 * <p>Keys are listed in documentation order. Every environment-variable form ({@link
 * ConfigKey#envName()}) is distinct. Numeric ranges here are the ones the lower modules' configs
 * enforce (for example {@link TransportConfig}), so a value accepted at load is accepted when the
 * runtime builds its configs.
 */
public final class ConfigKeys {

  /** A plain decimal number: no NaN, no infinity, no hex, no type suffix. */
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private static final Map<String, ConfigKey> KEYS = build();

  private ConfigKeys() {}

  /**
   * Returns every key, in documentation order.
   *
   * @return the keys
   */
  public static List<ConfigKey> all() {
    return List.copyOf(KEYS.values());
  }

  /**
   * Looks a key up by its exact name.
   *
   * @param name the key
   * @return the key, or empty if it is not registered
   */
  public static Optional<ConfigKey> find(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  /**
   * Returns a registered key, for code that names keys by constant.
   *
   * @param name the key
   * @return the key
   * @throws IllegalArgumentException if it is not registered (a programming error)
   */
  public static ConfigKey get(String name) {
    ConfigKey key = KEYS.get(name);
    if (key == null) {
      throw new IllegalArgumentException("no config key '" + name + "' is registered");
    }
    return key;
  }

  /**
   * Returns the registered key closest to a misspelt one, by edit distance ignoring case.
   *
   * @param name the unknown key
   * @return the closest registered key's name
   */
  public static String closest(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : KEYS.keySet()) {
      int d = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  /** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  private static Map<String, ConfigKey> build() {
    List<ConfigKey> keys = new ArrayList<>();
    Set<Role> both = Set.of(Role.PEER, Role.COORDINATOR);

    keys.add(choice("peer.role", "peer", List.of("peer", "coordinator"), "what this process runs"));
    keys.add(
        key(
            "peer.name",
            null,
            "(from certificate)",
            "string",
            "display name, for logs only",
            Set.of(),
            ConfigKeys::nonBlank));
    keys.add(
        path(
            "peer.dataDir",
            "data",
            "durable state: checkpoints/, privacy-ledger, audit.log (created if missing)"));
    keys.add(
        path(
            "peer.key",
            "keys/peer.key",
            "Ed25519 private key PEM (mode 600 enforced by PemFiles)"));
    keys.add(path("peer.crt", "keys/peer.crt", "this process's certificate PEM"));
    keys.add(
        key(
            "peer.caCrt",
            null,
            "REQUIRED",
            "path",
            "federation CA certificate PEM",
            both,
            ConfigKeys::path));
    keys.add(
        key(
            "peer.crl",
            null,
            "REQUIRED",
            "path",
            "the federation CA's CRL file (ca.crl), honoured and reloaded by the transport",
            both,
            ConfigKeys::path));
    keys.add(
        key(
            "peer.roster",
            null,
            "REQUIRED",
            "path (directory)",
            "directory of the federation's member certificates (*.crt, one per peer and the"
                + " coordinator)",
            both,
            ConfigKeys::path));
    keys.add(
        key(
            "peer.listen",
            "127.0.0.1:7400",
            "127.0.0.1:7400",
            "host:port, port in [0, 65535] (0: any free port)",
            "where this process accepts mTLS connections",
            Set.of(),
            HostPort::parse));
    keys.add(
        key(
            "peer.seeds",
            "",
            "(empty)",
            "comma list of PEERID@host:port",
            "basket members to contact at start (PeerId in its printed form)",
            Set.of(),
            ConfigKeys::peerAddressList));
    keys.add(
        key(
            "peer.coordinator",
            null,
            "REQUIRED when peer.role=peer",
            "PEERID@host:port",
            "the coordinator",
            Set.of(Role.PEER),
            PeerAddress::parse));

    keys.add(
        key(
            "metrics.host",
            "127.0.0.1",
            "127.0.0.1",
            "host name or address",
            "bind address of the HTTP endpoint",
            Set.of(),
            ConfigKeys::host));
    keys.add(
        intKey(
            "metrics.port",
            0,
            0,
            65535,
            "0 (off)",
            "serves /metrics (Prometheus text), /health, /status (JSON); 0 turns it off"));

    keys.add(
        choice(
            "gossip.preset",
            "lan",
            List.of("lan", "wan", "simulation"),
            "GossipConfig preset (memberlist's LAN or WAN defaults, or the simulation preset)"));
    keys.add(
        derivedLong(
            "gossip.intervalMs", 1, GossipConfig.MAX_MILLIS, "(preset)", "gossip round interval"));
    keys.add(derivedInt("gossip.fanout", 1, 64, "(preset)", "gossip fanout (peers per round)"));

    keys.add(
        doubleKey(
            "privacy.epsilon",
            "10.0",
            0,
            false,
            Double.MAX_VALUE,
            true,
            "(ε) budget of this process's ledger"));
    keys.add(doubleKey("privacy.delta", "1e-5", 0, false, 1, false, "δ of the budget"));
    keys.add(
        doubleKey(
            "privacy.clipNorm",
            "1.0",
            0,
            false,
            Double.MAX_VALUE,
            true,
            "L2 clip norm C of every local update"));
    keys.add(
        noiseKey(
            "privacy.noiseMultiplier",
            "0",
            "local DP noise multiplier z (σ = z·C) on peers; 0 = no local noise, central noise"
                + " after secure aggregation protects instead"));
    keys.add(
        noiseKey(
            "privacy.centralNoiseMultiplier",
            "1.0",
            "central DP noise multiplier at the coordinator (σ = z · L2 sensitivity); 0 = off"));

    keys.add(
        choice(
            "aggregation.rule",
            "multi-krum",
            RuleSpec.Kind.names(),
            "Layer 1 rule (robust aggregation inside a basket)"));
    keys.add(
        intKey(
            "aggregation.byzantine",
            0,
            0,
            Integer.MAX_VALUE,
            "0",
            "f, the Byzantine updates the rule tolerates"));
    keys.add(derivedInt("aggregation.keep", 1, Integer.MAX_VALUE, "(n − f)", "Multi-Krum m"));
    keys.add(
        key(
            "aggregation.trimFraction",
            null,
            "(f/n)",
            "double in [0, 0.5)",
            "trimmed-mean β",
            Set.of(),
            doubleParser(0, true, 0.5, false)));

    keys.add(
        intKey(
            "round.minUpdates",
            3,
            1,
            Integer.MAX_VALUE,
            "3",
            "Layer 1 runs when this many updates of the round are buffered"));
    keys.add(
        longKey(
            "round.timeoutMs",
            30000,
            1,
            Long.MAX_VALUE,
            "... or when the round is this old (with at least 1 update)"));
    keys.add(
        intKey(
            "round.minBaskets",
            2,
            2,
            Integer.MAX_VALUE,
            "2",
            "Layer 2 starts with at least this many basket delegates ready"));
    keys.add(
        doubleKey(
            "round.materiality",
            "0",
            0,
            true,
            1,
            true,
            "... or when the buffered updates' mean has an L2 norm ≥ this × privacy.clipNorm;"
                + " 0 = off"));
    keys.add(
        doubleKey(
            "round.participation",
            "1",
            0,
            false,
            1,
            true,
            "Poisson participation: each peer takes part in a round with this probability q,"
                + " by its own secret coin; below 1 with central noise, the rule must be fedavg"
                + " and each model is charged at sampling rate q"));
    keys.add(
        key(
            "round.max",
            "0",
            "0 (no limit)",
            "long ≥ 0",
            "the coordinator stops publishing after this model version",
            Set.of(),
            longParser(0, Long.MAX_VALUE)));

    keys.add(
        longKey(
            "buffer.maxStaleness",
            StalenessBufferConfig.DEFAULT_MAX_STALENESS,
            0,
            StalenessBufferConfig.MAX_MAX_STALENESS,
            "staleness buffer eviction, in rounds"));
    keys.add(
        key(
            "buffer.decay",
            "polynomial:0.5",
            "polynomial:0.5",
            "polynomial:A | exponential:A | none, A in [0, " + StalenessDecay.MAX_PARAMETER + "]",
            "staleness weights: (1+s)^-A (FedAsync, Xie et al. 2019) or e^(-A·s)",
            Set.of(),
            ConfigKeys::decay));

    keys.add(
        derivedInt("secagg.neighbours", 1, Integer.MAX_VALUE, "(2⌈log2 n⌉, ≤ n−1)", "SecAgg+ k"));
    keys.add(derivedInt("secagg.threshold", 1, Integer.MAX_VALUE, "(⌊k/2⌋+1)", "SecAgg+ t"));
    keys.add(longKey("secagg.phaseTimeoutMs", 10000, 1, Long.MAX_VALUE, "SecAgg+ phase deadline"));
    keys.add(
        key(
            "secagg.clipRange",
            null,
            "(privacy.clipNorm)",
            "double > 0",
            "per-coordinate clip before quantisation",
            Set.of(),
            doubleParser(0, false, Double.MAX_VALUE, true)));

    keys.add(
        intKey(
            "checkpoint.keep",
            CheckpointConfig.DEFAULT_KEEP,
            1,
            1000,
            String.valueOf(CheckpointConfig.DEFAULT_KEEP),
            "checkpoints kept"));

    keys.add(
        choice(
            "trainer.type",
            "softmax",
            List.of("softmax", "mlp", "logistic"),
            "built-in LocalTrainer"));
    keys.add(
        optionalPath(
            "trainer.trainImages",
            "REQUIRED on peers for IDX data",
            "IDX3 images (uint8) of the local training set"));
    keys.add(optionalPath("trainer.trainLabels", "REQUIRED with trainImages", "IDX1 labels"));
    keys.add(
        optionalPath(
            "trainer.trainCsv",
            "REQUIRED on peers for CSV data (instead of IDX)",
            "CSV with header; last column is the 0/1 label"));
    keys.add(
        optionalPath(
            "trainer.evalImages",
            "held-out IDX3 evaluation images; the coordinator's give the reported accuracy"));
    keys.add(optionalPath("trainer.evalLabels", "held-out IDX1 evaluation labels"));
    keys.add(
        optionalPath(
            "trainer.evalCsv",
            "held-out CSV evaluation data; the coordinator's gives the reported accuracy"));
    keys.add(
        derivedInt(
            "trainer.features",
            1,
            Integer.MAX_VALUE,
            "(from data)",
            "input features; needed on a coordinator without evaluation data"));
    keys.add(
        derivedInt(
            "trainer.classes",
            1,
            Integer.MAX_VALUE,
            "(from data)",
            "output classes; needed on a coordinator without evaluation data"));
    keys.add(
        longKey(
            "trainer.seed",
            1,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            "federation-wide model seed: every process derives the same initial weights"));
    keys.add(
        doubleKey("trainer.learningRate", "0.1", 0, false, Double.MAX_VALUE, true, "SGD step"));
    keys.add(intKey("trainer.batchSize", 32, 1, Integer.MAX_VALUE, "32", "SGD batch size"));
    keys.add(intKey("trainer.localEpochs", 1, 1, Integer.MAX_VALUE, "1", "SGD epochs per round"));
    keys.add(intKey("trainer.hidden", 64, 1, Integer.MAX_VALUE, "64", "MLP hidden units"));

    TransportConfig t = TransportConfig.defaults();
    int kib = 1 << 10;
    int gib = 1 << 30;
    keys.add(
        intKey(
            "transport.maxFrameBytes",
            t.maxFrameBytes(),
            kib,
            gib,
            String.valueOf(t.maxFrameBytes()),
            "largest frame accepted or sent, envelope included"));
    keys.add(
        intKey(
            "transport.outboundQueueFrames",
            t.outboundQueueFrames(),
            1,
            1_000_000,
            String.valueOf(t.outboundQueueFrames()),
            "frames queued per peer before a send fails with backpressure"));
    keys.add(
        intKey(
            "transport.writeBufferLowWaterMarkBytes",
            t.writeBufferLowWaterMarkBytes(),
            kib,
            gib,
            String.valueOf(t.writeBufferLowWaterMarkBytes()),
            "a channel takes frames again below this; at most the high water mark"));
    keys.add(
        intKey(
            "transport.writeBufferHighWaterMarkBytes",
            t.writeBufferHighWaterMarkBytes(),
            kib,
            gib,
            String.valueOf(t.writeBufferHighWaterMarkBytes()),
            "a channel stops taking frames above this"));
    keys.add(
        longKey(
            "transport.connectTimeoutMs",
            t.connectTimeout().toMillis(),
            1,
            300_000,
            "bound on one connect attempt"));
    keys.add(
        longKey(
            "transport.reconnectInitialBackoffMs",
            t.reconnectInitialBackoff().toMillis(),
            1,
            300_000,
            "delay after the first failed connect attempt"));
    keys.add(
        longKey(
            "transport.reconnectMaxBackoffMs",
            t.reconnectMaxBackoff().toMillis(),
            1,
            3_600_000,
            "cap of the doubling reconnect delay; at least the initial backoff"));
    keys.add(
        doubleKey(
            "transport.reconnectJitter",
            String.valueOf(t.reconnectJitter()),
            0,
            true,
            1,
            true,
            "fraction of each reconnect delay drawn at random"));
    keys.add(
        intKey(
            "transport.maxConnectAttempts",
            t.maxConnectAttempts(),
            1,
            10_000,
            String.valueOf(t.maxConnectAttempts()),
            "consecutive failed attempts before queued sends fail as unreachable"));
    keys.add(
        longKey(
            "transport.idleTimeoutMs",
            t.idleTimeout().toMillis(),
            0,
            86_400_000,
            "a connection without traffic this long is closed; 0 disables"));
    keys.add(
        longKey(
            "transport.shutdownTimeoutMs",
            t.shutdownTimeout().toMillis(),
            1,
            300_000,
            "bound on closing the transport's event loops"));
    keys.add(
        intKey(
            "transport.eventLoopThreads",
            t.eventLoopThreads(),
            1,
            256,
            String.valueOf(t.eventLoopThreads()),
            "threads that run every connection"));
    keys.add(
        choice(
            "transport.tls.provider",
            "auto",
            List.of("auto", "openssl", "jdk"),
            "TLS engine: BoringSSL (openssl), the JDK's, or auto (BoringSSL when it loads)"));

    Map<String, ConfigKey> byName = new LinkedHashMap<>();
    Map<String, String> byEnv = new LinkedHashMap<>();
    for (ConfigKey k : keys) {
      if (byName.put(k.name(), k) != null) {
        throw new IllegalStateException("config key " + k.name() + " registered twice");
      }
      String clash = byEnv.put(k.envName(), k.name());
      if (clash != null) {
        throw new IllegalStateException(
            "config keys " + clash + " and " + k.name() + " share " + k.envName());
      }
      if (k.defaultValue() != null && !k.defaultValue().isEmpty()) {
        k.parse(k.defaultValue(), "default");
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  private static ConfigKey key(
      String name,
      String defaultValue,
      String defaultText,
      String allowed,
      String doc,
      Set<Role> requiredFor,
      Function<String, Object> parser) {
    return new ConfigKey(name, defaultValue, defaultText, allowed, doc, requiredFor, parser);
  }

  private static ConfigKey choice(String name, String def, List<String> values, String doc) {
    return key(
        name,
        def,
        def,
        String.join(" | ", values),
        doc,
        Set.of(),
        raw -> {
          String v = raw.toLowerCase(Locale.ROOT);
          if (!values.contains(v)) {
            throw new IllegalArgumentException("not one of " + String.join(", ", values));
          }
          return v;
        });
  }

  private static ConfigKey path(String name, String def, String doc) {
    return key(name, def, def, "path", doc, Set.of(), ConfigKeys::path);
  }

  private static ConfigKey optionalPath(String name, String doc) {
    return optionalPath(name, "(none)", doc);
  }

  private static ConfigKey optionalPath(String name, String defaultText, String doc) {
    return key(name, null, defaultText, "path", doc, Set.of(), ConfigKeys::path);
  }

  private static ConfigKey intKey(
      String name, int def, int min, int max, String defaultText, String doc) {
    return key(
        name,
        String.valueOf(def),
        defaultText,
        intRange("int", min, max),
        doc,
        Set.of(),
        intParser(min, max));
  }

  private static ConfigKey derivedInt(
      String name, int min, int max, String defaultText, String doc) {
    return key(
        name, null, defaultText, intRange("int", min, max), doc, Set.of(), intParser(min, max));
  }

  private static ConfigKey longKey(String name, long def, long min, long max, String doc) {
    return key(
        name,
        String.valueOf(def),
        String.valueOf(def),
        intRange("long", min, max),
        doc,
        Set.of(),
        longParser(min, max));
  }

  private static ConfigKey derivedLong(
      String name, long min, long max, String defaultText, String doc) {
    return key(
        name, null, defaultText, intRange("long", min, max), doc, Set.of(), longParser(min, max));
  }

  private static ConfigKey doubleKey(
      String name,
      String def,
      double min,
      boolean minInclusive,
      double max,
      boolean maxInclusive,
      String doc) {
    return key(
        name,
        def,
        def,
        doubleRange(min, minInclusive, max, maxInclusive),
        doc,
        Set.of(),
        doubleParser(min, minInclusive, max, maxInclusive));
  }

  /** A noise multiplier: 0 (off) or within the accountant's range [0.01, 10000]. */
  private static ConfigKey noiseKey(String name, String def, String doc) {
    return key(
        name,
        def,
        def,
        "0 (off) or double in [0.01, 10000]",
        doc,
        Set.of(),
        raw -> {
          double v = parseDecimal(raw);
          if (v != 0 && !(v >= 0.01 && v <= 10_000)) {
            throw new IllegalArgumentException("out of range");
          }
          return v;
        });
  }

  private static String intRange(String type, long min, long max) {
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return type;
    }
    if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
      return type + " ≥ " + min;
    }
    return type + " in [" + min + ", " + max + "]";
  }

  private static String doubleRange(
      double min, boolean minInclusive, double max, boolean maxInclusive) {
    if (max == Double.MAX_VALUE) {
      return "double " + (minInclusive ? "≥ " : "> ") + fmt(min);
    }
    return "double in "
        + (minInclusive ? "[" : "(")
        + fmt(min)
        + ", "
        + fmt(max)
        + (maxInclusive ? "]" : ")");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static Function<String, Object> intParser(int min, int max) {
    return raw -> (int) parseLong(raw, min, max);
  }

  private static Function<String, Object> longParser(long min, long max) {
    return raw -> parseLong(raw, min, max);
  }

  private static long parseLong(String raw, long min, long max) {
    long v;
    try {
      v = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("out of range");
    }
    return v;
  }

  private static Function<String, Object> doubleParser(
      double min, boolean minInclusive, double max, boolean maxInclusive) {
    return raw -> {
      double v = parseDecimal(raw);
      boolean aboveMin = minInclusive ? v >= min : v > min;
      boolean belowMax = maxInclusive ? v <= max : v < max;
      if (!aboveMin || !belowMax) {
        throw new IllegalArgumentException("out of range");
      }
      return v;
    };
  }

  private static double parseDecimal(String raw) {
    if (!DECIMAL.matcher(raw).matches()) {
      throw new IllegalArgumentException("not a decimal number");
    }
    double v = Double.parseDouble(raw);
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite number");
    }
    return v;
  }

  private static Object nonBlank(String raw) {
    return raw;
  }

  private static Object path(String raw) {
    try {
      return Path.of(raw);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a path: " + e.getReason());
    }
  }

  private static Object host(String raw) {
    if (raw.chars().anyMatch(Character::isWhitespace) || raw.contains("/")) {
      throw new IllegalArgumentException("not a host name or address");
    }
    return raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
  }

  private static Object peerAddressList(String raw) {
    List<PeerAddress> list = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      if (part.isBlank()) {
        if (raw.isBlank()) {
          continue;
        }
        throw new IllegalArgumentException("empty entry in the list");
      }
      list.add(PeerAddress.parse(part));
    }
    return List.copyOf(list);
  }

  private static Object decay(String raw) {
    String v = raw.toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return StalenessDecay.polynomial(0);
    }
    int colon = v.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected polynomial:A, exponential:A or none");
    }
    String form = v.substring(0, colon);
    double a = parseDecimal(v.substring(colon + 1));
    return switch (form) {
      case "polynomial" -> StalenessDecay.polynomial(a);
      case "exponential" -> StalenessDecay.exponential(a);
      default -> throw new IllegalArgumentException("unknown decay '" + form + "'");
    };
  }
}
