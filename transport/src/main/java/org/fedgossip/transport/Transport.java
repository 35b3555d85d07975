package org.fedgossip.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.fedgossip.trust.PeerId;

/**
 * Sends typed, opaque payloads to peers named by {@link PeerId} and hands received payloads to the
 * handler registered for their type.
 *
 * <p><b>Ordering.</b> Payloads from one sender to one receiver are delivered in the order they were
 * sent (FIFO per link) while the connection carrying them lasts. Nothing is promised across a
 * reconnect: frames lost with a broken connection are not resent, and the transport does not
 * deduplicate. There is no order across different senders or receivers. The in-memory network keeps
 * FIFO per link unless reordering or duplication is configured on that link.
 *
 * <p><b>Completion.</b> The stage of {@link #send} completes when the frame is handed to the link
 * (Netty: written to the socket; in-memory: scheduled for delivery). That is not an acknowledgement
 * from the receiver. It fails with a {@link TransportException} when the send is refused: unknown
 * peer, transport not running, queue full ({@link BackpressureException}), payload too large, or
 * the peer unreachable.
 *
 * <p><b>Lifecycle.</b> {@link LifecycleState}: register handlers, {@link #start()}, send, {@link
 * #close()}. Payload types are in [{@value #MIN_PAYLOAD_TYPE}, {@value #MAX_PAYLOAD_TYPE}]; 0 is
 * reserved for the transport's own hello.
 */
public interface Transport extends AutoCloseable {

  /** The smallest payload type a protocol may use. */
  int MIN_PAYLOAD_TYPE = 1;

  /** The largest payload type a protocol may use. */
  int MAX_PAYLOAD_TYPE = 65_535;

  /**
   * Returns the identity this transport sends as.
   *
   * @return the local peer id
   */
  PeerId localId();

  /**
   * Returns the current lifecycle state.
   *
   * @return the state
   */
  LifecycleState state();

  /**
   * Registers the handler of one payload type, replacing any earlier one.
   *
   * <p>Register before {@link #start()} so that no payload of that type is dropped as unknown.
   *
   * @param payloadType the payload type, in [1, 65535]
   * @param handler the handler, run on a transport thread
   */
  void onReceive(int payloadType, PayloadHandler handler);

  /**
   * Moves from {@code NEW} to {@code RUNNING}, acquiring sockets and threads.
   *
   * <p>If start fails part way, what was opened is closed, the state becomes {@code FAILED} and the
   * cause is rethrown.
   *
   * @throws IllegalStateException when the transport is not {@code NEW}
   */
  void start();

  /**
   * Sends one payload to a peer.
   *
   * <p>The transport may read {@code payload} until the returned stage completes, without copying
   * it; the caller must not modify it until then. Its position and limit are left unchanged. The
   * stage may complete on a transport thread: dependent actions must not block.
   *
   * @param to the destination peer
   * @param payloadType the payload type, in [1, 65535]
   * @param payload the bytes between position and limit are sent
   * @return a stage that completes when the frame is handed to the link, or fails with a {@link
   *     TransportException}
   */
  CompletionStage<Void> send(PeerId to, int payloadType, ByteBuffer payload);

  /**
   * Sends a whole byte array as one payload; see {@link #send(PeerId, int, ByteBuffer)}.
   *
   * @param to the destination peer
   * @param payloadType the payload type, in [1, 65535]
   * @param payload the bytes to send, not modified until the stage completes
   * @return a stage that completes when the frame is handed to the link
   */
  default CompletionStage<Void> send(PeerId to, int payloadType, byte[] payload) {
    return send(to, payloadType, ByteBuffer.wrap(payload));
  }

  /**
   * Returns a snapshot of the counters.
   *
   * @return frames and bytes sent and received, and drops by reason
   */
  TransportCounters counters();

  /**
   * Closes the transport: queued sends fail, connections close, threads stop (within a bound).
   *
   * <p>Idempotent: closing a closed transport does nothing.
   */
  @Override
  void close();

  /**
   * Checks that a payload type is in [1, 65535].
   *
   * @param payloadType the type to check
   * @return {@code payloadType}
   * @throws IllegalArgumentException naming the value and the range when it is out of range
   */
  static int checkPayloadType(int payloadType) {
    if (payloadType < MIN_PAYLOAD_TYPE || payloadType > MAX_PAYLOAD_TYPE) {
      throw new IllegalArgumentException(
          "payloadType is "
              + payloadType
              + "; it must be in ["
              + MIN_PAYLOAD_TYPE
              + ", "
              + MAX_PAYLOAD_TYPE
              + "]");
    }
    return payloadType;
  }
}
