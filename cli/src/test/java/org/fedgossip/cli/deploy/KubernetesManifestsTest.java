package org.fedgossip.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesManifestsTest {

  @TempDir Path copy;

  /** The repository's deploy/k8s, found from the module's directory. */
  static Path manifests() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("deploy/k8s above the working directory").isNotNull();
    return dir.resolve("deploy/k8s");
  }

  @Test
  void theManifestsMatchTheDaemonAndEveryPodOfTheExampleOverlayWouldStart() {
    KubernetesManifests.Report report = KubernetesManifests.check(manifests());

    assertThat(report.problems()).isEmpty();
    // The coordinator and 3 + 2 + 1 peers of overlays/three-orgs, each loaded as the daemon would.
    assertThat(report.podsLoaded()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "base/basket/peer.properties | metrics.port=8400 | metrics.port=8400\\ngossip.fanOut=3"
            + " | unknown key 'gossip.fanOut' (closest: gossip.fanout)",
        "base/basket/peer.properties | aggregation.rule=fedavg | aggregation.rule=mean"
            + " | aggregation.rule = 'mean'",
        "overlays/three-orgs/st-marys/basket.env | FEDGOSSIP_ROUND_MINUPDATES=2"
            + " | FEDGOSSIP_ROUND_MINUPDATE=2 | variable FEDGOSSIP_ROUND_MINUPDATE sets no"
            + " configuration key",
        "overlays/three-orgs/st-marys/basket.env | FEDGOSSIP_ROUND_MINUPDATES=2"
            + " | FEDGOSSIP_ROUND_MINUPDATES=0 | round.minUpdates = '0'",
        "overlays/three-orgs/north-clinic/basket.env | north-clinic-peer-0.north-clinic-peer:7400"
            + " | north-clinic-peer-1.north-clinic-peer:7400 | which is no pod of its StatefulSet",
        "overlays/three-orgs/city-general/basket.env | @fedgossip-coordinator:7400"
            + " | @coordinator:7400 | names coordinator host coordinator, no Service",
        "base/basket/statefulset.yaml | prometheus.io/port: \"8400\" | prometheus.io/port:"
            + " \"9400\" | prometheus.io/port 9400 is not metrics.port 8400",
        "base/basket/statefulset.yaml | path: /health | path: /healthz | asks /healthz, not"
            + " /health",
        "base/coordinator/coordinator.properties | metrics.port=8400 | metrics.port=8401"
            + " | containerPort 'metrics' is 8400, the configuration says 8401",
        "base/basket/kustomization.yaml | '  - pdb.yaml' | '' | no PodDisruptionBudget",
        "base/basket/kustomization.yaml | '  - service.yaml' | '  - services.yaml'"
            + " | resource 'services.yaml' does not exist",
        "overlays/three-orgs/st-marys/kustomization.yaml | '        name: peer'"
            + " | '        name: peers' | a patch targets StatefulSet 'peers', which is not there",
        "overlays/three-orgs/st-marys/kustomization.yaml | '              - name: training-data'"
            + " | '              - name: training' | a patch sets volume 'training'",
        "base/basket/statefulset.yaml | '  volumeClaimTemplates:' | '  volumeClaimTemplatez:'"
            + " | no volumeClaimTemplate for the data volume 'data'",
        "base/coordinator/deployment.yaml | '              memory: 2Gi' | ''"
            + " | coordinator has no cpu and memory limits",
      })
  void aBrokenManifestIsReportedByFileAndReason(
      String file, String before, String after, String expected) throws IOException {
    Path root = copyOfManifests();
    Path target = root.resolve(file);
    String text = Files.readString(target);
    assertThat(text).as("%s holds '%s'", file, before).contains(before);
    Files.writeString(target, text.replace(before, after.replace("\\n", "\n")));

    List<String> problems = KubernetesManifests.check(root).problems();

    assertThat(problems).as("problems").anyMatch(p -> p.contains(expected));
  }

  @Test
  void theYamlReaderReadsTheSubsetAndRefusesTheRest() {
    List<Object> docs =
        MiniYaml.parseAll(
            String.join(
                "\n",
                "# a comment",
                "kind: Thing # trailing comment",
                "list:",
                "- a",
                "- name: b",
                "  value: \"$(X) # not a comment\"",
                "flow: [\"ALL\", b]",
                "text: |-",
                "  line 1",
                "    line 2",
                "after: 'it''s'",
                "---",
                "second: doc"));

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0))
        .isEqualTo(
            Map.of(
                "kind",
                "Thing",
                "list",
                List.of("a", Map.of("name", "b", "value", "$(X) # not a comment")),
                "flow",
                List.of("ALL", "b"),
                "text",
                "line 1\n  line 2",
                "after",
                "it's"));
    assertThat(docs.get(1)).isEqualTo(Map.of("second", "doc"));
    assertThatThrownBy(() -> MiniYaml.parseAll("a: &anchor 1"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("anchors");
    assertThatThrownBy(() -> MiniYaml.parseAll("a: 1\na: 2")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> MiniYaml.parseAll("a:\n  b: 1\n c: 2"))
        .hasMessageContaining("indentation");
  }

  private Path copyOfManifests() throws IOException {
    Path source = manifests();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return copy;
  }
}
