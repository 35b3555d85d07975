package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TrustScorerTest {

  private static final PeerId P = PeerId.fromDigest(new byte[32]);
  private static final long MIN = 60_000;

  record Event(Evidence evidence, long gapMillis) {}

  @Provide
  Arbitrary<Event> events() {
    return Combinators.combine(
            Arbitraries.of(Evidence.class), Arbitraries.longs().between(0, 30 * MIN))
        .as(Event::new);
  }

  private static List<Double> run(TrustScorer scorer, List<Event> events) {
    List<Double> scores = new ArrayList<>();
    long t = 0;
    for (Event e : events) {
      t += e.gapMillis();
      scores.add(scorer.record(P, e.evidence(), t));
    }
    return scores;
  }

  @Test
  void shouldStartAtThePriorAndFallWithBadEvidence() {
    TrustScorer scorer = new TrustScorer(TrustScorerConfig.DEFAULT);

    assertThat(scorer.score(P, 0)).isEqualTo(1.0);
    assertThat(scorer.standing(P, 0)).isEqualTo(Standing.TRUSTED);
    assertThat(scorer.record(P, Evidence.BAD_SIGNATURE, 0)).isEqualTo(0.5);
    assertThat(scorer.standing(P, 0)).isEqualTo(Standing.TRUSTED);
    assertThat(scorer.record(P, Evidence.BAD_SIGNATURE, 0)).isEqualTo(0.25);
    assertThat(scorer.standing(P, 0)).isEqualTo(Standing.DOWN_WEIGHTED);
    assertThat(scorer.record(P, Evidence.BAD_SIGNATURE, 0)).isEqualTo(0.125);
    assertThat(scorer.standing(P, 0)).isEqualTo(Standing.EXCLUDED);
  }

  @Test
  void shouldDecayHalfTheDistanceToThePriorPerHalfLife() {
    TrustScorer scorer = new TrustScorer(TrustScorerConfig.DEFAULT);
    scorer.record(P, Evidence.BAD_SIGNATURE, 0); // 0.5

    assertThat(scorer.score(P, 10 * MIN)).isCloseTo(0.75, within(1e-12));
    assertThat(scorer.score(P, 20 * MIN)).isCloseTo(0.875, within(1e-12));
    assertThat(scorer.score(P, 5 * MIN))
        .as("time going back decays nothing")
        .isCloseTo(0.875, within(1e-12));
  }

  @Test
  void shouldNotFlapAroundAThresholdThanksToHysteresis() {
    TrustScorerConfig config =
        TrustScorerConfig.DEFAULT.withPrior(0.5).withHalfLife(Duration.ofDays(365));
    TrustScorer scorer = new TrustScorer(config);
    scorer.record(P, Evidence.TIMEOUT, 0); // 0.475: below 0.5
    assertThat(scorer.standing(P, 0)).isEqualTo(Standing.DOWN_WEIGHTED);

    scorer.record(P, Evidence.ACCEPTED, 1); // ~0.501: above the threshold, below 0.6
    assertThat(scorer.score(P, 1)).isGreaterThan(0.5);
    assertThat(scorer.standing(P, 1)).isEqualTo(Standing.DOWN_WEIGHTED);
    for (int i = 0; i < 5; i++) {
      scorer.record(P, Evidence.ACCEPTED, 2);
    }
    assertThat(scorer.score(P, 2)).isGreaterThanOrEqualTo(0.6);
    assertThat(scorer.standing(P, 2)).isEqualTo(Standing.TRUSTED);
  }

  @Test
  void shouldLeaveExclusionOnlyAboveTheThresholdPlusHysteresis() {
    TrustScorer scorer = new TrustScorer(TrustScorerConfig.DEFAULT);
    for (int i = 0; i < 3; i++) {
      scorer.record(P, Evidence.BAD_SIGNATURE, 0); // 0.125
    }
    // 1 - 0.875 * 2^(-t/10min) reaches 0.2 at t ~ 1.29 min and 0.3 at t ~ 3.22 min.
    assertThat(scorer.standing(P, 2 * MIN)).isEqualTo(Standing.EXCLUDED);
    assertThat(scorer.standing(P, 4 * MIN)).isEqualTo(Standing.DOWN_WEIGHTED);
    assertThat(scorer.standing(P, 60 * MIN)).isEqualTo(Standing.TRUSTED);
  }

  @Test
  void shouldNameTheFieldOfABadConfig() {
    var d = TrustScorerConfig.DEFAULT;
    assertThatThrownBy(() -> d.withPrior(1.5))
        .hasMessageContaining("prior must be in [0.0, 1.0], got 1.5");
    assertThatThrownBy(() -> d.withHalfLife(Duration.ZERO)).hasMessageContaining("halfLife");
    assertThatThrownBy(() -> d.withWeight(Evidence.TIMEOUT, -0.1))
        .hasMessageContaining("weights[TIMEOUT]");
    assertThatThrownBy(
            () -> new TrustScorerConfig(1, Duration.ofMinutes(1), d.weights(), 0.5, 0.6, 0.1))
        .hasMessageContaining("excludeBelow");
    assertThatThrownBy(
            () -> new TrustScorerConfig(1, Duration.ofMinutes(1), d.weights(), 0.95, 0.2, 0.1))
        .hasMessageContaining("hysteresis");
    assertThatThrownBy(
            () ->
                new TrustScorerConfig(1, Duration.ofMinutes(1), java.util.Map.of(), 0.5, 0.2, 0.1))
        .hasMessageContaining("weights has no entry");
  }

  @Property(tries = 300)
  void sameEvidenceSequenceGivesSameScores(
      @ForAll @Size(max = 60) List<@From("events") Event> events) {
    assertThat(run(new TrustScorer(TrustScorerConfig.DEFAULT), events))
        .isEqualTo(run(new TrustScorer(TrustScorerConfig.DEFAULT), events));
  }

  @Property(tries = 300)
  void scoresStayInTheUnitInterval(
      @ForAll @Size(max = 80) List<@From("events") Event> events,
      @ForAll @IntRange(min = 0, max = 100) int priorPercent) {
    TrustScorer scorer =
        new TrustScorer(
            TrustScorerConfig.DEFAULT
                .withPrior(priorPercent / 100.0)
                .withWeight(Evidence.BAD_SIGNATURE, 1.0));
    assertThat(run(scorer, events)).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
  }

  @Property(tries = 300)
  void moreBadEvidenceNeverRaisesAScore(
      @ForAll @Size(min = 1, max = 60) List<@From("events") Event> events,
      @ForAll @IntRange(min = 0, max = 60) int insertAt,
      @ForAll Evidence extra) {
    if (extra.isGood()) {
      return;
    }
    int at = Math.min(insertAt, events.size());
    List<Event> worse = new ArrayList<>(events);
    worse.add(at, new Event(extra, 0));
    TrustScorer base = new TrustScorer(TrustScorerConfig.DEFAULT);
    TrustScorer more = new TrustScorer(TrustScorerConfig.DEFAULT);
    run(base, events);
    run(more, worse);
    long end = events.stream().mapToLong(Event::gapMillis).sum() + MIN;
    assertThat(more.score(P, end)).isLessThanOrEqualTo(base.score(P, end));
    List<Double> baseScores = run(new TrustScorer(TrustScorerConfig.DEFAULT), events);
    List<Double> worseScores = run(new TrustScorer(TrustScorerConfig.DEFAULT), worse);
    worseScores.remove(at);
    for (int i = 0; i < baseScores.size(); i++) {
      assertThat(worseScores.get(i)).as("after event %d", i).isLessThanOrEqualTo(baseScores.get(i));
    }
  }
}
