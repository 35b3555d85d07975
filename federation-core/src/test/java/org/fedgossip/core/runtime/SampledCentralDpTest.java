package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.core.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poisson participation with central noise (DP-FedAvg's fixed-denominator estimator): three baskets
 * of eight peers that each train by themselves with probability q, in virtual time.
 */
class SampledCentralDpTest {

  private static final long SEED = 20261124L;
  private static final long MAX_ROUND_NANOS = 60_000_000_000L;
  private static final int DIM = 6;
  private static final int BASKETS = 3;
  private static final int PER_BASKET = 8;
  private static final double Q = 0.5;

  @TempDir Path directory;

  /** Peer i always sends the same delta, of norm 0.5 &lt; C, and notes the rounds it trained in. */
  private record FixedTrainer(int index, Map<Long, Set<Integer>> trained) implements LocalTrainer {
    @Override
    public int dimension() {
      return DIM;
    }

    @Override
    public float[] initialWeights() {
      return new float[DIM];
    }

    @Override
    public TrainingResult train(float[] globalWeights, long round) {
      trained.computeIfAbsent(round, r -> new TreeSet<>()).add(index);
      return new TrainingResult(delta(index), 1 + index);
    }

    @Override
    public Evaluation evaluate(float[] weights) {
      return new Evaluation(0, 0, 0);
    }
  }

  private static float[] delta(int index) {
    float[] d = new float[DIM];
    d[index % DIM] = 0.5f;
    return d;
  }

  private static RuntimeSettings settings(double centralZ, double budget) {
    return RuntimeSettings.defaults(DIM)
        .withRule(RuleSpec.parse("fedavg", 0, null, null))
        .withNoise(0, centralZ)
        .withBudget(new PrivacyBudget(budget, 1e-5))
        .withRounds(PER_BASKET, 500_000_000L, 2, 0)
        .withSecAggPhaseTimeoutNanos(2_000_000_000L)
        .withParticipationRate(Q);
  }

  private final Map<Long, Set<Integer>> trained = new HashMap<>();

  private HierarchicalFederation federation(Path dir, RuntimeSettings settings) {
    HierarchicalFederation f = HierarchicalFederation.create(dir, settings, new float[DIM], SEED);
    int index = 0;
    for (int b = 0; b < BASKETS; b++) {
      for (int i = 0; i < PER_BASKET; i++) {
        f.registerClient("b" + b + "-" + i, "basket-" + b, new FixedTrainer(index++, trained));
      }
    }
    f.start();
    return f;
  }

  @Test
  void roundsCompleteWithAVaryingNumberOfParticipantsAndEachModelIsChargedAtRateQ() {
    int rounds = 5;
    try (HierarchicalFederation f = federation(directory, settings(1.0, 1e6))) {
      Set<Integer> counts = new TreeSet<>();
      for (int r = 0; r < rounds; r++) {
        Optional<GlobalModel> model = f.maybeAggregate(MAX_ROUND_NANOS);
        assertThat(model).as("seed %d, round %d published", SEED, r).isPresent();
        counts.add(trained.getOrDefault((long) r, Set.of()).size());
      }
      assertThat(counts).as("seed %d: participants per round", SEED).hasSizeGreaterThan(1);
      long total = 0;
      for (HierarchicalFederation.Client c : f.clients()) {
        total += f.peer(c).counters().updatesSubmitted();
      }
      long trainedTotal = trained.values().stream().mapToLong(Set::size).sum();
      assertThat(total).as("one release per training").isEqualTo(trainedTotal);
      // Each peer's own coin: about q of the 24 · rounds chances were taken, none twice.
      assertThat((double) trainedTotal / (BASKETS * PER_BASKET * (rounds + 1)))
          .as("seed %d", SEED)
          .isBetween(0.25, 0.75);

      List<PrivacyEvent> events = f.coordinator().state().ledger().events();
      assertThat(events).hasSize(rounds).containsOnly(new PrivacyEvent(Q, 1.0, 1));
      double expected = RdpAccountant.withDefaultOrders().epsilon(events, 1e-5).epsilon();
      assertThat(f.coordinator().state().ledger().spentEpsilon()).isCloseTo(expected, within(1e-9));
      assertThat(f.globalModel().spentEpsilon()).isCloseTo(expected, within(1e-9));
      // Sampling amplifies: the same noise at q = 1 would cost more.
      double unsampled =
          RdpAccountant.withDefaultOrders()
              .epsilon(List.of(new PrivacyEvent(1.0, 1.0, rounds)), 1e-5)
              .epsilon();
      assertThat(expected).isLessThan(unsampled);
    }
  }

  @Test
  void thePublishedDeltaIsTheSampledSumOverQTimesTheFederationSize() {
    // z = 0.01: the noise's standard deviation is 0.01 · C / (q · 8 · 3) ≈ 8e-4 per coordinate.
    try (HierarchicalFederation f = federation(directory, settings(0.01, 1e12))) {
      for (int r = 0; r < 3; r++) {
        float[] start = f.globalModel().weights();
        Optional<GlobalModel> model = f.maybeAggregate(MAX_ROUND_NANOS);
        assertThat(model).as("seed %d, round %d published", SEED, r).isPresent();
        double[] expected = new double[DIM];
        for (int i = 0; i < BASKETS * PER_BASKET; i++) {
          if (trained.getOrDefault((long) r, Set.of()).contains(i)) {
            float[] d = delta(i);
            for (int k = 0; k < DIM; k++) {
              expected[k] += d[k] / (Q * PER_BASKET * BASKETS);
            }
          }
        }
        float[] got = model.get().weights();
        for (int k = 0; k < DIM; k++) {
          assertThat((double) got[k] - start[k])
              .as("seed %d, round %d, coordinate %d", SEED, r, k)
              .isCloseTo(expected[k], within(0.006));
        }
      }
    }
  }

  @Test
  void aPeerNotSampledInARoundCannotSubmitByHand() throws Exception {
    RuntimeSettings s = settings(1.0, 1e6);
    HierarchicalFederation f = HierarchicalFederation.create(directory, s, new float[DIM], SEED);
    try (f) {
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < PER_BASKET; i++) {
          f.registerClient("b" + b + "-" + i, "basket-" + b, null);
        }
      }
      f.start();
      int refused = 0;
      int accepted = 0;
      for (HierarchicalFederation.Client c : f.clients()) {
        try {
          f.submitUpdate(c, delta(0), 1).toCompletableFuture().join();
          accepted++;
        } catch (java.util.concurrent.CompletionException e) {
          assertThat(e.getCause())
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("not sampled in round 0");
          refused++;
        }
      }
      assertThat(refused).as("seed %d", SEED).isPositive();
      assertThat(accepted).as("seed %d", SEED).isPositive();
    }
  }

  @Test
  void sampledCentralNoiseNeedsFedAvg() {
    assertThatThrownBy(
            () ->
                settings(1.0, 10)
                    .withParticipationRate(1.0)
                    .withRule(RuleSpec.parse("multi-krum", 0, null, null))
                    .withParticipationRate(0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("round.participation")
        .hasMessageContaining("aggregation.rule=fedavg");
    assertThatThrownBy(() -> settings(1.0, 10).withParticipationRate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("round.participation is 0.0; it must be in (0, 1]");
    assertThat(
            settings(0, 10)
                .withParticipationRate(1.0)
                .withRule(RuleSpec.parse("median", 0, null, null))
                .withParticipationRate(0.1)
                .sampledCentralDp())
        .isFalse();
  }
}
