package org.fedgossip.gossip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignedPayload;
import org.junit.jupiter.api.Test;

class InternalsTest {

  private static PeerId peer(int i) {
    byte[] digest = new byte[32];
    digest[0] = (byte) i;
    digest[1] = (byte) (i >> 8);
    return PeerId.fromDigest(digest);
  }

  private static ItemStore.Stored item(int origin, long round) {
    return new ItemStore.Stored(
        new SignedPayload(peer(origin), "gossip.item", round, 1, 0, new byte[0], new byte[64]),
        round);
  }

  @Test
  void theStoreEvictsTheOldestRoundsFirstAndRefusesThemAfterwards() {
    ItemStore store = new ItemStore(3);
    store.put(new ItemStore.Key(peer(1), 5), item(1, 5));
    store.put(new ItemStore.Key(peer(2), 3), item(2, 3));
    store.put(new ItemStore.Key(peer(3), 4), item(3, 4));
    assertThat(store.put(new ItemStore.Key(peer(4), 6), item(4, 6))).isEqualTo(1);
    assertThat(store.get(new ItemStore.Key(peer(2), 3))).isNull();
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.evicted(3)).isTrue();
    assertThat(store.evicted(4)).isFalse();
    assertThat(store.keys()).extracting(ItemStore.Key::round).containsExactly(4L, 5L, 6L);
  }

  @Test
  void retiringDropsTheRoundsBelowAndRefusesThemAfterwardsButKeepsTheRest() {
    ItemStore store = new ItemStore(16);
    for (int origin = 1; origin <= 3; origin++) {
      for (long round = 0; round < 4; round++) {
        store.put(new ItemStore.Key(peer(origin), round), item(origin, round));
      }
    }
    assertThat(store.retireBelow(2)).isEqualTo(6);
    assertThat(store.keys()).extracting(ItemStore.Key::round).containsOnly(2L, 3L).hasSize(6);
    assertThat(store.evicted(1)).isTrue();
    assertThat(store.evicted(2)).isFalse();
    assertThat(store.retireBelow(1)).as("a lower floor is a no-op").isZero();
    assertThat(store.evicted(1)).isTrue();
    assertThat(store.retireBelow(4)).isEqualTo(6);
    assertThat(store.size()).isZero();
    assertThat(store.evicted(3)).isTrue();
    assertThat(store.evicted(4)).isFalse();
  }

  @Test
  void cyclonShuffleStepsKeepTheViewBoundedDistinctAndWithoutSelf() {
    PeerId self = peer(0);
    PartialView view = new PartialView(self, 4);
    for (int i = 0; i <= 6; i++) {
      view.add(peer(i));
    }
    assertThat(view.size()).isEqualTo(4);
    assertThat(view.contains(self)).isFalse();
    view.incrementAges();
    view.add(peer(9)); // no room
    PeerId oldest = view.removeOldest();
    assertThat(oldest).isNotNull();
    assertThat(view.size()).isEqualTo(3);
    SplittableRandom random = new SplittableRandom(1);
    List<PeerId> sent = view.sample(2, random, p -> false);
    List<PartialView.Entry> received = new ArrayList<>();
    for (int i = 10; i < 14; i++) {
      received.add(new PartialView.Entry(peer(i), 0));
    }
    received.add(new PartialView.Entry(self, 0));
    view.merge(received, sent);
    assertThat(view.size()).isEqualTo(4);
    assertThat(view.contains(self)).isFalse();
    for (PeerId p : sent) {
      assertThat(view.contains(p)).as("sent entries are replaced first").isFalse();
    }
  }

  @Test
  void tokenBucketsRefillAtTheRateUpToTheBurst() {
    TokenBuckets buckets = new TokenBuckets(10, 5, 2);
    PeerId a = peer(1);
    int taken = 0;
    for (int i = 0; i < 20; i++) {
      if (buckets.tryTake(a, 0)) {
        taken++;
      }
    }
    assertThat(taken).isEqualTo(5);
    assertThat(buckets.tryTake(a, 100_000_000L)).as("one token after 100 ms at 10/s").isTrue();
    assertThat(buckets.tryTake(a, 100_000_000L)).isFalse();
    assertThat(buckets.tryTake(peer(2), 0)).as("another sender has its own bucket").isTrue();
  }
}
