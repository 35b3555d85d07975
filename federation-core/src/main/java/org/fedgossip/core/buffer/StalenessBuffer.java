package org.fedgossip.core.buffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A bounded buffer of model updates for one basket's Layer-1 aggregator, weighted by staleness.
 *
 * <p>Invariants, which hold after every call:
 *
 * <ul>
 *   <li>At most one update per (origin, round). A second offer for the same pair is refused as
 *       {@link Admission#DUPLICATE}; the first one is kept, never overwritten.
 *   <li>Every held update has {@code 0 ≤ currentRound − round ≤ maxStaleness}. An offer from a
 *       later round is refused as {@link Admission#FUTURE_ROUND}, one already too old as {@link
 *       Admission#TOO_STALE}, and {@link #advanceTo(long)} evicts the updates it makes too old.
 *   <li>At most {@code maxEntries} updates are held. <b>Eviction policy when full:</b> if the
 *       incoming update's round is strictly later than the oldest held round, the held update with
 *       the oldest round is evicted, the earliest arrival among those of that round first, and the
 *       incoming one is stored. Otherwise (the incoming update is as stale as or staler than
 *       everything held) it is refused as {@link Admission#BUFFER_FULL}, so an update is never
 *       displaced by an equally stale one and first come keeps its place.
 * </ul>
 *
 * <p>The weight of an update of staleness {@code s} is {@code decay.weight(s)}: polynomial {@code
 * (1+s)^−a} or exponential {@code e^(−λ s)}, after Xie, Koyejo and Gupta 2019, "Asynchronous
 * Federated Optimization" (FedAsync, arXiv:1903.03934). {@link #snapshot()} and {@link #drain()}
 * list updates by round, then by arrival order, so the aggregator sees a deterministic order.
 *
 * <p><b>Thread safety:</b> none. A buffer is confined to one thread, the agent that owns it; it
 * takes no locks, shares no state with other instances and starts no threads. Hand it to another
 * thread only through a happens-before edge (for example a queue), never concurrently.
 *
 * @param <O> the origin identifier type (a peer id); needs consistent {@code equals}/{@code
 *     hashCode}
 */
public final class StalenessBuffer<O> {

  private final StalenessBufferConfig config;

  /** Held updates by round; within a round, by origin in arrival order. */
  private final TreeMap<Long, LinkedHashMap<O, Entry>> byRound = new TreeMap<>();

  /** Offers by outcome, indexed by {@link Admission#ordinal()}. */
  private final long[] counters = new long[Admission.values().length];

  private long currentRound;
  private int size;
  private long evictedStale;
  private long evictedForCapacity;

  private record Entry(float[] vector, long sampleCount) {}

  /**
   * Creates an empty buffer.
   *
   * @param config the validated configuration
   * @param currentRound the round the federation is in now, at least 0
   */
  public StalenessBuffer(StalenessBufferConfig config, long currentRound) {
    this.config = Objects.requireNonNull(config, "config must not be null");
    requireRound("currentRound", currentRound);
    this.currentRound = currentRound;
  }

  /**
   * Offers an update; stores it or says why not.
   *
   * <p>The vector is copied, so the caller may reuse its array. Checks run in this order: future
   * round, too stale, duplicate, full.
   *
   * @param origin the update's origin, not null
   * @param round the update's round, at least 0
   * @param vector the update's values, not null (dimension and finiteness are the caller's checks)
   * @param sampleCount local samples behind the update, at least 1
   * @return {@link Admission#ACCEPTED} or the refusal reason
   * @throws IllegalArgumentException if {@code round} is negative or {@code sampleCount} is below 1
   */
  public Admission offer(O origin, long round, float[] vector, long sampleCount) {
    Objects.requireNonNull(vector, "vector must not be null");
    return offerShared(origin, round, vector.clone(), sampleCount);
  }

  /**
   * Offers an update whose array is kept as it is, not copied: for vectors that are read-only from
   * now on and may be held by other readers too (the peers of an in-process simulation share one
   * decoded copy of each update). The array is handed out again by {@link #drain()}; nobody may
   * write to it. Same checks and outcomes as {@link #offer}.
   *
   * @param origin the update's origin, not null
   * @param round the update's round, at least 0
   * @param vector the update's values, never written to again
   * @param sampleCount local samples behind the update, at least 1
   * @return {@link Admission#ACCEPTED} or the refusal reason
   * @throws IllegalArgumentException if {@code round} is negative or {@code sampleCount} is below 1
   */
  public Admission offerShared(O origin, long round, float[] vector, long sampleCount) {
    Objects.requireNonNull(origin, "origin must not be null");
    Objects.requireNonNull(vector, "vector must not be null");
    requireRound("round", round);
    if (sampleCount < 1) {
      throw new IllegalArgumentException("sampleCount must be >= 1, got " + sampleCount);
    }
    Admission admission = admit(origin, round);
    counters[admission.ordinal()]++;
    if (admission.accepted()) {
      byRound
          .computeIfAbsent(round, r -> new LinkedHashMap<>())
          .put(origin, new Entry(vector, sampleCount));
      size++;
    }
    return admission;
  }

  private Admission admit(O origin, long round) {
    if (round > currentRound) {
      return Admission.FUTURE_ROUND;
    }
    if (currentRound - round > config.maxStaleness()) {
      return Admission.TOO_STALE;
    }
    LinkedHashMap<O, Entry> sameRound = byRound.get(round);
    if (sameRound != null && sameRound.containsKey(origin)) {
      return Admission.DUPLICATE;
    }
    if (size >= config.maxEntries()) {
      Map.Entry<Long, LinkedHashMap<O, Entry>> oldest = byRound.firstEntry();
      if (round <= oldest.getKey()) {
        return Admission.BUFFER_FULL;
      }
      removeFirst(oldest);
      evictedForCapacity++;
    }
    return Admission.ACCEPTED;
  }

  private void removeFirst(Map.Entry<Long, LinkedHashMap<O, Entry>> roundEntry) {
    LinkedHashMap<O, Entry> entries = roundEntry.getValue();
    Iterator<O> it = entries.keySet().iterator();
    it.next();
    it.remove();
    size--;
    if (entries.isEmpty()) {
      byRound.remove(roundEntry.getKey());
    }
  }

  /**
   * Moves the buffer to a later round and evicts the updates that become too stale.
   *
   * @param round the new current round, not before the present one
   * @return how many updates were evicted
   * @throws IllegalArgumentException if {@code round} is before the current round
   */
  public int advanceTo(long round) {
    if (round < currentRound) {
      throw new IllegalArgumentException(
          "round must be >= current round " + currentRound + ", got " + round);
    }
    currentRound = round;
    int evicted = 0;
    long oldestKept = round - config.maxStaleness();
    while (!byRound.isEmpty() && byRound.firstKey() < oldestKept) {
      evicted += byRound.pollFirstEntry().getValue().size();
    }
    size -= evicted;
    evictedStale += evicted;
    return evicted;
  }

  /**
   * The held updates with their current weights, leaving the buffer unchanged.
   *
   * <p>Ordered by round ascending, then arrival order; vectors are copies.
   *
   * @return a new list
   */
  public List<WeightedUpdate<O>> snapshot() {
    return collect(true);
  }

  /**
   * The held updates with their current weights, emptying the buffer.
   *
   * <p>Same order as {@link #snapshot()}; the vectors are handed over, not copied (those offered
   * with {@link #offerShared} stay shared and read-only). Counters and the current round are
   * unchanged.
   *
   * @return a new list
   */
  public List<WeightedUpdate<O>> drain() {
    List<WeightedUpdate<O>> all = collect(false);
    byRound.clear();
    size = 0;
    return all;
  }

  private List<WeightedUpdate<O>> collect(boolean copy) {
    List<WeightedUpdate<O>> out = new ArrayList<>(size);
    for (Map.Entry<Long, LinkedHashMap<O, Entry>> roundEntry : byRound.entrySet()) {
      long round = roundEntry.getKey();
      long staleness = currentRound - round;
      double weight = config.decay().weight(staleness);
      for (Map.Entry<O, Entry> e : roundEntry.getValue().entrySet()) {
        float[] vector = copy ? e.getValue().vector().clone() : e.getValue().vector();
        out.add(
            new WeightedUpdate<>(
                e.getKey(), round, vector, e.getValue().sampleCount(), staleness, weight));
      }
    }
    return out;
  }

  /**
   * Whether an update from this origin for this round is held.
   *
   * @param origin the origin
   * @param round the round
   * @return true if held
   */
  public boolean contains(O origin, long round) {
    LinkedHashMap<O, Entry> sameRound = byRound.get(round);
    return sameRound != null && sameRound.containsKey(origin);
  }

  /**
   * How many updates are held.
   *
   * @return between 0 and {@code maxEntries}
   */
  public int size() {
    return size;
  }

  /**
   * The round the buffer considers current.
   *
   * @return the round, at least 0
   */
  public long currentRound() {
    return currentRound;
  }

  /**
   * The configuration.
   *
   * @return the configuration given at construction
   */
  public StalenessBufferConfig config() {
    return config;
  }

  /**
   * How many offers ended with this outcome since construction, for metrics export.
   *
   * @param outcome the outcome, including {@link Admission#ACCEPTED}
   * @return the count
   */
  public long count(Admission outcome) {
    return counters[Objects.requireNonNull(outcome, "outcome must not be null").ordinal()];
  }

  /**
   * How many held updates were evicted by {@link #advanceTo(long)} for being too stale.
   *
   * @return the count since construction
   */
  public long evictedStaleCount() {
    return evictedStale;
  }

  /**
   * How many held updates were evicted to make room for a fresher one when full.
   *
   * @return the count since construction
   */
  public long evictedForCapacityCount() {
    return evictedForCapacity;
  }

  private static void requireRound(String name, long round) {
    if (round < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + round);
    }
  }
}
