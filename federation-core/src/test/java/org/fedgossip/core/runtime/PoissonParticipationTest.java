package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The participation coin: deterministic per (seed, round), and of rate q. */
class PoissonParticipationTest {

  /** Five binomial standard deviations: a correct coin fails this about once in 3.5 million. */
  private static final double SIGMAS = 5;

  private static final int DRAWS = 20_000;

  @Property(tries = 50)
  void theDecisionIsTheSameEveryTimeItIsAsked(
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0.01, max = 1) double q,
      @ForAll @LongRange(min = 0, max = 1_000_000) long round) {
    PoissonParticipation a = new PoissonParticipation(seed, q);
    PoissonParticipation b = new PoissonParticipation(seed, q);
    assertThat(a.participates(round)).isEqualTo(b.participates(round));
    assertThat(a.participates(round)).isEqualTo(a.participates(round));
  }

  @Property(tries = 30)
  void oneSeedTakesPartInAFractionQOfTheRounds(
      @ForAll long seed, @ForAll @DoubleRange(min = 0.02, max = 0.98) double q) {
    PoissonParticipation coin = new PoissonParticipation(seed, q);
    int hits = 0;
    for (long round = 0; round < DRAWS; round++) {
      if (coin.participates(round)) {
        hits++;
      }
    }
    assertWithinBinomial(hits, DRAWS, q, "seed " + seed);
  }

  @Property(tries = 30)
  void inOneRoundAFractionQOfThePeersTakesPart(
      @ForAll long firstSeed,
      @ForAll @LongRange(min = 0, max = 10_000) long round,
      @ForAll @DoubleRange(min = 0.02, max = 0.98) double q) {
    int hits = 0;
    for (int peer = 0; peer < DRAWS; peer++) {
      // Peer seeds as a simulation derives them: consecutive mixes of one run seed.
      if (new PoissonParticipation(firstSeed * 1_000_003L + peer, q).participates(round)) {
        hits++;
      }
    }
    assertWithinBinomial(hits, DRAWS, q, "first seed " + firstSeed + ", round " + round);
  }

  @Test
  void consecutiveRoundsOfOnePeerAreNotCorrelated() {
    // With q = 1/2, P(both rounds r and r+1) must be about 1/4.
    PoissonParticipation coin = new PoissonParticipation(42, 0.5);
    int both = 0;
    for (long round = 0; round < DRAWS; round++) {
      if (coin.participates(round) && coin.participates(round + 1)) {
        both++;
      }
    }
    assertWithinBinomial(both, DRAWS, 0.25, "seed 42");
  }

  @Test
  void rateOneTakesPartInEveryRound() {
    PoissonParticipation coin = new PoissonParticipation(7, 1.0);
    for (long round = 0; round < 1000; round++) {
      assertThat(coin.participates(round)).isTrue();
    }
  }

  @Test
  void shouldRejectARateOutsideZeroToOneNamingTheKey() {
    for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> new PoissonParticipation(1, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("round.participation")
          .hasMessageContaining("(0, 1]");
    }
  }

  private static void assertWithinBinomial(int hits, int n, double q, String what) {
    double sd = Math.sqrt(n * q * (1 - q));
    assertThat((double) hits)
        .as("%s: %d of %d at q = %s (tolerance %s sd)", what, hits, n, q, SIGMAS)
        .isBetween(n * q - SIGMAS * sd, n * q + SIGMAS * sd);
  }
}
