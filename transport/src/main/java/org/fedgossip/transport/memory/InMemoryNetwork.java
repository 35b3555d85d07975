package org.fedgossip.transport.memory;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.fedgossip.transport.BackpressureException;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.LifecycleState;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportException;
import org.fedgossip.trust.PeerId;

/**
 * An emulated network of many {@link Transport} endpoints in one JVM, in virtual time.
 *
 * <p>Time moves only when the caller calls {@link #advanceTo(long)} (or {@link #doWork(long)}):
 * every delivery due by then runs, in order of (delivery time, send sequence), on the calling
 * thread. Latency, jitter, loss, duplication and reordering follow each link's {@link LinkModel},
 * drawn from one {@link SplittableRandom} seeded at construction, so the same seed and the same
 * calls give the same delivery trace. {@link #partition} cuts every link between two sets of
 * endpoints (frames in flight across the cut are dropped on arrival) until {@link #heal()}.
 *
 * <p>A send completes when the frame is scheduled on the link; it fails when the destination is
 * unknown or closed, the sender is not running, or more than {@code maxInFlightPerLink} frames are
 * in flight on that link ({@link BackpressureException}). The network is thread-safe by a single
 * lock, but is meant to be driven by one thread; handlers run under that lock and may send.
 */
public final class InMemoryNetwork {

  /** Default bound of frames in flight on one directed link. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_LINK = 4096;

  private final SplittableRandom random;
  private final LinkModel defaultLink;
  private final int maxInFlightPerLink;
  private final Map<PeerId, InMemoryTransport> endpoints = new HashMap<>();
  private final Map<LinkKey, LinkState> links = new HashMap<>();
  private final Set<LinkKey> cuts = new HashSet<>();
  private final PriorityQueue<Delivery> queue = new PriorityQueue<>();
  private long nowNanos;
  private long nextSequence;
  private DeliveryObserver observer = (at, from, to, type, bytes) -> {};

  /**
   * Creates an empty network.
   *
   * @param seed the seed of every random draw
   * @param defaultLink the model of links not set with {@link #setLink}
   * @param maxInFlightPerLink frames in flight on one directed link before sends fail, at least 1
   */
  public InMemoryNetwork(long seed, LinkModel defaultLink, int maxInFlightPerLink) {
    if (maxInFlightPerLink < 1) {
      throw new IllegalArgumentException(
          "maxInFlightPerLink is " + maxInFlightPerLink + "; it must be at least 1");
    }
    this.random = new SplittableRandom(seed);
    this.defaultLink = Objects.requireNonNull(defaultLink, "defaultLink");
    this.maxInFlightPerLink = maxInFlightPerLink;
  }

  /**
   * Creates an empty network with {@link #DEFAULT_MAX_IN_FLIGHT_PER_LINK}.
   *
   * @param seed the seed of every random draw
   * @param defaultLink the model of links not set with {@link #setLink}
   */
  public InMemoryNetwork(long seed, LinkModel defaultLink) {
    this(seed, defaultLink, DEFAULT_MAX_IN_FLIGHT_PER_LINK);
  }

  /**
   * Adds an endpoint; it starts in {@link LifecycleState#NEW}.
   *
   * @param id its identity, unique in this network
   * @return the endpoint's transport
   * @throws IllegalArgumentException when the id is already taken
   */
  public synchronized InMemoryTransport endpoint(PeerId id) {
    Objects.requireNonNull(id, "id");
    if (endpoints.containsKey(id)) {
      throw new IllegalArgumentException("peer " + id + " already has an endpoint");
    }
    InMemoryTransport endpoint = new InMemoryTransport(this, id);
    endpoints.put(id, endpoint);
    return endpoint;
  }

  /**
   * Sets the model of the directed link {@code from → to}; frames already in flight keep theirs.
   *
   * @param from the sender
   * @param to the receiver
   * @param model the link's behaviour
   */
  public synchronized void setLink(PeerId from, PeerId to, LinkModel model) {
    Objects.requireNonNull(model, "model");
    link(new LinkKey(from, to)).model = model;
  }

  /**
   * Cuts every link between {@code a} and {@code b}, both directions, until {@link #heal()}.
   *
   * @param a one side
   * @param b the other side
   */
  public synchronized void partition(Set<PeerId> a, Set<PeerId> b) {
    for (PeerId x : a) {
      for (PeerId y : b) {
        if (!x.equals(y)) {
          cuts.add(new LinkKey(x, y));
          cuts.add(new LinkKey(y, x));
        }
      }
    }
  }

  /** Removes every partition. */
  public synchronized void heal() {
    cuts.clear();
  }

  /**
   * Sets the observer of deliveries, replacing the previous one.
   *
   * @param observer sees each delivery before its handler runs
   */
  public synchronized void setDeliveryObserver(DeliveryObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Returns the virtual time.
   *
   * @return nanoseconds since the network was built
   */
  public synchronized long nowNanos() {
    return nowNanos;
  }

  /**
   * Returns how many deliveries are scheduled.
   *
   * @return the pending count, duplicates included
   */
  public synchronized int pendingDeliveries() {
    return queue.size();
  }

  /**
   * Returns the virtual time of the next scheduled delivery.
   *
   * @return its time, or {@link Long#MAX_VALUE} when nothing is in flight
   */
  public synchronized long nextDeliveryNanos() {
    Delivery next = queue.peek();
    return next == null ? Long.MAX_VALUE : next.atNanos;
  }

  /**
   * Advances virtual time to {@code targetNanos}, running every delivery due by then in order.
   *
   * <p>Frames sent by handlers during the advance are delivered in the same call if they fall due
   * by {@code targetNanos}.
   *
   * @param targetNanos the new virtual time, not before {@link #nowNanos()}
   * @return how many frames were delivered or dropped on arrival
   */
  public synchronized int advanceTo(long targetNanos) {
    if (targetNanos < nowNanos) {
      throw new IllegalArgumentException(
          "targetNanos is " + targetNanos + "; it must be at least nowNanos " + nowNanos);
    }
    int work = 0;
    while (!queue.isEmpty() && queue.peek().atNanos <= targetNanos) {
      Delivery delivery = queue.poll();
      nowNanos = delivery.atNanos;
      arrive(delivery);
      work++;
    }
    nowNanos = targetNanos;
    return work;
  }

  /**
   * The duty-cycle form of {@link #advanceTo}: advances to {@code nowNanos} if it is later.
   *
   * @param nowNanos the caller's virtual time
   * @return how many frames arrived
   */
  public synchronized int doWork(long nowNanos) {
    return advanceTo(Math.max(nowNanos, this.nowNanos));
  }

  /**
   * Advances from delivery to delivery until nothing is in flight or {@code maxDeliveries} ran.
   *
   * @param maxDeliveries a bound, so handlers that answer every frame cannot loop forever
   * @return how many frames arrived
   */
  public synchronized int runUntilIdle(int maxDeliveries) {
    int work = 0;
    while (!queue.isEmpty() && work < maxDeliveries) {
      work += advanceTo(queue.peek().atNanos);
    }
    return work;
  }

  synchronized CompletionStage<Void> send(
      InMemoryTransport sender, PeerId to, int payloadType, ByteBuffer payload) {
    Transport.checkPayloadType(payloadType);
    Objects.requireNonNull(to, "to");
    if (sender.state() != LifecycleState.RUNNING) {
      return refuse(
          sender,
          DropReason.NOT_RUNNING,
          "transport of " + sender.localId(),
          "is " + sender.state());
    }
    InMemoryTransport receiver = endpoints.get(to);
    if (receiver == null) {
      return refuse(sender, DropReason.UNKNOWN_PEER, "peer " + to, "has no endpoint");
    }
    LifecycleState receiverState = receiver.state();
    if (receiverState == LifecycleState.CLOSING
        || receiverState == LifecycleState.CLOSED
        || receiverState == LifecycleState.FAILED) {
      return refuse(sender, DropReason.PEER_CLOSED, "peer " + to, "is " + receiverState);
    }
    LinkState link = link(new LinkKey(sender.localId(), to));
    if (link.inFlight >= maxInFlightPerLink) {
      sender.counters.drop(DropReason.QUEUE_FULL);
      return CompletableFuture.failedFuture(
          new BackpressureException(
              "link "
                  + sender.localId().shortString()
                  + " -> "
                  + to.shortString()
                  + " has "
                  + link.inFlight
                  + " frames in flight, the maximum "
                  + maxInFlightPerLink));
    }
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
    copy.put(payload.duplicate()).flip();
    ByteBuffer frame = copy.asReadOnlyBuffer();
    sender.counters.sent(frame.remaining());
    LinkModel model = link.model;
    if (cuts.contains(link.key)) {
      sender.counters.drop(DropReason.PARTITIONED);
    } else if (model.lossProbability() > 0 && random.nextDouble() < model.lossProbability()) {
      sender.counters.drop(DropReason.LOST);
    } else {
      schedule(link, sender, payloadType, frame);
      if (model.duplicateProbability() > 0 && random.nextDouble() < model.duplicateProbability()) {
        schedule(link, sender, payloadType, frame);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> refuse(
      InMemoryTransport sender, DropReason reason, String subject, String why) {
    sender.counters.drop(reason);
    return CompletableFuture.failedFuture(
        new TransportException(reason, "cannot send: " + subject + " " + why));
  }

  private void schedule(LinkState link, InMemoryTransport sender, int type, ByteBuffer frame) {
    LinkModel model = link.model;
    long delay = model.latencyNanos();
    if (model.jitterNanos() > 0) {
      delay += random.nextLong(model.jitterNanos() + 1);
    }
    long at = nowNanos + delay;
    boolean mayOvertake =
        model.reorderProbability() > 0 && random.nextDouble() < model.reorderProbability();
    if (!mayOvertake) {
      at = Math.max(at, link.lastArrivalNanos);
    }
    link.lastArrivalNanos = Math.max(link.lastArrivalNanos, at);
    link.inFlight++;
    queue.add(new Delivery(at, nextSequence++, link, sender, type, frame));
  }

  private void arrive(Delivery delivery) {
    LinkState link = delivery.link;
    link.inFlight--;
    InMemoryTransport sender = delivery.sender;
    if (cuts.contains(link.key)) {
      sender.counters.drop(DropReason.PARTITIONED);
      return;
    }
    InMemoryTransport receiver = endpoints.get(link.key.to);
    if (receiver.state() != LifecycleState.RUNNING) {
      sender.counters.drop(DropReason.RECEIVER_NOT_RUNNING);
      return;
    }
    ByteBuffer payload = delivery.payload.duplicate();
    observer.onDelivery(
        delivery.atNanos, link.key.from, link.key.to, delivery.payloadType, payload.remaining());
    receiver.handlers.dispatch(link.key.from, delivery.payloadType, payload);
  }

  private LinkState link(LinkKey key) {
    return links.computeIfAbsent(key, k -> new LinkState(k, defaultLink));
  }

  private record LinkKey(PeerId from, PeerId to) {
    LinkKey {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  private static final class LinkState {
    final LinkKey key;
    LinkModel model;
    int inFlight;
    long lastArrivalNanos;

    LinkState(LinkKey key, LinkModel model) {
      this.key = key;
      this.model = model;
    }
  }

  private record Delivery(
      long atNanos,
      long sequence,
      LinkState link,
      InMemoryTransport sender,
      int payloadType,
      ByteBuffer payload)
      implements Comparable<Delivery> {
    @Override
    public int compareTo(Delivery other) {
      int byTime = Long.compare(atNanos, other.atNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
