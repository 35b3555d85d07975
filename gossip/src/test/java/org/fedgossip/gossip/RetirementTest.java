package org.fedgossip.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedgossip.gossip.simulation.GossipSimulation;
import org.junit.jupiter.api.Test;

/** {@link GossipNode#retireBelow}: retired rounds leave the store and do not come back. */
class RetirementTest {

  private static final long SEED = 20261124L;
  private static final int N = 8;

  @Test
  void aRetiredRoundIsDroppedAndNotFetchedAgainFromMembersThatStillHoldIt() {
    try (GossipSimulation sim = new GossipSimulation(GossipSimulation.Settings.of(N, SEED, 0))) {
      sim.runFor(1000);
      for (long round = 0; round < 4; round++) {
        for (int origin = 0; origin < N; origin += 3) {
          sim.publish(origin, round, new byte[256], true);
        }
      }
      assertThat(sim.runUntil(() -> everyItemEverywhere(sim), 30_000))
          .as("seed %d: items disseminated", SEED)
          .isTrue();
      GossipNode retiring = sim.node(1);
      assertThat(retiring.retireBelow(2)).as("seed %d: 3 origins x 2 rounds", SEED).isEqualTo(6);
      // The others still hold and advertise rounds 0 and 1; node 1 must not fetch them again.
      sim.runFor(5000);
      for (int origin = 0; origin < N; origin += 3) {
        for (long round = 0; round < 4; round++) {
          assertThat(retiring.has(sim.id(origin), round))
              .as("seed %d: node 1 holds (%d, %d)", SEED, origin, round)
              .isEqualTo(round >= 2);
          assertThat(sim.node(2).has(sim.id(origin), round)).isTrue();
        }
      }
      assertThat(retiring.retireBelow(2)).as("a second call is a no-op").isZero();
      assertThatThrownBy(() -> retiring.publish(sim.nowNanos(), 1, new byte[8], false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("round 1");
    }
  }

  private static boolean everyItemEverywhere(GossipSimulation sim) {
    for (long round = 0; round < 4; round++) {
      for (int origin = 0; origin < N; origin += 3) {
        if (!sim.fullyDisseminated(origin, round)) {
          return false;
        }
      }
    }
    return true;
  }
}
