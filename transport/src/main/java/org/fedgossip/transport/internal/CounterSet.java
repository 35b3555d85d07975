package org.fedgossip.transport.internal;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.TransportCounters;

/**
 * Thread-safe counters of one transport, read as a {@link TransportCounters} snapshot.
 *
 * <p>Internal to the transport module.
 */
public final class CounterSet {
  private final LongAdder framesSent = new LongAdder();
  private final LongAdder framesReceived = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder[] drops = new LongAdder[DropReason.values().length];

  /** Creates zeroed counters. */
  public CounterSet() {
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new LongAdder();
    }
  }

  /**
   * Counts one payload frame handed to the link.
   *
   * @param payloadBytes its payload size
   */
  public void sent(long payloadBytes) {
    framesSent.increment();
    bytesSent.add(payloadBytes);
  }

  /**
   * Counts one payload frame delivered to a handler.
   *
   * @param payloadBytes its payload size
   */
  public void received(long payloadBytes) {
    framesReceived.increment();
    bytesReceived.add(payloadBytes);
  }

  /**
   * Counts one drop.
   *
   * @param reason why
   */
  public void drop(DropReason reason) {
    drops[reason.ordinal()].increment();
  }

  /**
   * Returns a snapshot.
   *
   * @return the counters now
   */
  public TransportCounters snapshot() {
    EnumMap<DropReason, Long> map = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      map.put(reason, drops[reason.ordinal()].sum());
    }
    return new TransportCounters(
        framesSent.sum(), framesReceived.sum(), bytesSent.sum(), bytesReceived.sum(), map);
  }
}
