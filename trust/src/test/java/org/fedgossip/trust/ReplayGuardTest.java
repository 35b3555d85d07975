package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final PeerId A = id(1);
  private static final PeerId B = id(2);

  private static PeerId id(int n) {
    byte[] d = new byte[32];
    d[0] = (byte) n;
    d[1] = (byte) (n >>> 8);
    d[2] = (byte) (n >>> 16);
    return PeerId.fromDigest(d);
  }

  private final ReplayGuard guard = new ReplayGuard(ReplayGuardConfig.DEFAULT);

  @Test
  void shouldAcceptOnceAndRefuseTheDuplicate() {
    assertThat(guard.check(A, 1, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(guard.check(A, 1, NOW, NOW)).isEqualTo(ReplayVerdict.DUPLICATE);
    assertThat(guard.check(B, 1, NOW, NOW)).as("per sender").isEqualTo(ReplayVerdict.ACCEPTED);
  }

  @Test
  void shouldAcceptSlightlyReorderedMessagesOnceEach() {
    for (long seq : new long[] {5, 3, 4, 1, 2, 10, 7}) {
      assertThat(guard.check(A, seq, NOW, NOW)).as("seq %d", seq).isEqualTo(ReplayVerdict.ACCEPTED);
    }
    for (long seq : new long[] {1, 2, 3, 4, 5, 7, 10}) {
      assertThat(guard.check(A, seq, NOW, NOW))
          .as("seq %d", seq)
          .isEqualTo(ReplayVerdict.DUPLICATE);
    }
    assertThat(guard.check(A, 6, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
  }

  @Test
  void shouldRefuseSequenceNumbersBelowTheWindow() {
    ReplayGuard small = new ReplayGuard(ReplayGuardConfig.DEFAULT.withSequenceWindow(8));
    small.check(A, 100, NOW, NOW);

    assertThat(small.check(A, 93, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(small.check(A, 92, NOW, NOW)).isEqualTo(ReplayVerdict.BELOW_WINDOW);
    assertThat(small.check(A, 1000, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(small.check(A, 100, NOW, NOW)).isEqualTo(ReplayVerdict.BELOW_WINDOW);
    assertThat(small.check(A, Long.MIN_VALUE, NOW, NOW)).isEqualTo(ReplayVerdict.BELOW_WINDOW);
  }

  @Test
  void shouldRefuseStaleAndFutureTimestampsAtTheStatedBounds() {
    long fresh = ReplayGuardConfig.DEFAULT_FRESHNESS_MILLIS;
    long skew = ReplayGuardConfig.DEFAULT_FUTURE_SKEW_MILLIS;

    assertThat(guard.check(A, 1, NOW - fresh - 1, NOW)).isEqualTo(ReplayVerdict.TOO_OLD);
    assertThat(guard.check(A, 2, NOW + skew + 1, NOW)).isEqualTo(ReplayVerdict.FROM_FUTURE);
    assertThat(guard.check(A, 3, NOW - fresh, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(guard.check(A, 4, NOW + skew, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(guard.check(A, 5, Long.MAX_VALUE, Long.MAX_VALUE - 1))
        .isEqualTo(ReplayVerdict.ACCEPTED);
  }

  @Test
  void shouldNotLetARefusedMessageMoveTheWindow() {
    guard.check(A, 10, NOW, NOW);
    assertThat(guard.check(A, 1000, NOW + 3_600_000, NOW)).isEqualTo(ReplayVerdict.FROM_FUTURE);

    assertThat(guard.check(A, 9, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
  }

  @Test
  void shouldBoundMemoryAndNotReopenReplaysOfAnEvictedSender() {
    ReplayGuard bounded = new ReplayGuard(ReplayGuardConfig.DEFAULT.withMaxSenders(2));
    assertThat(bounded.check(A, 1, NOW, NOW)).isEqualTo(ReplayVerdict.ACCEPTED);
    assertThat(bounded.check(B, 1, NOW + 10, NOW + 10)).isEqualTo(ReplayVerdict.ACCEPTED);
    PeerId c = id(3);
    assertThat(bounded.check(c, 1, NOW + 20, NOW + 20)).isEqualTo(ReplayVerdict.ACCEPTED);

    assertThat(bounded.trackedSenders()).isEqualTo(2);
    assertThat(bounded.floorMillis()).isEqualTo(NOW);
    assertThat(bounded.check(A, 1, NOW, NOW + 30))
        .as("A was evicted, its replay is below the floor")
        .isEqualTo(ReplayVerdict.TOO_OLD);
    assertThat(bounded.check(A, 2, NOW + 30, NOW + 30))
        .as("a new message from A is fine")
        .isEqualTo(ReplayVerdict.ACCEPTED);
  }

  @Test
  void shouldNotReopenOldReplaysWhenAnEvictedSenderIsReadmitted() {
    ReplayGuard bounded = new ReplayGuard(ReplayGuardConfig.DEFAULT.withMaxSenders(1));
    bounded.check(A, 1, NOW, NOW);
    bounded.check(B, 1, NOW + 10, NOW + 10); // evicts A, floor = NOW
    assertThat(bounded.check(A, 2, NOW + 20, NOW + 20)).isEqualTo(ReplayVerdict.ACCEPTED);

    assertThat(bounded.check(A, 1, NOW, NOW + 20)).isEqualTo(ReplayVerdict.TOO_OLD);
  }

  @Test
  void shouldNameTheFieldOfABadConfig() {
    assertThatThrownBy(() -> new ReplayGuardConfig(0, 1, 64, 1))
        .hasMessageContaining("freshnessMillis");
    assertThatThrownBy(() -> new ReplayGuardConfig(1, -1, 64, 1))
        .hasMessageContaining("futureSkewMillis");
    assertThatThrownBy(() -> new ReplayGuardConfig(1, 1, 65, 1))
        .hasMessageContaining("sequenceWindow must be in [1, 64], got 65");
    assertThatThrownBy(() -> new ReplayGuardConfig(1, 1, 64, 0)).hasMessageContaining("maxSenders");
  }

  @Property(tries = 200)
  void everyMessageIsAcceptedAtMostOnceWhateverTheOrderAndBound(
      @ForAll @IntRange(min = 1, max = 40) int messages,
      @ForAll @IntRange(min = 1, max = 4) int senders,
      @ForAll @IntRange(min = 1, max = 5) int maxSenders,
      @ForAll long shuffleSeed) {
    ReplayGuard g =
        new ReplayGuard(
            ReplayGuardConfig.DEFAULT.withMaxSenders(maxSenders).withSequenceWindow(16));
    List<long[]> deliveries = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      for (int m = 0; m < messages; m++) {
        long[] msg = {s, m, NOW + m};
        deliveries.add(msg);
        deliveries.add(msg); // every message delivered twice
      }
    }
    shuffle(deliveries, shuffleSeed);
    java.util.Set<String> accepted = new java.util.HashSet<>();
    for (long[] d : deliveries) {
      if (g.check(id((int) d[0] + 1), d[1], d[2], NOW + messages) == ReplayVerdict.ACCEPTED) {
        assertThat(accepted.add(d[0] + ":" + d[1]))
            .as("accepted twice: %s", d[0] + ":" + d[1])
            .isTrue();
      }
    }
    assertThat(g.trackedSenders()).isLessThanOrEqualTo(maxSenders);
  }

  /** Fisher-Yates driven by xorshift64*, so the test needs no global random source. */
  private static <T> void shuffle(List<T> list, long seed) {
    long x = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    for (int i = list.size() - 1; i > 0; i--) {
      x ^= x >>> 12;
      x ^= x << 25;
      x ^= x >>> 27;
      int j = (int) Long.remainderUnsigned(x * 0x2545F4914F6CDD1DL, i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
