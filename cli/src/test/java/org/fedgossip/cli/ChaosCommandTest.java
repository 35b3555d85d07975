package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code fedgossip chaos}: its help, its option checks, and (slow) the processes leg. */
class ChaosCommandTest extends CommandTestSupport {

  @TempDir Path dir;

  @Test
  void helpShowsEveryDefault() {
    assertThat(runFresh("chaos", "--help")).isZero();
    assertThat(out.toString())
        .contains("--leg")
        .contains("default: both")
        .contains("default: 30")
        .contains("default: 3)")
        .contains("default: 5)")
        .contains("default: 0.05")
        .contains("default: 21000")
        .contains("max(3, rounds/4)");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--leg, sideways",
    "--rounds, 5",
    "--baskets, 2",
    "--peers-per-basket, 4",
    "--tolerance, 1.5",
    "--loss, 1",
    "--flood-per-tick, 0",
    "--peer-kills, -1",
    "--base-port, 80"
  })
  void badOptionValueExitsTwoNamingTheOption(String option, String value) {
    assertThat(runFresh("chaos", "--out", dir.resolve("o").toString(), option, value)).isEqualTo(2);
    assertThat(err.toString()).contains(option).contains(value);
    assertThat(Files.exists(dir.resolve("o"))).as("nothing written").isFalse();
  }

  @Test
  void nonEmptyOutputDirectoryIsRefused() throws Exception {
    Files.writeString(dir.resolve("x"), "x");
    assertThat(runFresh("chaos", "--out", dir.toString(), "--leg", "emulated")).isEqualTo(1);
    assertThat(err.toString()).contains("not empty");
  }

  /**
   * The processes leg: 3 × 5 peers and a coordinator as 16 JVMs over mutual TLS, 8 rounds, 3 peer
   * SIGKILLs and 2 of the coordinator; every check passes and the report is written.
   */
  @Test
  @Tag("slow")
  void processesLegPassesEveryCheck() throws Exception {
    long seed = 7;
    int port = 22_000 + (int) Math.floorMod(System.nanoTime(), 10_000L);
    Path o = dir.resolve("run");
    int code =
        runFresh(
            "chaos",
            "--out",
            o.toString(),
            "--leg",
            "processes",
            "--seed",
            Long.toString(seed),
            "--rounds",
            "8",
            "--base-port",
            Integer.toString(port));
    String report =
        Files.exists(o.resolve("report.md")) ? Files.readString(o.resolve("report.md")) : "";
    assertThat(code).as("seed %d, port %d:%n%s%n%s%n%s", seed, port, out, err, report).isZero();
    assertThat(report).contains("every check passed").contains("kills-were-sigkill");
  }
}
