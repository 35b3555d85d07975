package org.fedgossip.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The fault plan is a pure function of the seed, with the requested faults in range. */
class FaultPlanTest {

  @Property(tries = 200)
  void planHoldsTheRequestedFaultsWithinTheRounds(
      @ForAll long seed,
      @ForAll @IntRange(min = 6, max = 200) int rounds,
      @ForAll @IntRange(min = 1, max = 40) int peers,
      @ForAll @IntRange(min = 0, max = 20) int kills) {
    FaultPlan plan = FaultPlan.draw(seed, rounds, peers, 3, kills, 2, 1);
    assertThat(plan.count(FaultPlan.Kind.KILL_PEER)).isEqualTo(kills);
    assertThat(plan.count(FaultPlan.Kind.KILL_COORDINATOR)).isEqualTo(2);
    assertThat(plan.count(FaultPlan.Kind.PARTITION_BASKET)).isEqualTo(1);
    for (FaultPlan.Fault f : plan.faults()) {
      assertThat(f.round()).isBetween(2, rounds - 2);
      assertThat(f.durationMs()).isPositive();
      if (f.kind() == FaultPlan.Kind.KILL_PEER) {
        assertThat(f.target()).isBetween(0, peers - 1);
      }
    }
    assertThat(FaultPlan.draw(seed, rounds, peers, 3, kills, 2, 1)).isEqualTo(plan);
  }

  @Test
  void tooFewRoundsAreRefusedByName() {
    assertThatThrownBy(() -> FaultPlan.draw(1, 5, 3, 3, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds is 5");
  }
}
