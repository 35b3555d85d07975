package org.fedgossip.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.fedgossip.transport.memory.LinkModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short emulated chaos leg: 3 baskets × 5 peers (one sign-flipping Byzantine per basket), one
 * flooder, 6 rounds on lossy, duplicating, reordering links with 3 peer kills, 2 coordinator kills
 * and a basket partition; every check passes, and the figures show each fault happened.
 */
class EmulatedLegTest {

  @TempDir Path dir;

  @Test
  void shortEmulatedLegPassesEveryCheck() {
    long seed = 20261124L;
    EmulatedLeg.Config defaults = EmulatedLeg.Config.defaults(seed, 6, 3, 5, dir);
    EmulatedLeg.Config c =
        new EmulatedLeg.Config(
                seed,
                6,
                3,
                5,
                1,
                10,
                LinkModel.lan(2_000_000, 3_000_000)
                    .withLossProbability(0.005)
                    .withDuplicateProbability(0.02)
                    .withReorderProbability(0.05),
                3,
                2,
                1,
                defaults.tolerance(),
                defaults.roundLimitMs(),
                dir)
            .withFaults(3, 2, 1);
    StringWriter progress = new StringWriter();
    LegResult r = EmulatedLeg.run(c, new PrintWriter(progress));
    String report = new ChaosReport("test", seed, "jdk", "-", "-", List.of(r)).markdown();

    assertThat(r.passed()).as("seed %d:%n%s%n%s", seed, report, progress).isTrue();
    // A planned kill whose target is still down from an earlier one is skipped and counted, so
    // the kills carried out plus those skipped are the plan's 3 + 2.
    assertThat(
            r.totalKills()
                + ((Number) r.facts().get("faults_skipped_target_already_down")).longValue())
        .as(report)
        .isEqualTo(5L);
    assertThat(r.totalKills()).as(report).isGreaterThanOrEqualTo(4);
    assertThat(r.coordinatorKills()).as(report).isGreaterThanOrEqualTo(1);
    assertThat(r.partitions()).as(report).isEqualTo(1);
    assertThat(r.rejected()).as(report).containsKey("gossip.RATE_LIMITED");
    assertThat(r.rejected()).as(report).containsKey("network.PARTITIONED");
    assertThat(r.facts().get("honest_senders_rate_limited")).as(report).isEqualTo(0L);
    assertThat(progress.toString()).contains("emulated chaos: model version 6/6");
  }
}
