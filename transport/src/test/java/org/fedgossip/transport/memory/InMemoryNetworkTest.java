package org.fedgossip.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedgossip.transport.TestPeers.intPayload;
import static org.fedgossip.transport.TestPeers.peer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.TransportException;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the emulated network's model: virtual latency, seeded faults, partitions and scale. */
class InMemoryNetworkTest {

  private static final long MS = 1_000_000L;

  private static List<String> trace(long seed) {
    LinkModel model = new LinkModel(5 * MS, 4 * MS, 0.1, 0.1, 0.2);
    InMemoryNetwork network = new InMemoryNetwork(seed, model);
    List<String> trace = new ArrayList<>();
    network.setDeliveryObserver(
        (at, from, to, type, bytes) ->
            trace.add(at + " " + from.shortString() + ">" + to.shortString() + " " + type));
    List<InMemoryTransport> endpoints = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      InMemoryTransport t = network.endpoint(peer("trace-" + i));
      t.onReceive(1, (from, type, payload) -> {});
      t.start();
      endpoints.add(t);
    }
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < endpoints.size(); i++) {
        endpoints.get(i).send(endpoints.get((i + round + 1) % 10).localId(), 1, intPayload(round));
      }
      network.advanceTo(network.nowNanos() + 3 * MS);
    }
    network.runUntilIdle(Integer.MAX_VALUE);
    return trace;
  }

  @Test
  void sameSeedGivesIdenticalDeliveryTrace() {
    List<String> first = trace(7L);
    assertThat(first).hasSizeGreaterThan(150);
    assertThat(trace(7L)).isEqualTo(first);
  }

  @Test
  void differentSeedGivesDifferentDeliveryTrace() {
    assertThat(trace(8L)).isNotEqualTo(trace(7L));
  }

  @Test
  void shouldDeliverNotBeforeTheLinkLatency() {
    InMemoryNetwork network = new InMemoryNetwork(1L, LinkModel.lan(10 * MS, 0));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    List<Long> arrivals = new ArrayList<>();
    b.onReceive(1, (from, type, payload) -> arrivals.add(network.nowNanos()));
    a.start();
    b.start();

    a.send(b.localId(), 1, new byte[] {1});

    assertThat(network.advanceTo(10 * MS - 1)).isZero();
    assertThat(arrivals).isEmpty();
    assertThat(network.advanceTo(10 * MS)).isEqualTo(1);
    assertThat(arrivals).containsExactly(10 * MS);
  }

  @Test
  void shouldRefuseMovingVirtualTimeBackwards() {
    InMemoryNetwork network = new InMemoryNetwork(1L, LinkModel.PERFECT);
    network.advanceTo(5);
    assertThatThrownBy(() -> network.advanceTo(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targetNanos is 4");
    assertThat(network.doWork(3)).isZero();
    assertThat(network.nowNanos()).isEqualTo(5);
  }

  @Test
  void shouldKeepFifoDespiteJitterWhenReorderingIsOff() {
    InMemoryNetwork network = new InMemoryNetwork(3L, LinkModel.lan(MS, 50 * MS));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    List<Integer> order = new ArrayList<>();
    b.onReceive(1, (from, type, payload) -> order.add(payload.getInt(payload.position())));
    a.start();
    b.start();
    for (int i = 0; i < 500; i++) {
      a.send(b.localId(), 1, intPayload(i));
    }
    network.runUntilIdle(Integer.MAX_VALUE);
    assertThat(order).hasSize(500).isSorted();
  }

  @Test
  void shouldReorderWhenReorderingIsConfigured() {
    InMemoryNetwork network =
        new InMemoryNetwork(3L, LinkModel.lan(MS, 50 * MS).withReorderProbability(0.5));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    List<Integer> order = new ArrayList<>();
    b.onReceive(1, (from, type, payload) -> order.add(payload.getInt(payload.position())));
    a.start();
    b.start();
    for (int i = 0; i < 500; i++) {
      a.send(b.localId(), 1, intPayload(i));
      network.advanceTo(network.nowNanos() + MS / 10);
    }
    network.runUntilIdle(Integer.MAX_VALUE);
    assertThat(order).hasSize(500).isNotEqualTo(order.stream().sorted().toList());
  }

  @ParameterizedTest(name = "loss {0}")
  @ValueSource(doubles = {0.0, 0.1, 0.5})
  void shouldLoseAboutTheConfiguredFraction(double loss) {
    InMemoryNetwork network =
        new InMemoryNetwork(11L, LinkModel.lan(MS, 0).withLossProbability(loss), 100_000);
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    int[] received = {0};
    b.onReceive(1, (from, type, payload) -> received[0]++);
    a.start();
    b.start();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      a.send(b.localId(), 1, new byte[0]);
    }
    network.runUntilIdle(Integer.MAX_VALUE);
    long lost = a.counters().dropped(DropReason.LOST);
    assertThat(lost + received[0]).isEqualTo(n);
    // Binomial(n, loss): five standard deviations either side.
    double sd = Math.sqrt(n * loss * (1 - loss));
    assertThat((double) lost).isBetween(n * loss - 5 * sd, n * loss + 5 * sd);
  }

  @Test
  void shouldDuplicateAboutTheConfiguredFraction() {
    InMemoryNetwork network =
        new InMemoryNetwork(12L, LinkModel.lan(MS, 0).withDuplicateProbability(0.25), 100_000);
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    int[] received = {0};
    b.onReceive(1, (from, type, payload) -> received[0]++);
    a.start();
    b.start();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      a.send(b.localId(), 1, new byte[0]);
    }
    network.runUntilIdle(Integer.MAX_VALUE);
    double sd = Math.sqrt(n * 0.25 * 0.75);
    assertThat((double) (received[0] - n)).isBetween(n * 0.25 - 5 * sd, n * 0.25 + 5 * sd);
  }

  @Test
  void partitionDropsAcrossTheCutIncludingInFlightAndHealRestores() {
    InMemoryNetwork network = new InMemoryNetwork(5L, LinkModel.lan(10 * MS, 0));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    InMemoryTransport c = network.endpoint(peer("c"));
    List<PeerId> seenByB = new ArrayList<>();
    b.onReceive(1, (from, type, payload) -> seenByB.add(from));
    for (InMemoryTransport t : List.of(a, b, c)) {
      t.start();
    }

    a.send(b.localId(), 1, new byte[] {1}); // in flight when the cut happens
    network.partition(Set.of(a.localId()), Set.of(b.localId()));
    a.send(b.localId(), 1, new byte[] {2}); // sent across the cut
    c.send(b.localId(), 1, new byte[] {3}); // c is on neither side
    network.runUntilIdle(100);

    assertThat(seenByB).containsExactly(c.localId());
    assertThat(a.counters().dropped(DropReason.PARTITIONED)).isEqualTo(2);

    network.heal();
    a.send(b.localId(), 1, new byte[] {4});
    network.runUntilIdle(100);
    assertThat(seenByB).containsExactly(c.localId(), a.localId());
  }

  @Test
  void shouldFailSendToClosedPeerAndDropFramesArrivingAfterClose() {
    InMemoryNetwork network = new InMemoryNetwork(5L, LinkModel.lan(MS, 0));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    b.onReceive(1, (from, type, payload) -> {});
    a.start();
    b.start();
    a.send(b.localId(), 1, new byte[] {1});
    b.close();

    network.runUntilIdle(10);
    assertThat(a.counters().dropped(DropReason.RECEIVER_NOT_RUNNING)).isEqualTo(1);
    assertThat(a.send(b.localId(), 1, new byte[] {2}).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(a.counters().dropped(DropReason.PEER_CLOSED)).isEqualTo(1);
  }

  @Test
  void shouldCopyThePayloadAtSendSoTheCallerMayReuseItsBuffer() {
    InMemoryNetwork network = new InMemoryNetwork(5L, LinkModel.lan(MS, 0));
    InMemoryTransport a = network.endpoint(peer("a"));
    InMemoryTransport b = network.endpoint(peer("b"));
    List<Integer> got = new ArrayList<>();
    b.onReceive(1, (from, type, payload) -> got.add(payload.getInt(payload.position())));
    a.start();
    b.start();
    ByteBuffer buffer = ByteBuffer.allocate(4);
    buffer.putInt(0, 1);
    a.send(b.localId(), 1, buffer);
    buffer.putInt(0, 2);
    network.runUntilIdle(10);
    assertThat(got).containsExactly(1);
  }

  @Test
  void shouldRunThousandsOfEndpointsInOneJvm() {
    int n = 5_000;
    InMemoryNetwork network = new InMemoryNetwork(9L, LinkModel.lan(MS, MS));
    List<InMemoryTransport> endpoints = new ArrayList<>(n);
    int[] received = new int[n];
    for (int i = 0; i < n; i++) {
      InMemoryTransport t = network.endpoint(peer("ring-" + i));
      int index = i;
      t.onReceive(
          1,
          (from, type, payload) -> {
            received[index]++;
            int hops = payload.getInt(payload.position());
            if (hops > 0) {
              endpoints
                  .get((index + 1) % n)
                  .send(endpoints.get((index + 2) % n).localId(), 1, intPayload(hops - 1));
            }
          });
      endpoints.add(t);
    }
    endpoints.forEach(InMemoryTransport::start);
    for (int i = 0; i < n; i++) {
      endpoints.get(i).send(endpoints.get((i + 1) % n).localId(), 1, intPayload(3));
    }
    int delivered = network.runUntilIdle(Integer.MAX_VALUE);
    assertThat(delivered).isEqualTo(4 * n);
    for (int count : received) {
      assertThat(count).isEqualTo(4);
    }
  }

  @Test
  void linkModelErrorsNameTheKeyAndRange() {
    assertThatThrownBy(() -> LinkModel.PERFECT.withLossProbability(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("link.lossProbability is 1.5")
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> LinkModel.lan(-1, 0)).hasMessageContaining("link.latencyNanos is -1");
    assertThatThrownBy(() -> new InMemoryNetwork(1L, LinkModel.PERFECT, 0))
        .hasMessageContaining("maxInFlightPerLink is 0");
  }

  @Test
  void sendFailureCarriesItsReason() {
    InMemoryNetwork network = new InMemoryNetwork(5L, LinkModel.PERFECT);
    InMemoryTransport a = network.endpoint(peer("a"));
    a.start();
    assertThat(a.send(peer("ghost"), 1, new byte[0]).toCompletableFuture())
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.UNKNOWN_PEER));
  }
}
