package org.fedgossip.transport;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a transport's counters: frames and payload bytes sent and received, and drops by
 * {@link DropReason}.
 *
 * <p>Counters only grow while a transport lives; a snapshot is immutable and carries every reason,
 * zero when nothing was dropped for it.
 *
 * @param framesSent payload frames handed to the link (Netty: written to the socket)
 * @param framesReceived payload frames delivered to a handler
 * @param payloadBytesSent payload bytes of {@code framesSent}, envelopes excluded
 * @param payloadBytesReceived payload bytes of {@code framesReceived}
 * @param drops the count of each drop reason
 */
public record TransportCounters(
    long framesSent,
    long framesReceived,
    long payloadBytesSent,
    long payloadBytesReceived,
    Map<DropReason, Long> drops) {

  /** Copies {@code drops} into an unmodifiable map holding every reason. */
  public TransportCounters {
    Objects.requireNonNull(drops, "drops");
    EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      all.put(reason, drops.getOrDefault(reason, 0L));
    }
    drops = Collections.unmodifiableMap(all);
  }

  /**
   * Returns the count of one drop reason.
   *
   * @param reason the reason
   * @return how many sends or frames were dropped for it
   */
  public long dropped(DropReason reason) {
    return drops.get(reason);
  }
}
