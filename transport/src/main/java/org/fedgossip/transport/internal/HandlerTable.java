package org.fedgossip.transport.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.fedgossip.transport.DropReason;
import org.fedgossip.transport.PayloadHandler;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.PeerId;

/**
 * The payload handlers of one transport, by payload type, and the dispatch that counts unknown
 * types and failing handlers instead of throwing.
 *
 * <p>Internal to the transport module.
 */
public final class HandlerTable {
  private final ConcurrentHashMap<Integer, PayloadHandler> handlers = new ConcurrentHashMap<>();
  private final CounterSet counters;

  /**
   * Creates an empty table that counts into {@code counters}.
   *
   * @param counters where deliveries and drops are counted
   */
  public HandlerTable(CounterSet counters) {
    this.counters = counters;
  }

  /**
   * Registers a handler, replacing any earlier one for the type.
   *
   * @param payloadType the type, in [1, 65535]
   * @param handler the handler
   */
  public void register(int payloadType, PayloadHandler handler) {
    Transport.checkPayloadType(payloadType);
    handlers.put(payloadType, Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Hands a payload to its handler; counts it as received, or as an unknown type or a failed
   * handler.
   *
   * @param from the authenticated sender
   * @param payloadType the type
   * @param payload the read-only payload
   * @return true when a handler ran to completion
   */
  public boolean dispatch(PeerId from, int payloadType, ByteBuffer payload) {
    PayloadHandler handler = handlers.get(payloadType);
    if (handler == null) {
      counters.drop(DropReason.UNKNOWN_PAYLOAD_TYPE);
      return false;
    }
    int size = payload.remaining();
    try {
      handler.onPayload(from, payloadType, payload);
    } catch (RuntimeException e) {
      counters.drop(DropReason.HANDLER_FAILED);
      return false;
    }
    counters.received(size);
    return true;
  }
}
