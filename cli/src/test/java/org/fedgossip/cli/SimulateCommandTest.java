package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedgossip simulate} end to end in-process, on the small hospitals scenario. */
class SimulateCommandTest extends CommandTestSupport {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  @Test
  void listShowsEveryScenarioWithADescription() {
    assertThat(run("simulate", "--list")).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("quickstart").contains("MNIST").contains("Bulyan");
    assertThat(lines.get(1)).startsWith("hospitals").contains("breast cancer");
    assertThat(lines.get(2)).startsWith("byzantine").contains("ALIE");
    assertThat(lines.get(3)).startsWith("dropout").contains("drops out");
    assertThat(lines.get(4)).startsWith("private").contains("1,000 peers").contains("epsilon");
    assertThat(lines.get(5)).startsWith("scale").contains("10,000 peers");
  }

  @Test
  void aSmallRunWritesTheTableTheCsvTheSummaryAndTheChart() throws Exception {
    Path o = dir.resolve("out");
    int code =
        run(
            "simulate",
            "--scenario",
            "hospitals",
            "--rounds",
            "2",
            "--seed",
            "5",
            "--out",
            o.toString());
    assertThat(code).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("round  accuracy").contains("centralized").contains("accuracy.png");
    assertThat(err.toString()).contains("round 2/2").contains("left ~");

    List<String> csv = Files.readAllLines(o.resolve("rounds.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("round,accuracy,loss,epsilon,participants,rejected,bytes");
    assertThat(csv.get(1)).startsWith("1,").contains(",inf,");

    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(o.resolve("summary.json")));
    assertThat(summary)
        .containsKeys(
            "final_accuracy",
            "centralized_accuracy",
            "epsilon",
            "delta",
            "rounds",
            "peers",
            "wall_seconds");
    assertThat(summary.get("rounds")).isEqualTo(2L);
    assertThat(summary.get("peers")).isEqualTo(6L);
    assertThat(summary.get("epsilon")).as("no noise: no finite epsilon").isNull();
    assertThat((Double) summary.get("final_accuracy")).isGreaterThan(0.8);
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      assertThat((Long) summary.get("peak_rss_bytes"))
          .as("this JVM's VmHWM")
          .isGreaterThan(16L << 20);
    }

    byte[] png = Files.readAllBytes(o.resolve("accuracy.png"));
    assertThat(png.length).isGreaterThan(1000);
    assertThat(java.util.Arrays.copyOf(png, 8)).isEqualTo(PNG_SIGNATURE);
  }

  @Test
  void thePeakResidentSetIsReadFromVmHwmInKilobytes() throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nVmPeak:\t 9999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n");
    assertThat(SimulateCommand.peakResidentBytes(status)).isEqualTo(123456L * 1024);
    Files.writeString(status, "Name:\tjava\nVmHWM:\t12 MB\n");
    assertThat(SimulateCommand.peakResidentBytes(status)).isEqualTo(-1);
    assertThat(SimulateCommand.peakResidentBytes(dir.resolve("missing"))).isEqualTo(-1);
  }

  @Test
  void theSameSeedWritesTheSameRoundsCsv() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String[] common = {"simulate", "--scenario", "hospitals", "--rounds", "2", "--seed", "9"};
    assertThat(run(concat(common, "--out", a.toString()))).isZero();
    assertThat(runFresh(concat(common, "--out", b.toString()))).isZero();
    assertThat(Files.readAllBytes(b.resolve("rounds.csv")))
        .isEqualTo(Files.readAllBytes(a.resolve("rounds.csv")));
  }

  @Test
  void compareRunsOncePerValueAndDrawsOneChart() throws Exception {
    Path o = dir.resolve("cmp");
    int code =
        run(
            "simulate",
            "--scenario",
            "hospitals",
            "--rounds",
            "2",
            "--out",
            o.toString(),
            "--compare",
            "aggregation.rule=fedavg,median");
    assertThat(code).as(err.toString()).isZero();
    List<String> lines =
        out.toString().lines().filter(l -> l.startsWith("aggregation.rule=")).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("aggregation.rule=fedavg").contains("final accuracy");
    assertThat(lines.get(1)).startsWith("aggregation.rule=median");
    assertThat(Files.size(o.resolve("compare.png"))).isGreaterThan(1000);
    assertThat(o.resolve("aggregation.rule=fedavg").resolve("rounds.csv")).exists();
    assertThat(o.resolve("aggregation.rule=median").resolve("rounds.csv")).exists();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(o.resolve("summary.json")));
    assertThat((List<?>) summary.get("runs")).hasSize(2);
  }

  @Test
  void aScenarioFileCanBeGivenByPath() throws Exception {
    Path file = dir.resolve("tiny.properties");
    Files.writeString(
        file,
        "scenario.description=tiny\ndata.set=breast-cancer\nfederation.baskets=2\n"
            + "federation.peersPerBasket=2\ntrainer.type=logistic\nsimulation.rounds=1\n");
    assertThat(run("simulate", "--scenario", file.toString(), "--out", dir.resolve("t").toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readAllLines(dir.resolve("t").resolve("rounds.csv"))).hasSize(2);
  }

  @Test
  void badOptionsAndKeysExitTwoNamingThem() {
    assertThat(run("simulate", "--set", "aggregation.rulle=fedavg", "--out", dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--set").contains("unknown key 'aggregation.rulle'");

    assertThat(runFresh("simulate", "--set", "privacy.clipNorm=-1", "--out", dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("privacy.clipNorm").contains("-1");

    assertThat(runFresh("simulate", "--scenario", "nosuch")).isEqualTo(2);
    assertThat(err.toString()).contains("--scenario").contains("unknown scenario 'nosuch'");

    assertThat(runFresh("simulate", "--compare", "aggregation.rule")).isEqualTo(2);
    assertThat(err.toString()).contains("--compare").contains("KEY=V1,V2");

    assertThat(runFresh("simulate", "--compare", "aggregation.rule=fedavg,mean")).isEqualTo(2);
    assertThat(err.toString()).contains("--compare").contains("aggregation.rule=mean");

    assertThat(runFresh("simulate", "--rounds", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rounds").contains("must be >= 1");
  }

  @Test
  void helpShowsEveryDefault() {
    assertThat(run("simulate", "--help")).isZero();
    assertThat(out.toString())
        .contains("--scenario")
        .contains("default: quickstart")
        .contains("--compare")
        .contains("--set")
        .contains("--list")
        .contains("simulation-out/<scenario>");
  }

  private static String[] concat(String[] a, String... b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
