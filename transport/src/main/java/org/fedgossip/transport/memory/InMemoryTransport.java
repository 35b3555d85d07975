package org.fedgossip.transport.memory;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.fedgossip.transport.LifecycleState;
import org.fedgossip.transport.PayloadHandler;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportCounters;
import org.fedgossip.transport.internal.CounterSet;
import org.fedgossip.transport.internal.HandlerTable;
import org.fedgossip.transport.internal.Lifecycle;
import org.fedgossip.trust.PeerId;

/**
 * One endpoint of an {@link InMemoryNetwork}; built by {@link InMemoryNetwork#endpoint(PeerId)}.
 *
 * <p>It holds no thread or socket: start and close only move the lifecycle. Its payloads are
 * delivered when the network's virtual clock is advanced.
 */
public final class InMemoryTransport implements Transport {
  private final InMemoryNetwork network;
  private final PeerId localId;
  private final Lifecycle lifecycle;
  final CounterSet counters = new CounterSet();
  final HandlerTable handlers = new HandlerTable(counters);

  InMemoryTransport(InMemoryNetwork network, PeerId localId) {
    this.network = network;
    this.localId = localId;
    this.lifecycle = new Lifecycle("in-memory transport of " + localId.shortString());
  }

  @Override
  public PeerId localId() {
    return localId;
  }

  @Override
  public LifecycleState state() {
    return lifecycle.get();
  }

  @Override
  public void onReceive(int payloadType, PayloadHandler handler) {
    handlers.register(payloadType, handler);
  }

  @Override
  public void start() {
    lifecycle.transition(LifecycleState.STARTING);
    lifecycle.transition(LifecycleState.RUNNING);
  }

  @Override
  public CompletionStage<Void> send(PeerId to, int payloadType, ByteBuffer payload) {
    return network.send(this, to, payloadType, payload);
  }

  @Override
  public TransportCounters counters() {
    return counters.snapshot();
  }

  @Override
  public void close() {
    if (lifecycle.beginClose()) {
      lifecycle.transition(LifecycleState.CLOSED);
    }
  }
}
