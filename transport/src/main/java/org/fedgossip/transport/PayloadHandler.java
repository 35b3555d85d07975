package org.fedgossip.transport;

import java.nio.ByteBuffer;
import org.fedgossip.trust.PeerId;

/**
 * Receives the payloads of one payload type, registered with {@link Transport#onReceive}.
 *
 * <p>The handler runs on a transport thread (a Netty event loop, or the thread that advances an
 * in-memory network), so it must not block. The buffer is read-only and valid only during the call:
 * a handler that keeps the bytes copies them. An exception thrown by a handler is counted as {@link
 * DropReason#HANDLER_FAILED} and does not close the connection.
 */
@FunctionalInterface
public interface PayloadHandler {

  /**
   * Handles one payload.
   *
   * @param from the authenticated sender (from the connection, never from the payload)
   * @param payloadType the payload type the handler was registered for
   * @param payload the payload bytes, read-only, valid only during this call
   */
  void onPayload(PeerId from, int payloadType, ByteBuffer payload);
}
