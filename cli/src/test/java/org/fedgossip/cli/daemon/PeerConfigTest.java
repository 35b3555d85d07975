package org.fedgossip.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessDecay;
import org.fedgossip.gossip.GossipConfig;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerConfigTest {

  private static final PeerId COORDINATOR = id(1);
  private static final PeerId SEED = id(2);

  @TempDir Path dir;

  private static PeerId id(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return PeerId.fromPublicKey(key);
  }

  /** The smallest complete configuration of a training peer, plus extra lines. */
  private Path peerFile(String... extra) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("peer.caCrt=keys/ca.crt\n");
    sb.append("peer.crl=keys/ca.crl\n");
    sb.append("peer.roster=roster\n");
    sb.append("peer.coordinator=").append(COORDINATOR).append("@10.0.0.1:7400\n");
    sb.append("trainer.trainCsv=data/train.csv\n");
    for (String line : extra) {
      sb.append(line).append('\n');
    }
    Path file = dir.resolve("site").resolve("peer.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }

  private static Map<String, String> sets(String... kv) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return map;
  }

  @Test
  void commandLineWinsOverEnvironmentWhichWinsOverFileWhichWinsOverDefault() throws IOException {
    Path file = peerFile("gossip.fanout=4");
    Map<String, String> env = Map.of("FEDGOSSIP_GOSSIP_FANOUT", "5");

    assertThat(PeerConfig.load(file, env, sets("gossip.fanout", "6")).intValue("gossip.fanout"))
        .isEqualTo(6);
    PeerConfig fromEnv = PeerConfig.load(file, env, Map.of());
    assertThat(fromEnv.intValue("gossip.fanout")).isEqualTo(5);
    assertThat(fromEnv.source("gossip.fanout")).contains(PeerConfig.Source.ENVIRONMENT);
    PeerConfig fromFile = PeerConfig.load(file, Map.of(), Map.of());
    assertThat(fromFile.intValue("gossip.fanout")).isEqualTo(4);
    assertThat(fromFile.gossipConfig().fanout()).isEqualTo(4);

    PeerConfig defaults = PeerConfig.load(peerFile(), Map.of(), Map.of());
    assertThat(defaults.isSet("gossip.fanout")).isFalse();
    assertThat(defaults.gossipConfig()).isEqualTo(GossipConfig.lan());
    assertThat(defaults.doubleValue("privacy.epsilon")).isEqualTo(10.0);
    assertThat(defaults.source("privacy.epsilon")).contains(PeerConfig.Source.DEFAULT);
  }

  @Test
  void anEmptyValueResetsTheKeyToItsDefault() throws IOException {
    Path file = peerFile("privacy.epsilon=3");

    PeerConfig config = PeerConfig.load(file, Map.of("FEDGOSSIP_PRIVACY_EPSILON", "  "), Map.of());

    assertThat(config.doubleValue("privacy.epsilon")).isEqualTo(10.0);
  }

  @Test
  void environmentNamesAreThePrefixedUpperCaseKeyWithUnderscores() throws IOException {
    assertThat(ConfigKeys.get("gossip.intervalMs").envName())
        .isEqualTo("FEDGOSSIP_GOSSIP_INTERVALMS");
    assertThat(ConfigKeys.get("transport.tls.provider").envName())
        .isEqualTo("FEDGOSSIP_TRANSPORT_TLS_PROVIDER");

    PeerConfig config =
        PeerConfig.load(
            peerFile(),
            Map.of(
                "FEDGOSSIP_GOSSIP_INTERVALMS", "750",
                "FEDGOSSIP_PRIVACY_EPSILON", "2.5",
                "FEDGOSSIP_JAVA_OPTS", "-Xmx1g",
                "FEDGOSSIP_NOT_A_KEY", "x",
                "PATH", "/usr/bin"),
            Map.of());

    assertThat(config.longValue("gossip.intervalMs")).isEqualTo(750);
    assertThat(config.gossipConfig().gossipIntervalMs()).isEqualTo(750);
    assertThat(config.privacyBudget().epsilon()).isEqualTo(2.5);
  }

  @Test
  void anUnknownKeyInTheFileNamesTheClosestKnownKey() throws IOException {
    Path file = peerFile("gossip.fanOut=4");

    assertThatThrownBy(() -> PeerConfig.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'gossip.fanOut'")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("did you mean 'gossip.fanout'?");
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
    Path file = peerFile("# " + "x".repeat((int) PeerConfig.MAX_FILE_BYTES));

    assertThatThrownBy(() -> PeerConfig.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("at most " + PeerConfig.MAX_FILE_BYTES);
  }

  @Test
  void anUnknownKeyOnTheCommandLineNamesTheClosestKnownKey() throws IOException {
    Path file = peerFile();

    assertThatThrownBy(() -> PeerConfig.load(file, Map.of(), sets("privacy.epsilom", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'privacy.epsilom' in --set")
        .hasMessageContaining("did you mean 'privacy.epsilon'?");
    assertThatThrownBy(() -> PeerConfig.parseAssignments(List.of("metrics.port")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not key=value");
  }

  @Test
  void aBadValueNamesTheKeyTheValueAndTheAllowedRange() throws IOException {
    assertBad("metrics.port=70000", "metrics.port = '70000'", "int in [0, 65535]");
    assertBad("metrics.port=abc", "metrics.port = 'abc'", "not an integer");
    assertBad("privacy.delta=1", "privacy.delta = '1'", "double in (0, 1)");
    assertBad("privacy.epsilon=NaN", "privacy.epsilon = 'NaN'", "double > 0");
    assertBad(
        "privacy.noiseMultiplier=0.001", "privacy.noiseMultiplier", "0 (off) or double in [0.01");
    assertBad("aggregation.rule=krun", "aggregation.rule = 'krun'", "multi-krum");
    assertBad("aggregation.trimFraction=0.5", "aggregation.trimFraction", "[0, 0.5)");
    assertBad("round.minBaskets=1", "round.minBaskets = '1'", "int ≥ 2");
    assertBad("gossip.preset=moon", "gossip.preset", "lan | wan | simulation");
    assertBad("gossip.fanout=65", "gossip.fanout", "int in [1, 64]");
    assertBad("buffer.decay=linear:1", "buffer.decay", "polynomial:A | exponential:A | none");
    assertBad("peer.listen=localhost", "peer.listen = 'localhost'", "host:port");
    assertBad("peer.seeds=fgnope@h:1", "peer.seeds", "PEERID@host:port");
    assertBad("transport.eventLoopThreads=0", "transport.eventLoopThreads", "int in [1, 256]");
    assertBad("checkpoint.keep=0", "checkpoint.keep", "int in [1, 1000]");
    assertBad("trainer.type=svm", "trainer.type", "softmax | mlp | logistic");
  }

  private void assertBad(String line, String names, String allowed) throws IOException {
    Path file = peerFile(line);
    assertThatThrownBy(() -> PeerConfig.load(file, Map.of(), Map.of()))
        .as(line)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(names)
        .hasMessageContaining(allowed)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() throws IOException {
    Path file = peerFile();

    assertThatThrownBy(
            () -> PeerConfig.load(file, Map.of("FEDGOSSIP_METRICS_PORT", "-1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.port = '-1'")
        .hasMessageContaining("environment variable FEDGOSSIP_METRICS_PORT");
  }

  @Test
  void contradictingKeysFailAtLoadNamingThem() throws IOException {
    Path water =
        peerFile(
            "transport.writeBufferLowWaterMarkBytes=2097152",
            "transport.writeBufferHighWaterMarkBytes=1048576");
    assertThatThrownBy(() -> PeerConfig.load(water, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("transport.writeBufferLowWaterMarkBytes");

    Path secagg = peerFile("secagg.neighbours=4", "secagg.threshold=5");
    assertThatThrownBy(() -> PeerConfig.load(secagg, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secagg.threshold = 5")
        .hasMessageContaining("secagg.neighbours = 4");

    Path both = peerFile("trainer.trainImages=a.idx3", "trainer.trainLabels=a.idx1");
    assertThatThrownBy(() -> PeerConfig.load(both, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.trainCsv")
        .hasMessageContaining("trainer.trainImages");

    Path images = dir.resolve("images.properties");
    Files.writeString(
        images,
        "peer.caCrt=ca.crt\npeer.crl=ca.crl\npeer.roster=r\npeer.coordinator="
            + COORDINATOR
            + "@h:1\ntrainer.trainImages=a.idx3\n");
    assertThatThrownBy(() -> PeerConfig.load(images, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.trainLabels is required with trainer.trainImages");
  }

  @Test
  void requiredKeysDependOnTheRole() throws IOException {
    Path noCa = dir.resolve("no-ca.properties");
    Files.writeString(noCa, "peer.roster=roster\n");
    assertThatThrownBy(() -> PeerConfig.load(noCa, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing required key peer.caCrt for peer.role=peer")
        .hasMessageContaining("FEDGOSSIP_PEER_CACRT");

    Path noCoordinator = dir.resolve("no-coordinator.properties");
    Files.writeString(noCoordinator, "peer.caCrt=ca.crt\npeer.crl=ca.crl\npeer.roster=roster\n");
    assertThatThrownBy(() -> PeerConfig.load(noCoordinator, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing required key peer.coordinator for peer.role=peer");
    assertThatThrownBy(
            () ->
                PeerConfig.load(
                    noCoordinator, Map.of(), sets("peer.coordinator", COORDINATOR + "@h:7400")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing training data for peer.role=peer");

    Path coordinator = dir.resolve("coordinator.properties");
    Files.writeString(
        coordinator,
        "peer.role=coordinator\npeer.caCrt=ca.crt\npeer.crl=ca.crl\npeer.roster=roster\n");
    assertThatThrownBy(() -> PeerConfig.load(coordinator, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.features and trainer.classes");
    PeerConfig withEval =
        PeerConfig.load(coordinator, Map.of(), sets("trainer.evalCsv", "eval.csv"));
    assertThat(withEval.role()).isEqualTo(Role.COORDINATOR);
    assertThat(withEval.isSet("peer.coordinator")).isFalse();

    // read() validates values but leaves the role's requirements to the daemon.
    assertThat(PeerConfig.read(noCa, Map.of(), Map.of()).intValue("metrics.port")).isZero();
  }

  @Test
  void relativePathsResolveAgainstTheFileDirectoryOrTheWorkingDirectory() throws IOException {
    Path file = peerFile("peer.crl=../shared/federation.crl", "peer.key=/etc/fedgossip/peer.key");
    Path site = file.getParent().toAbsolutePath();

    PeerConfig config =
        PeerConfig.load(file, Map.of("FEDGOSSIP_PEER_CRT", "from-env.crt"), Map.of());

    assertThat(config.path("peer.caCrt")).isEqualTo(site.resolve("keys/ca.crt"));
    assertThat(config.path("peer.roster")).isEqualTo(site.resolve("roster"));
    assertThat(config.path("peer.dataDir")).isEqualTo(site.resolve("data"));
    assertThat(config.path("peer.crl"))
        .isEqualTo(site.getParent().resolve("shared/federation.crl"));
    assertThat(config.path("peer.key")).isEqualTo(Path.of("/etc/fedgossip/peer.key"));
    assertThat(config.path("peer.crt"))
        .isEqualTo(Path.of("").toAbsolutePath().resolve("from-env.crt"));
    assertThat(config.optionalPath("trainer.evalCsv")).isEmpty();
  }

  @Test
  void typedGettersParseAddressesAndPeerLists() throws IOException {
    Path file =
        peerFile(
            "peer.listen=[::1]:7500",
            "peer.seeds=" + SEED + "@peer-b.example:7400, " + COORDINATOR + "@10.0.0.1:7400",
            "metrics.host=0.0.0.0",
            "metrics.port=9400");

    PeerConfig config = PeerConfig.load(file, Map.of(), Map.of());

    assertThat(config.hostPort("peer.listen")).isEqualTo(new HostPort("::1", 7500));
    assertThat(config.hostPort("peer.listen").toString()).isEqualTo("[::1]:7500");
    assertThat(config.peerAddressList("peer.seeds"))
        .containsExactly(
            new PeerAddress(SEED, new HostPort("peer-b.example", 7400)),
            new PeerAddress(COORDINATOR, new HostPort("10.0.0.1", 7400)));
    assertThat(config.peerAddress("peer.coordinator").id()).isEqualTo(COORDINATOR);
    assertThat(config.metricsAddress())
        .hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(9400));
    assertThat(PeerConfig.load(peerFile(), Map.of(), Map.of()).metricsAddress()).isEmpty();
    assertThat(PeerConfig.load(peerFile(), Map.of(), Map.of()).peerAddressList("peer.seeds"))
        .isEmpty();
  }

  @Test
  void buildsTheLowerModulesConfigs() throws IOException {
    Path file =
        peerFile(
            "gossip.preset=wan",
            "gossip.intervalMs=800",
            "transport.connectTimeoutMs=2500",
            "transport.reconnectJitter=0.5",
            "transport.idleTimeoutMs=0",
            "transport.tls.provider=JDK",
            "aggregation.rule=trimmed-mean",
            "aggregation.byzantine=2",
            "aggregation.trimFraction=0.25",
            "buffer.decay=exponential:0.3",
            "buffer.maxStaleness=4",
            "checkpoint.keep=9",
            "privacy.epsilon=4",
            "privacy.delta=1e-6");

    PeerConfig config = PeerConfig.load(file, Map.of(), Map.of());

    GossipConfig gossip = config.gossipConfig();
    assertThat(gossip.gossipIntervalMs()).isEqualTo(800);
    assertThat(gossip.probeIntervalMs()).isEqualTo(GossipConfig.wan().probeIntervalMs());
    TransportConfig transport = config.transportConfig();
    assertThat(transport.connectTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(transport.reconnectJitter()).isEqualTo(0.5);
    assertThat(transport.idleTimeout()).isEqualTo(Duration.ZERO);
    assertThat(transport.maxFrameBytes()).isEqualTo(TransportConfig.DEFAULT_MAX_FRAME_BYTES);
    assertThat(config.tlsProvider()).isEqualTo(TlsProvider.JDK);
    assertThat(config.ruleSpec()).isEqualTo(new RuleSpec(RuleSpec.Kind.TRIMMED_MEAN, 2, 0, 0.25));
    assertThat(config.stalenessBufferConfig().decay()).isEqualTo(StalenessDecay.exponential(0.3));
    assertThat(config.stalenessBufferConfig().maxStaleness()).isEqualTo(4);
    assertThat(config.checkpointConfig().keep()).isEqualTo(9);
    assertThat(config.privacyBudget().delta()).isEqualTo(1e-6);

    PeerConfig defaults = PeerConfig.load(peerFile(), Map.of(), Map.of());
    assertThat(defaults.transportConfig()).isEqualTo(TransportConfig.defaults());
    assertThat(defaults.ruleSpec().kind()).isEqualTo(RuleSpec.Kind.MULTI_KRUM);
    assertThat(defaults.stalenessBufferConfig().decay()).isEqualTo(StalenessDecay.polynomial(0.5));
  }

  @Test
  void aMissingFileIsAClearError() {
    Path missing = dir.resolve("nowhere.properties");

    assertThatThrownBy(() -> PeerConfig.load(missing, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read the configuration file")
        .hasMessageContaining("nowhere.properties");
  }
}
