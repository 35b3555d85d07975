package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedgossip simulate --processes P} end to end: worker JVMs on loopback with mutual TLS, the
 * same outputs as in-process, clear errors for bad counts, and no process left behind, also when a
 * worker dies.
 */
class MultiProcessSimulationTest extends CommandTestSupport {

  @TempDir Path dir;

  private Thread runner;

  @AfterEach
  void killLeftovers() throws Exception {
    for (ProcessHandle h : workers()) {
      new ProcessBuilder("kill", "-KILL", Long.toString(h.pid())).start().waitFor();
    }
    if (runner != null) {
      runner.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  @Test
  void twoProcessesRunTwoRoundsWriteTheOutputsAndLeaveNoProcessBehind() throws Exception {
    Path o = dir.resolve("out");
    int code =
        run(
            "simulate",
            "--scenario",
            "hospitals",
            "--rounds",
            "2",
            "--seed",
            "3",
            "--processes",
            "2",
            "--out",
            o.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("2 worker processes").contains("round 2/2");

    List<String> csv = Files.readAllLines(o.resolve("rounds.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0))
        .isEqualTo(org.fedgossip.simulations.scenario.SimulationRunner.CSV_HEADER);
    assertThat(csv.get(1)).startsWith("1,");
    assertThat(csv.get(2)).startsWith("2,");
    @SuppressWarnings("unchecked")
    Map<String, Object> summary =
        (Map<String, Object>) Json.parse(Files.readString(o.resolve("summary.json")));
    assertThat(summary.get("rounds")).isEqualTo(2L);
    assertThat(summary.get("peers")).isEqualTo(6L);
    assertThat(summary.get("processes")).isEqualTo(2L);
    // Breast cancer's majority class is 63% of the held-out rows: better than always guessing it.
    assertThat((Double) summary.get("final_accuracy")).isGreaterThan(0.8);
    assertThat(Files.size(o.resolve("accuracy.png"))).isGreaterThan(1000);
    // Every round combined both baskets' aggregates, from the six peers' updates.
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      assertThat(Long.parseLong(f[7])).as("baskets in %s", line).isEqualTo(2);
    }
    assertThat(o.resolve("logs/worker-0.log")).exists();
    assertThat(o.resolve("logs/worker-1.log")).exists();
    assertThat(o.resolve("federation/ca/ca.crt")).exists();
    assertThat(o.resolve("federation/roster")).isDirectoryContaining("glob:**coordinator.crt");
    assertThat(workers()).as("worker processes left alive").isEmpty();
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aKilledWorkerFailsTheRunNamingItAndEveryProcessIsStopped() throws Exception {
    Path o = dir.resolve("killed");
    AtomicInteger code = new AtomicInteger(-1);
    runner =
        new Thread(
            () ->
                code.set(
                    run(
                        "simulate",
                        "--scenario",
                        "hospitals",
                        "--rounds",
                        "1000",
                        "--processes",
                        "2",
                        "--out",
                        o.toString())));
    runner.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!err.toString().contains("rounds run") && System.nanoTime() < end && runner.isAlive()) {
      Thread.sleep(100);
    }
    assertThat(err.toString()).as("the workers started").contains("rounds run in real time");
    Matcher pids = Pattern.compile("pids \\[(\\d+), (\\d+)\\]").matcher(err.toString());
    assertThat(pids.find()).as("the pids in %s", err).isTrue();
    assertThat(workers()).as("%s", err).hasSize(2);
    long victim = Long.parseLong(pids.group(2));
    // SIGKILL, as the OOM killer or a crash would end it.
    assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(victim)).start().waitFor())
        .isZero();
    runner.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(runner.isAlive()).as("the run ends after a worker dies").isFalse();
    assertThat(code.get()).isNotZero();
    assertThat(err.toString())
        .contains("worker 1 (pid " + victim + ") exited with code 137")
        .contains("worker-1.log");
    assertThat(workers()).as("worker processes left alive").isEmpty();
  }

  @Test
  void badProcessCountsAndCombinationsNameTheOption() {
    assertThat(runFresh("simulate", "--scenario", "hospitals", "--processes", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--processes").contains("[1, 6]").contains("got 0");

    assertThat(runFresh("simulate", "--scenario", "hospitals", "--processes", "7")).isEqualTo(2);
    assertThat(err.toString()).contains("--processes").contains("got 7");

    assertThat(
            runFresh(
                "simulate",
                "--scenario",
                "hospitals",
                "--processes",
                "2",
                "--compare",
                "trainer.learningRate=0.1,0.2"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--compare").contains("--processes");

    assertThat(runFresh("simulate", "--scenario", "dropout", "--processes", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("dropout.fraction");

    assertThat(
            runFresh(
                "simulate", "--scenario", "hospitals", "--processes", "2", "--round-timeout", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--round-timeout").contains("got 0");
    assertThat(workers()).isEmpty();
  }

  /**
   * This JVM's live descendants: the workers while a run goes on. The tests of a class run one at a
   * time and stop what they start, so nothing else is there.
   */
  static List<ProcessHandle> workers() {
    return ChildJvm.descendants(ProcessHandle.current()).stream().filter(ChildJvm::alive).toList();
  }
}
