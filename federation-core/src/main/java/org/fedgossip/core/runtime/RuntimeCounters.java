package org.fedgossip.core.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Live counters of one peer or coordinator, read by metrics exporters from any thread.
 *
 * <p>Rejections are counted by a stable reason name (for example {@code WRONG_DIMENSION}, {@code
 * ORIGIN_MISMATCH}, {@code BAD_MODEL_SIGNATURE}), so one exporter label covers every layer.
 */
public final class RuntimeCounters {

  private final AtomicLong roundsCompleted = new AtomicLong();
  private final AtomicLong updatesReceived = new AtomicLong();
  private final AtomicLong updatesAccepted = new AtomicLong();
  private final AtomicLong updatesSubmitted = new AtomicLong();
  private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  private final AtomicLong layer1Runs = new AtomicLong();
  private final AtomicLong layer1Rejected = new AtomicLong();
  private final AtomicLong layer2Participants = new AtomicLong();
  private final AtomicLong layer2Dropouts = new AtomicLong();
  private final AtomicLong modelVersion = new AtomicLong();
  private final AtomicLong round = new AtomicLong();
  private final DoubleAdder lastRoundSeconds = new DoubleAdder();
  private volatile double epsilonSpent;
  private volatile RoundListener roundListener = (r, nanos, participants, dropouts) -> {};

  /** Creates counters at zero; the runtime owns them. */
  RuntimeCounters() {}

  /** Receives every completed round, to feed a duration histogram. */
  @FunctionalInterface
  public interface RoundListener {
    /**
     * Called once per completed round on the node's thread; must not block.
     *
     * @param round the round
     * @param durationNanos from the round's start to the model's publication or adoption
     * @param participants Layer-2 participants whose input is in the sum (0 on peers)
     * @param dropouts Layer-2 participants that dropped (0 on peers)
     */
    void roundCompleted(long round, long durationNanos, int participants, int dropouts);
  }

  /**
   * Sets the round listener.
   *
   * @param listener the listener
   */
  public void onRoundCompleted(RoundListener listener) {
    roundListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  void roundCompleted(long r, long durationNanos, int participants, int dropouts) {
    roundsCompleted.incrementAndGet();
    layer2Participants.set(participants);
    layer2Dropouts.addAndGet(dropouts);
    lastRoundSeconds.reset();
    lastRoundSeconds.add(durationNanos / 1e9);
    roundListener.roundCompleted(r, durationNanos, participants, dropouts);
  }

  void received() {
    updatesReceived.incrementAndGet();
  }

  void accepted() {
    updatesAccepted.incrementAndGet();
  }

  void submitted() {
    updatesSubmitted.incrementAndGet();
  }

  void rejected(String reason) {
    rejected.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
  }

  void layer1(int rejectedInputs) {
    layer1Runs.incrementAndGet();
    layer1Rejected.addAndGet(rejectedInputs);
  }

  /**
   * Layer-1 aggregations this peer ran as its basket's delegate.
   *
   * @return the count
   */
  public long layer1Runs() {
    return layer1Runs.get();
  }

  /**
   * Inputs its robust rule left out, over those runs.
   *
   * @return the count
   */
  public long layer1Rejected() {
    return layer1Rejected.get();
  }

  void modelVersion(long version) {
    modelVersion.set(version);
  }

  void round(long value) {
    round.set(value);
  }

  void epsilonSpent(double value) {
    epsilonSpent = value;
  }

  /**
   * Rounds completed (published on the coordinator, adopted on a peer).
   *
   * @return the count
   */
  public long roundsCompleted() {
    return roundsCompleted.get();
  }

  /**
   * Updates received from the basket (own ones excluded).
   *
   * @return the count
   */
  public long updatesReceived() {
    return updatesReceived.get();
  }

  /**
   * Updates that passed validation and entered the staleness buffer.
   *
   * @return the count
   */
  public long updatesAccepted() {
    return updatesAccepted.get();
  }

  /**
   * Local updates this peer released.
   *
   * @return the count
   */
  public long updatesSubmitted() {
    return updatesSubmitted.get();
  }

  /**
   * Rejections by reason, sorted by reason.
   *
   * @return a snapshot
   */
  public Map<String, Long> rejected() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Participants of the last Layer-2 sum.
   *
   * @return the count
   */
  public long layer2Participants() {
    return layer2Participants.get();
  }

  /**
   * Layer-2 dropouts, in total.
   *
   * @return the count
   */
  public long layer2Dropouts() {
    return layer2Dropouts.get();
  }

  /**
   * The global model version held.
   *
   * @return the version
   */
  public long modelVersion() {
    return modelVersion.get();
  }

  /**
   * The current round.
   *
   * @return the round
   */
  public long round() {
    return round.get();
  }

  /**
   * ε spent by this process's ledger.
   *
   * @return ε
   */
  public double epsilonSpent() {
    return epsilonSpent;
  }

  /**
   * The last round's duration.
   *
   * @return seconds
   */
  public double lastRoundSeconds() {
    return lastRoundSeconds.sum();
  }
}
