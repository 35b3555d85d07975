package org.fedgossip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedgossip.transport.TestPeers.bytes;
import static org.fedgossip.transport.TestPeers.intPayload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport behaviour every {@link Transport} implementation must show, written once and run
 * over each network by a thin subclass that supplies a {@link Fixture}.
 *
 * <p>Guarantees checked: delivery with the authenticated sender and type; FIFO per (sender,
 * receiver) link; one handler per type; unknown types counted; sends to unknown peers, from closed
 * transports, and beyond the bounded queue fail the stage and are counted; lifecycle transitions.
 */
public abstract class TransportBehaviourSuite {

  /** A group of endpoints on one network, built by the subclass. */
  protected interface Fixture extends AutoCloseable {
    /**
     * Returns endpoint {@code i}, in state NEW until {@link #startAll()}.
     *
     * @param i its index
     * @return the transport
     */
    Transport transport(int i);

    /** Starts every endpoint and lets each learn the others' addresses. */
    void startAll();

    /**
     * Makes progress (advances virtual time, or waits a bounded real time) until the condition
     * holds.
     *
     * @param condition what to wait for
     * @return whether it holds at the end
     */
    boolean awaitUntil(BooleanSupplier condition);

    /**
     * Returns a peer that endpoint {@code from} knows but whose link cannot drain now, so that
     * sends to it stay queued.
     *
     * @param from the sending endpoint's index
     * @return the stalled peer
     */
    PeerId stalledPeer(int from);

    @Override
    void close();
  }

  /**
   * Builds a fixture of {@code endpoints} transports whose outbound queues hold {@code
   * queueCapacity} frames per peer.
   *
   * @param endpoints how many endpoints
   * @param queueCapacity the bound of each per-peer outbound queue
   * @return the fixture
   */
  protected abstract Fixture newFixture(int endpoints, int queueCapacity);

  private final List<Fixture> fixtures = new ArrayList<>();

  /** For subclasses, one per network. */
  protected TransportBehaviourSuite() {}

  private Fixture fixture(int endpoints, int queueCapacity) {
    Fixture f = newFixture(endpoints, queueCapacity);
    fixtures.add(f);
    return f;
  }

  @AfterEach
  void closeFixtures() {
    fixtures.forEach(Fixture::close);
  }

  /** A payload seen by a handler. */
  protected record Received(PeerId from, int type, byte[] payload) {}

  private static List<Received> collect(Transport t, int type) {
    List<Received> out = Collections.synchronizedList(new ArrayList<>());
    t.onReceive(
        type,
        (from, payloadType, payload) -> out.add(new Received(from, payloadType, bytes(payload))));
    return out;
  }

  private static void awaitSuccess(CompletionStage<Void> stage) throws Exception {
    stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static TransportException failureOf(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TransportException.class);
      return (TransportException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("stage did not fail in time", e);
    }
    throw new AssertionError("stage completed normally; a failure was expected");
  }

  @Test
  void shouldDeliverPayloadWithAuthenticatedSenderAndType() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> got = collect(f.transport(1), 7);
    f.startAll();

    awaitSuccess(f.transport(0).send(f.transport(1).localId(), 7, new byte[] {1, 2, 3}));

    assertThat(f.awaitUntil(() -> got.size() == 1)).isTrue();
    assertThat(got.get(0).from()).isEqualTo(f.transport(0).localId());
    assertThat(got.get(0).type()).isEqualTo(7);
    assertThat(got.get(0).payload()).containsExactly(1, 2, 3);
    assertThat(f.transport(0).counters().framesSent()).isEqualTo(1);
    assertThat(f.transport(0).counters().payloadBytesSent()).isEqualTo(3);
    assertThat(f.awaitUntil(() -> f.transport(1).counters().framesReceived() == 1)).isTrue();
  }

  @Test
  void shouldDeliverLargePayloadIntactAndEmptyPayload() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> got = collect(f.transport(1), 9);
    f.startAll();
    byte[] large = new byte[3 << 20];
    new SplittableRandom(42).nextBytes(large);

    awaitSuccess(f.transport(0).send(f.transport(1).localId(), 9, large));
    awaitSuccess(f.transport(0).send(f.transport(1).localId(), 9, new byte[0]));

    assertThat(f.awaitUntil(() -> got.size() == 2)).isTrue();
    assertThat(got.get(0).payload()).isEqualTo(large);
    assertThat(got.get(1).payload()).isEmpty();
  }

  @Test
  void shouldSendOnlyTheBytesBetweenPositionAndLimit() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> got = collect(f.transport(1), 3);
    f.startAll();
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5});
    buffer.position(1).limit(4);

    awaitSuccess(f.transport(0).send(f.transport(1).localId(), 3, buffer));

    assertThat(f.awaitUntil(() -> got.size() == 1)).isTrue();
    assertThat(got.get(0).payload()).containsExactly(8, 7, 6);
    assertThat(buffer.position()).isEqualTo(1);
    assertThat(buffer.limit()).isEqualTo(4);
  }

  @Test
  void shouldKeepFifoOrderPerLinkFromEachOfTwoSenders() throws Exception {
    Fixture f = fixture(3, 1024);
    List<Received> got = collect(f.transport(2), 1);
    f.startAll();
    int perSender = 300;
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (int i = 0; i < perSender; i++) {
      stages.add(
          f.transport(0).send(f.transport(2).localId(), 1, intPayload(i)).toCompletableFuture());
      stages.add(
          f.transport(1).send(f.transport(2).localId(), 1, intPayload(i)).toCompletableFuture());
    }
    CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(f.awaitUntil(() -> got.size() == 2 * perSender)).isTrue();
    for (int sender = 0; sender < 2; sender++) {
      PeerId id = f.transport(sender).localId();
      List<Integer> sequence = new ArrayList<>();
      synchronized (got) {
        for (Received r : got) {
          if (r.from().equals(id)) {
            sequence.add(ByteBuffer.wrap(r.payload()).getInt());
          }
        }
      }
      assertThat(sequence).hasSize(perSender).isSorted();
    }
  }

  @Test
  void shouldDispatchEachPayloadTypeToItsOwnHandler() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> ones = collect(f.transport(1), 1);
    List<Received> twos = collect(f.transport(1), 2);
    f.startAll();
    PeerId to = f.transport(1).localId();

    awaitSuccess(f.transport(0).send(to, 2, new byte[] {2}));
    awaitSuccess(f.transport(0).send(to, 1, new byte[] {1}));
    awaitSuccess(f.transport(0).send(to, 2, new byte[] {22}));

    assertThat(f.awaitUntil(() -> ones.size() == 1 && twos.size() == 2)).isTrue();
    assertThat(ones.get(0).payload()).containsExactly(1);
    assertThat(twos).extracting(r -> r.payload()[0]).containsExactly((byte) 2, (byte) 22);
  }

  @Test
  void shouldCountPayloadOfUnknownTypeAndKeepServing() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> known = collect(f.transport(1), 1);
    f.startAll();
    PeerId to = f.transport(1).localId();

    awaitSuccess(f.transport(0).send(to, 4242, new byte[] {1}));
    awaitSuccess(f.transport(0).send(to, 1, new byte[] {2}));

    assertThat(f.awaitUntil(() -> known.size() == 1)).isTrue();
    assertThat(
            f.awaitUntil(
                () -> f.transport(1).counters().dropped(DropReason.UNKNOWN_PAYLOAD_TYPE) == 1))
        .isTrue();
  }

  @Test
  void shouldCountFailingHandlerAndKeepDelivering() throws Exception {
    Fixture f = fixture(2, 16);
    List<Received> got = Collections.synchronizedList(new ArrayList<>());
    f.transport(1)
        .onReceive(
            5,
            (from, type, payload) -> {
              if (payload.get(payload.position()) == 0) {
                throw new IllegalStateException("handler refuses zero");
              }
              got.add(new Received(from, type, bytes(payload)));
            });
    f.startAll();
    PeerId to = f.transport(1).localId();

    awaitSuccess(f.transport(0).send(to, 5, new byte[] {0}));
    awaitSuccess(f.transport(0).send(to, 5, new byte[] {1}));

    assertThat(f.awaitUntil(() -> got.size() == 1)).isTrue();
    assertThat(f.transport(1).counters().dropped(DropReason.HANDLER_FAILED)).isEqualTo(1);
  }

  @Test
  void shouldFailSendToUnknownPeerAndCountIt() {
    Fixture f = fixture(1, 16);
    f.startAll();

    TransportException e =
        failureOf(f.transport(0).send(TestPeers.peer("nobody"), 1, new byte[] {1}));

    assertThat(e.reason()).isEqualTo(DropReason.UNKNOWN_PEER);
    assertThat(f.transport(0).counters().dropped(DropReason.UNKNOWN_PEER)).isEqualTo(1);
  }

  @Test
  void shouldFailSendFromClosedTransportAndCloseIdempotently() {
    Fixture f = fixture(2, 16);
    f.startAll();
    Transport sender = f.transport(0);
    sender.close();
    sender.close();

    TransportException e = failureOf(sender.send(f.transport(1).localId(), 1, new byte[] {1}));

    assertThat(sender.state()).isEqualTo(LifecycleState.CLOSED);
    assertThat(e.reason()).isEqualTo(DropReason.NOT_RUNNING);
    assertThat(sender.counters().dropped(DropReason.NOT_RUNNING)).isEqualTo(1);
  }

  @Test
  void shouldFailSendBeforeStart() {
    Fixture f = fixture(2, 16);

    TransportException e =
        failureOf(f.transport(0).send(f.transport(1).localId(), 1, new byte[] {1}));

    assertThat(e.reason()).isEqualTo(DropReason.NOT_RUNNING);
  }

  @Test
  void shouldRefuseIllegalLifecycleTransitions() {
    Fixture f = fixture(1, 16);
    Transport t = f.transport(0);
    assertThat(t.state()).isEqualTo(LifecycleState.NEW);
    f.startAll();
    assertThat(t.state()).isEqualTo(LifecycleState.RUNNING);

    assertThatThrownBy(t::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RUNNING");
    t.close();
    assertThatThrownBy(t::start).isInstanceOf(IllegalStateException.class);
    assertThat(t.state()).isEqualTo(LifecycleState.CLOSED);
  }

  @Test
  void shouldRefuseOutOfRangePayloadType() {
    Fixture f = fixture(1, 16);
    assertThatThrownBy(() -> f.transport(0).onReceive(0, (from, type, payload) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 65535]");
  }

  @Test
  void shouldFailSendBeyondTheQueueBoundWithBackpressureException() {
    int capacity = 8;
    Fixture f = fixture(1, capacity);
    f.startAll();
    PeerId stalled = f.stalledPeer(0);
    List<CompletionStage<Void>> accepted = new ArrayList<>();
    for (int i = 0; i < capacity; i++) {
      accepted.add(f.transport(0).send(stalled, 1, intPayload(i)));
    }

    TransportException e = failureOf(f.transport(0).send(stalled, 1, intPayload(capacity)));

    assertThat(e).isInstanceOf(BackpressureException.class);
    assertThat(e.reason()).isEqualTo(DropReason.QUEUE_FULL);
    assertThat(f.transport(0).counters().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    assertThat(accepted)
        .allSatisfy(s -> assertThat(s.toCompletableFuture().isCompletedExceptionally()).isFalse());
  }
}
