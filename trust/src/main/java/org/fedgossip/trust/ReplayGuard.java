package org.fedgossip.trust;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses replayed and stale messages: a freshness window on timestamps and, per sender, a sliding
 * window of sequence numbers in the manner of the IPsec anti-replay bitmap (RFC 4303, section
 * 3.4.3), so messages reordered within the window are accepted once each and duplicates are
 * refused.
 *
 * <p>Order of checks for a message with timestamp {@code t} at time {@code now}: {@code t > now +
 * skew} is FROM_FUTURE; {@code t < now - freshness} is TOO_OLD; for a sender not currently tracked,
 * {@code t <= floor} is TOO_OLD, and a tracked sender keeps the floor in force at its admission for
 * good; a sequence number at least {@code window} below the sender's highest is BELOW_WINDOW; one
 * already seen is DUPLICATE. Windows, timestamps and the floor change only on acceptance, so
 * refused messages cannot move a window.
 *
 * <p>Memory is bounded by {@code maxSenders}: when a new sender would exceed it, the sender whose
 * messages were least recently checked is evicted (LRU), and the guard's floor is raised to the
 * newest timestamp that sender ever had accepted. Any message the evicted sender had accepted has a
 * timestamp at or below the floor, so it stays refused as TOO_OLD once the sender is untracked, and
 * also after the sender is re-admitted with a newer message (its new state remembers the floor):
 * eviction never reopens a replay. The cost is that a newly seen sender's messages with timestamps
 * at or below the floor are refused too, which only happens while the floor is within the freshness
 * window, i.e. when more than {@code maxSenders} senders are active at once. Not thread-safe:
 * confine to one thread or synchronise externally.
 */
public final class ReplayGuard {

  private static final class SenderState {
    long highestSequence;
    long seenBitmap; // bit i set: highestSequence - i was accepted
    long newestTimestampMillis;
    long floorMillis; // the guard's floor when this sender was (re)admitted
  }

  private final ReplayGuardConfig config;
  private final LinkedHashMap<PeerId, SenderState> senders;
  private long floorMillis = Long.MIN_VALUE;

  /**
   * Creates a guard.
   *
   * @param config the settings
   */
  public ReplayGuard(ReplayGuardConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.senders = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * The settings.
   *
   * @return the configuration
   */
  public ReplayGuardConfig config() {
    return config;
  }

  /**
   * Checks a message and records it when accepted.
   *
   * @param sender the sender
   * @param sequence the sender's sequence number
   * @param timestampMillis the sender's timestamp, Unix milliseconds
   * @param nowMillis the receiver's time, Unix milliseconds
   * @return ACCEPTED or the reason for refusal
   */
  public ReplayVerdict check(PeerId sender, long sequence, long timestampMillis, long nowMillis) {
    Objects.requireNonNull(sender, "sender");
    if (timestampMillis > saturatedAdd(nowMillis, config.futureSkewMillis())) {
      return ReplayVerdict.FROM_FUTURE;
    }
    if (timestampMillis < saturatedAdd(nowMillis, -config.freshnessMillis())) {
      return ReplayVerdict.TOO_OLD;
    }
    SenderState state = senders.get(sender);
    if (state != null && timestampMillis <= state.floorMillis) {
      return ReplayVerdict.TOO_OLD;
    }
    if (state == null) {
      if (timestampMillis <= floorMillis) {
        return ReplayVerdict.TOO_OLD;
      }
      state = new SenderState();
      state.highestSequence = sequence;
      state.seenBitmap = 1L;
      state.newestTimestampMillis = timestampMillis;
      state.floorMillis = floorMillis;
      if (senders.size() >= config.maxSenders()) {
        evictEldest();
      }
      senders.put(sender, state);
      return ReplayVerdict.ACCEPTED;
    }
    if (sequence > state.highestSequence) {
      long shift = sequence - state.highestSequence; // > 0; may exceed 63 in long arithmetic
      state.seenBitmap = (shift >= 64 || shift < 0 ? 0L : state.seenBitmap << shift) | 1L;
      state.highestSequence = sequence;
    } else {
      long behind = state.highestSequence - sequence; // >= 0; overflow means far below
      if (behind < 0 || behind >= config.sequenceWindow()) {
        return ReplayVerdict.BELOW_WINDOW;
      }
      long bit = 1L << behind;
      if ((state.seenBitmap & bit) != 0) {
        return ReplayVerdict.DUPLICATE;
      }
      state.seenBitmap |= bit;
    }
    state.newestTimestampMillis = Math.max(state.newestTimestampMillis, timestampMillis);
    return ReplayVerdict.ACCEPTED;
  }

  /**
   * How many senders are tracked now.
   *
   * @return at most {@code maxSenders}
   */
  public int trackedSenders() {
    return senders.size();
  }

  /**
   * The timestamp at or below which messages from untracked senders are refused.
   *
   * @return the floor in Unix milliseconds, {@link Long#MIN_VALUE} before any eviction
   */
  public long floorMillis() {
    return floorMillis;
  }

  private void evictEldest() {
    var it = senders.entrySet().iterator();
    Map.Entry<PeerId, SenderState> eldest = it.next();
    floorMillis = Math.max(floorMillis, eldest.getValue().newestTimestampMillis);
    it.remove();
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
