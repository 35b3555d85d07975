package org.fedgossip.core.runtime;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.secureagg.SecAggMessage;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a peer and the coordinator share in talking to the network: sends whose failures are logged,
 * not thrown (a silent peer is handled by the protocol's deadlines), copies of received payloads
 * (the transport may reuse its buffers once a handler returns), the inbox drained on the agent's
 * thread, and listeners that cannot break the agent.
 */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final Transport transport;

  Outbox(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  void send(PeerId to, int type, byte[] payload) {
    transport
        .send(to, type, ByteBuffer.wrap(payload))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.debug(
                    "{} could not send type {} to {}: {}",
                    transport.localId().shortString(),
                    type,
                    to.shortString(),
                    error.toString());
              }
            });
  }

  void sendAll(List<SecAggMessage> messages) {
    for (SecAggMessage m : messages) {
      send(m.to(), m.payloadType(), m.payload());
    }
  }

  static byte[] copy(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return bytes;
  }

  /** Runs every queued task with the time; returns how many ran. */
  static int drain(ConcurrentLinkedQueue<Consumer<Long>> inbox, long nowNanos) {
    int work = 0;
    Consumer<Long> task;
    while ((task = inbox.poll()) != null) {
      task.accept(nowNanos);
      work++;
    }
    return work;
  }

  static void notify(List<Consumer<GlobalModel>> listeners, GlobalModel model) {
    for (Consumer<GlobalModel> listener : listeners) {
      try {
        listener.accept(model);
      } catch (RuntimeException e) {
        LOG.warn("a global-model listener failed: {}", e.toString());
      }
    }
  }
}
