package org.fedgossip.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class StalenessBufferPropertyTest {

  /** One step of a random workload: an offer (origin, round offset) or an advance. */
  record Step(boolean advance, int origin, int roundsBack) {}

  @Provide
  Arbitrary<List<Step>> workloads() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 9).map(i -> i == 0),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(-2, 8))
            .as(Step::new);
    return step.list().ofMaxSize(200);
  }

  @Property(tries = 300)
  void invariantsHoldAfterAnyWorkload(
      @ForAll("workloads") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 12) int maxEntries,
      @ForAll @IntRange(min = 0, max = 5) int maxStaleness) {
    StalenessBuffer<Integer> b =
        new StalenessBuffer<>(
            new StalenessBufferConfig(maxEntries, maxStaleness, StalenessDecay.polynomial(0.5)), 3);
    long offers = 0;
    for (Step s : steps) {
      if (s.advance()) {
        b.advanceTo(b.currentRound() + 1);
      } else {
        long round = Math.max(0, b.currentRound() - s.roundsBack());
        boolean held = b.contains(s.origin(), round);
        Admission a = b.offer(s.origin(), round, new float[] {s.origin()}, 1);
        offers++;
        if (held) {
          assertThat(a).isEqualTo(Admission.DUPLICATE);
        }
      }
      List<WeightedUpdate<Integer>> all = b.snapshot();
      assertThat(all).hasSize(b.size());
      assertThat(b.size()).isLessThanOrEqualTo(maxEntries);
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        WeightedUpdate<Integer> u = all.get(i);
        assertThat(keys.add(u.origin() + "@" + u.round())).isTrue();
        assertThat(u.staleness()).isBetween(0L, (long) maxStaleness);
        assertThat(u.staleness()).isEqualTo(b.currentRound() - u.round());
        if (i > 0) {
          assertThat(u.round()).isGreaterThanOrEqualTo(all.get(i - 1).round());
        }
      }
    }
    long counted = 0;
    for (Admission a : Admission.values()) {
      counted += b.count(a);
    }
    assertThat(counted).isEqualTo(offers);
    assertThat(b.count(Admission.ACCEPTED))
        .isEqualTo(b.size() + b.evictedStaleCount() + b.evictedForCapacityCount());
  }

  @Property
  void decayIsOneAtZeroAndNonIncreasing(
      @ForAll @DoubleRange(min = 0, max = 64) double parameter,
      @ForAll @LongRange(min = 0, max = 1_000_000) long staleness) {
    for (StalenessDecay d :
        List.of(StalenessDecay.polynomial(parameter), StalenessDecay.exponential(parameter))) {
      assertThat(d.weight(0)).isEqualTo(1.0);
      double w = d.weight(staleness);
      assertThat(w).isBetween(0.0, 1.0);
      assertThat(d.weight(staleness + 1)).isLessThanOrEqualTo(w);
    }
  }
}
