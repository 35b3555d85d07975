package org.fedgossip.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs small scenarios end to end on the real protocol classes. */
class SimulationRunnerTest {

  private static final long SEED = 20261124L;

  /** A small, fast federation: the hospitals data, 2 baskets of 3, a few rounds. */
  static Scenario small(long seed) {
    return Scenario.load("hospitals")
        .with(Map.of("simulation.rounds", "3", "simulation.seed", Long.toString(seed)));
  }

  @Test
  void theSameSeedGivesTheSameRoundsCsvByteForByte() {
    String first = SimulationRunner.csv(SimulationRunner.run(small(SEED), null).rounds());
    String second = SimulationRunner.csv(SimulationRunner.run(small(SEED), null).rounds());
    String other = SimulationRunner.csv(SimulationRunner.run(small(SEED + 1), null).rounds());
    assertThat(second).as("seed %d twice", SEED).isEqualTo(first);
    assertThat(other).as("seeds %d and %d", SEED, SEED + 1).isNotEqualTo(first);
    assertThat(first.lines()).hasSize(4).first().isEqualTo(SimulationRunner.CSV_HEADER);
  }

  @Test
  void everyRoundIsRecordedWithItsFigures() {
    SimulationRunner.Result r = SimulationRunner.run(small(SEED), null);
    assertThat(r.rounds())
        .extracting(SimulationRunner.RoundRecord::round)
        .containsExactly(1L, 2L, 3L);
    for (SimulationRunner.RoundRecord rec : r.rounds()) {
      assertThat(rec.participants()).as("seed %d: all 6 hospitals released", SEED).isEqualTo(6);
      assertThat(rec.baskets()).isEqualTo(2);
      assertThat(rec.bytes()).isPositive();
      assertThat(rec.epsilon()).as("no noise, no DP guarantee").isInfinite();
    }
    assertThat(r.finalAccuracy()).as("seed %d", SEED).isGreaterThan(0.85);
    assertThat(r.centralized().accuracy()).isGreaterThan(0.9);
    assertThat(r.epsilon()).isInfinite();
  }

  @Test
  void theScaleScenarioShrunkToThreeBasketsOfSevenRunsARound() {
    // The scale file with its shape shrunk (and f with it, as trimmed mean needs f < n/2), so that
    // the default suite checks the file stays valid; the full run is by hand, see the file.
    Scenario scale =
        Scenario.load("scale")
            .with(
                Map.of(
                    "federation.baskets", "3",
                    "federation.peersPerBasket", "7",
                    "aggregation.byzantine", "2",
                    "round.minUpdates", "7",
                    "baseline.epochs", "1",
                    "simulation.rounds", "1",
                    "simulation.seed", Long.toString(SEED)));
    java.util.List<String> status = new java.util.ArrayList<>();
    SimulationRunner.Result r =
        SimulationRunner.run(
            scale,
            new SimulationRunner.Progress() {
              @Override
              public void onRound(SimulationRunner.RoundRecord record, int rounds) {}

              @Override
              public void onStatus(String message) {
                status.add(message);
              }
            });

    assertThat(r.rounds()).hasSize(1);
    SimulationRunner.RoundRecord only = r.rounds().get(0);
    assertThat(only.participants()).as("seed %d: all 21 peers released", SEED).isEqualTo(21);
    assertThat(only.baskets()).isEqualTo(3);
    assertThat(only.accuracy()).as("seed %d: better than chance", SEED).isGreaterThan(0.2);
    assertThat(r.roundSeconds()).hasSize(1);
    assertThat(r.secondsPerRound()).isPositive();
    assertThat(r.setupSeconds()).isPositive();
    assertThat(r.peakHeapBytes()).isPositive();
    assertThat(status).allSatisfy(m -> assertThat(m).matches("(starting|round 1).*"));
  }

  @Test
  void centralNoiseIsChargedAndReportedAsEpsilon() {
    SimulationRunner.Result r =
        SimulationRunner.run(
            small(SEED)
                .with(Map.of("privacy.centralNoiseMultiplier", "2", "simulation.rounds", "2")),
            null);
    double first = r.rounds().get(0).epsilon();
    double second = r.rounds().get(1).epsilon();
    assertThat(first).as("seed %d", SEED).isPositive().isFinite();
    assertThat(second).isGreaterThan(first);
    assertThat(r.epsilon()).isEqualTo(second);
    assertThat(SimulationRunner.csv(r.rounds())).doesNotContain("inf");
  }

  @Test
  void aSmallPrivateRunHasAVaryingParticipantCountAndTheSampledEpsilon() {
    Scenario s =
        Scenario.load("private")
            .with(
                Map.of(
                    "data.set", "breast-cancer",
                    "trainer.type", "logistic",
                    "federation.baskets", "3",
                    "federation.peersPerBasket", "6",
                    "round.minUpdates", "6",
                    "round.participation", "0.5",
                    "privacy.epsilon", "1000",
                    "round.timeoutMs", "500",
                    "simulation.rounds", "3",
                    "simulation.seed", Long.toString(SEED)));
    SimulationRunner.Result r = SimulationRunner.run(s, null);
    assertThat(r.rounds()).hasSize(3);
    java.util.Set<Long> counts = new java.util.TreeSet<>();
    for (SimulationRunner.RoundRecord rec : r.rounds()) {
      assertThat(rec.participants()).as("seed %d", SEED).isBetween(0L, 18L);
      counts.add(rec.participants());
    }
    assertThat(counts)
        .as("seed %d: participants vary under Poisson sampling", SEED)
        .hasSizeGreaterThan(1);
    double expected =
        org.fedgossip.core.privacy.RdpAccountant.withDefaultOrders()
            .epsilon(
                java.util.List.of(new org.fedgossip.core.privacy.PrivacyEvent(0.5, 0.8, 3)), 1e-5)
            .epsilon();
    assertThat(r.epsilon())
        .as("seed %d", SEED)
        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void attackersPoisonThroughTheProtocolAndARobustRuleRejectsThem() {
    Map<String, String> attacked =
        Map.of(
            "federation.peersPerBasket", "5",
            "attack.type", "sign-flip",
            "attack.fraction", "0.2",
            "aggregation.rule", "multi-krum",
            "aggregation.byzantine", "1",
            "round.minUpdates", "5");
    SimulationRunner.Result r = SimulationRunner.run(small(SEED).with(attacked), null);
    long rejected = r.rounds().stream().mapToLong(SimulationRunner.RoundRecord::rejected).sum();
    assertThat(rejected).as("seed %d: Multi-Krum left out the flipped updates", SEED).isPositive();
    assertThat(r.finalAccuracy()).as("seed %d", SEED).isGreaterThan(0.8);
  }

  @Test
  void delegatesThatDropAfterTheirMaskedInputAreRecoveredBySecAgg() {
    Scenario s =
        small(SEED)
            .with(
                Map.of(
                    "federation.baskets", "6",
                    "dropout.fraction", "0.5",
                    "secagg.phaseTimeoutMs", "1000"));
    SimulationRunner.Result r = SimulationRunner.run(s, null);
    assertThat(r.rounds()).as("seed %d: every round completed", SEED).hasSize(3);
    long dropouts = r.rounds().stream().mapToLong(SimulationRunner.RoundRecord::dropouts).sum();
    assertThat(dropouts).as("seed %d", SEED).isPositive();
    for (SimulationRunner.RoundRecord rec : r.rounds()) {
      assertThat(rec.secAggFailed()).as("seed %d round %d", SEED, rec.round()).isZero();
      assertThat(rec.baskets()).as("the dropped delegates' inputs were recovered").isEqualTo(6);
    }
    assertThat(r.finalAccuracy()).as("seed %d", SEED).isGreaterThan(0.85);
  }
}
