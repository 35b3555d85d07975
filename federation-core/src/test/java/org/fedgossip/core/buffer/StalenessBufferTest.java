package org.fedgossip.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StalenessBufferTest {

  private static final float[] V = {1f, 2f};

  private static StalenessBuffer<String> buffer(int maxEntries, long maxStaleness, long round) {
    return new StalenessBuffer<>(
        StalenessBufferConfig.defaults()
            .withMaxEntries(maxEntries)
            .withMaxStaleness(maxStaleness)
            .withDecay(StalenessDecay.polynomial(1.0)),
        round);
  }

  @Test
  void offerCopiesTheVectorButOfferSharedKeepsTheArrayItself() {
    StalenessBuffer<String> b = buffer(10, 5, 3);
    float[] copied = {1f, 2f};
    float[] shared = {3f, 4f};

    assertThat(b.offer("a", 3, copied, 1).accepted()).isTrue();
    assertThat(b.offerShared("b", 3, shared, 1).accepted()).isTrue();
    assertThat(b.offerShared("b", 3, shared, 1)).isEqualTo(Admission.DUPLICATE);
    copied[0] = 99f;

    java.util.List<WeightedUpdate<String>> held = b.drain();
    assertThat(held.get(0).vector()).containsExactly(1f, 2f).isNotSameAs(copied);
    assertThat(held.get(1).vector()).isSameAs(shared);
  }

  @Test
  void shouldRefuseDuplicateAndKeepTheFirstUpdate() {
    StalenessBuffer<String> b = buffer(10, 5, 3);
    assertThat(b.offer("a", 3, new float[] {1f}, 10)).isEqualTo(Admission.ACCEPTED);
    assertThat(b.offer("a", 3, new float[] {9f}, 99)).isEqualTo(Admission.DUPLICATE);
    assertThat(b.offer("a", 2, new float[] {5f}, 1)).isEqualTo(Admission.ACCEPTED);

    List<WeightedUpdate<String>> all = b.snapshot();
    assertThat(all).hasSize(2);
    WeightedUpdate<String> round3 = all.get(1);
    assertThat(round3.round()).isEqualTo(3);
    assertThat(round3.vector()).containsExactly(1f);
    assertThat(round3.sampleCount()).isEqualTo(10);
    assertThat(b.count(Admission.DUPLICATE)).isEqualTo(1);
    assertThat(b.count(Admission.ACCEPTED)).isEqualTo(2);
  }

  @Test
  void shouldRefuseFutureAndTooStaleUpdatesWithDistinctReasons() {
    StalenessBuffer<String> b = buffer(10, 2, 5);
    assertThat(b.offer("a", 6, V, 1)).isEqualTo(Admission.FUTURE_ROUND);
    assertThat(b.offer("a", 2, V, 1)).isEqualTo(Admission.TOO_STALE);
    assertThat(b.offer("a", 3, V, 1)).isEqualTo(Admission.ACCEPTED);
    assertThat(b.count(Admission.FUTURE_ROUND)).isEqualTo(1);
    assertThat(b.count(Admission.TOO_STALE)).isEqualTo(1);
    assertThat(b.size()).isEqualTo(1);
  }

  @Test
  void advancingEvictsUpdatesPastMaxStaleness() {
    StalenessBuffer<String> b = buffer(10, 2, 4);
    b.offer("a", 2, V, 1);
    b.offer("b", 3, V, 1);
    b.offer("c", 4, V, 1);
    assertThat(b.advanceTo(5)).isEqualTo(1);
    assertThat(b.contains("a", 2)).isFalse();
    assertThat(b.contains("b", 3)).isTrue();
    assertThat(b.advanceTo(7)).isEqualTo(2);
    assertThat(b.size()).isZero();
    assertThat(b.evictedStaleCount()).isEqualTo(3);
  }

  @Test
  void weightsFollowTheDecayOfStaleness() {
    StalenessBuffer<String> b = buffer(10, 5, 3);
    b.offer("a", 3, V, 1);
    b.offer("b", 1, V, 1);
    b.advanceTo(4);
    List<WeightedUpdate<String>> all = b.snapshot();
    assertThat(all.get(0).origin()).isEqualTo("b");
    assertThat(all.get(0).staleness()).isEqualTo(3);
    assertThat(all.get(0).weight()).isCloseTo(1.0 / 4.0, within(1e-15));
    assertThat(all.get(1).staleness()).isEqualTo(1);
    assertThat(all.get(1).weight()).isCloseTo(1.0 / 2.0, within(1e-15));
  }

  @Test
  void exponentialDecayGivesConstantRatioPerRound() {
    StalenessDecay decay = StalenessDecay.exponential(0.7);
    assertThat(decay.weight(0)).isEqualTo(1.0);
    assertThat(decay.weight(3) / decay.weight(2)).isCloseTo(Math.exp(-0.7), within(1e-12));
  }

  @Test
  void fullBufferEvictsTheStalestEarliestArrivalForAFresherUpdate() {
    StalenessBuffer<String> b = buffer(3, 10, 5);
    b.offer("late", 4, V, 1);
    b.offer("first", 3, V, 1);
    b.offer("second", 3, V, 1);
    assertThat(b.offer("fresh", 5, V, 1)).isEqualTo(Admission.ACCEPTED);
    assertThat(b.contains("first", 3)).isFalse();
    assertThat(b.contains("second", 3)).isTrue();
    assertThat(b.evictedForCapacityCount()).isEqualTo(1);
    assertThat(b.size()).isEqualTo(3);
  }

  @Test
  void fullBufferRefusesAnUpdateAsStaleAsItsStalestEntry() {
    StalenessBuffer<String> b = buffer(2, 10, 5);
    b.offer("a", 3, V, 1);
    b.offer("b", 4, V, 1);
    assertThat(b.offer("c", 3, V, 1)).isEqualTo(Admission.BUFFER_FULL);
    assertThat(b.offer("d", 2, V, 1)).isEqualTo(Admission.BUFFER_FULL);
    assertThat(b.contains("a", 3)).isTrue();
    assertThat(b.count(Admission.BUFFER_FULL)).isEqualTo(2);
  }

  @Test
  void snapshotOrdersByRoundThenArrivalAndCopiesVectors() {
    StalenessBuffer<String> b = buffer(10, 10, 5);
    b.offer("z", 5, V, 1);
    b.offer("y", 4, V, 1);
    b.offer("x", 5, V, 1);
    b.offer("w", 4, V, 1);
    List<WeightedUpdate<String>> all = b.snapshot();
    assertThat(all).extracting(WeightedUpdate::origin).containsExactly("y", "w", "z", "x");
    all.get(0).vector()[0] = 42f;
    assertThat(b.snapshot().get(0).vector()[0]).isEqualTo(1f);
  }

  @Test
  void offerCopiesTheCallersArray() {
    StalenessBuffer<String> b = buffer(10, 10, 5);
    float[] v = {1f};
    b.offer("a", 5, v, 1);
    v[0] = 7f;
    assertThat(b.snapshot().get(0).vector()).containsExactly(1f);
  }

  @Test
  void drainEmptiesTheBufferAndKeepsTheRound() {
    StalenessBuffer<String> b = buffer(10, 10, 5);
    b.offer("a", 5, V, 1);
    b.offer("b", 4, V, 1);
    assertThat(b.drain()).extracting(WeightedUpdate::origin).containsExactly("b", "a");
    assertThat(b.size()).isZero();
    assertThat(b.snapshot()).isEmpty();
    assertThat(b.currentRound()).isEqualTo(5);
    assertThat(b.offer("a", 5, V, 1)).isEqualTo(Admission.ACCEPTED);
  }

  @Test
  void shouldRejectBadArgumentsNamingTheValue() {
    StalenessBuffer<String> b = buffer(10, 10, 5);
    assertThatThrownBy(() -> b.advanceTo(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4");
    assertThatThrownBy(() -> b.offer("a", -1, V, 1)).hasMessageContaining("round must be >= 0");
    assertThatThrownBy(() -> b.offer("a", 1, V, 0)).hasMessageContaining("sampleCount");
  }

  @Test
  void configRejectsOutOfRangeFieldsNamingThem() {
    StalenessBufferConfig d = StalenessBufferConfig.defaults();
    assertThatThrownBy(() -> d.withMaxEntries(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries")
        .hasMessageContaining("[1, 1000000]");
    assertThatThrownBy(() -> d.withMaxStaleness(-1)).hasMessageContaining("maxStaleness");
    assertThatThrownBy(() -> StalenessDecay.polynomial(Double.NaN))
        .hasMessageContaining("exponent");
    assertThatThrownBy(() -> StalenessDecay.exponential(-0.1)).hasMessageContaining("rate");
    assertThatThrownBy(() -> d.withDecay(null)).hasMessageContaining("decay");
    assertThat(d.maxEntries()).isEqualTo(StalenessBufferConfig.DEFAULT_MAX_ENTRIES);
  }
}
