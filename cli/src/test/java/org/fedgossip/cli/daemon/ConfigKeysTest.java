package org.fedgossip.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  /** The keys of the configuration contract; the registry must hold exactly these. */
  private static final List<String> CONTRACT =
      List.of(
          "peer.role",
          "peer.name",
          "peer.dataDir",
          "peer.key",
          "peer.crt",
          "peer.caCrt",
          "peer.crl",
          "peer.roster",
          "peer.listen",
          "peer.seeds",
          "peer.coordinator",
          "metrics.host",
          "metrics.port",
          "gossip.preset",
          "gossip.intervalMs",
          "gossip.fanout",
          "privacy.epsilon",
          "privacy.delta",
          "privacy.clipNorm",
          "privacy.noiseMultiplier",
          "privacy.centralNoiseMultiplier",
          "aggregation.rule",
          "aggregation.byzantine",
          "aggregation.keep",
          "aggregation.trimFraction",
          "round.minUpdates",
          "round.timeoutMs",
          "round.minBaskets",
          "round.participation",
          "round.max",
          "round.materiality",
          "buffer.maxStaleness",
          "buffer.decay",
          "secagg.neighbours",
          "secagg.threshold",
          "secagg.phaseTimeoutMs",
          "secagg.clipRange",
          "checkpoint.keep",
          "trainer.type",
          "trainer.trainImages",
          "trainer.trainLabels",
          "trainer.trainCsv",
          "trainer.evalImages",
          "trainer.evalLabels",
          "trainer.evalCsv",
          "trainer.features",
          "trainer.classes",
          "trainer.seed",
          "trainer.learningRate",
          "trainer.batchSize",
          "trainer.localEpochs",
          "trainer.hidden");

  @Test
  void registryHoldsEveryContractKeyAndTheTransportKeys() {
    List<String> names = ConfigKeys.all().stream().map(ConfigKey::name).toList();

    assertThat(names).containsAll(CONTRACT);
    assertThat(names.stream().filter(n -> !CONTRACT.contains(n)))
        .allMatch(n -> n.startsWith("transport."))
        .contains(
            "transport.maxFrameBytes",
            "transport.connectTimeoutMs",
            "transport.eventLoopThreads",
            "transport.tls.provider");
  }

  @Test
  void environmentNamesAreDistinctAndDefaultsParse() {
    Set<String> env = new HashSet<>();
    for (ConfigKey key : ConfigKeys.all()) {
      assertThat(env.add(key.envName())).as(key.name()).isTrue();
      if (key.defaultValue() != null && !key.defaultValue().isEmpty()) {
        key.parse(key.defaultValue(), "default");
      }
      assertThat(key.requiredFor().isEmpty() || key.defaultValue() == null)
          .as("a required key has no default: " + key.name())
          .isTrue();
    }
  }

  @Test
  void closestKeyIsFoundByEditDistanceIgnoringCase() {
    assertThat(ConfigKeys.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(ConfigKeys.closest("PEER.CACRT")).isEqualTo("peer.caCrt");
    assertThat(ConfigKeys.closest("metric.port")).isEqualTo("metrics.port");
    assertThat(ConfigKeys.closest("round.timeout")).isEqualTo("round.timeoutMs");
  }

  @Test
  void listKeysPrintsEveryKeyWithDefaultAndAllowedValues() {
    StringWriter text = new StringWriter();
    ConfigKeysPrinter.printText(new PrintWriter(text));

    for (ConfigKey key : ConfigKeys.all()) {
      assertThat(text.toString()).contains(key.name()).contains(key.allowed());
    }
  }

  @Test
  void configurationDocListsEveryRegisteredKeyAsTheRegistryPrintsIt() throws IOException {
    Path doc = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);

    for (ConfigKey key : ConfigKeys.all()) {
      assertThat(text).as(key.name()).contains("| `" + key.name() + "` |");
    }
    assertThat(text)
        .as("docs/configuration.md holds ConfigKeysPrinter.markdownTable(); regenerate it")
        .contains(ConfigKeysPrinter.markdownTable());
  }
}
