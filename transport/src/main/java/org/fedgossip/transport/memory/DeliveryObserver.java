package org.fedgossip.transport.memory;

import org.fedgossip.trust.PeerId;

/**
 * Sees every frame an {@link InMemoryNetwork} hands to a receiver, in delivery order; used to
 * record and compare delivery traces.
 */
@FunctionalInterface
public interface DeliveryObserver {

  /**
   * Called just before the receiver's handler runs.
   *
   * @param atNanos the virtual time of delivery
   * @param from the sender
   * @param to the receiver
   * @param payloadType the payload type
   * @param payloadBytes the payload size
   */
  void onDelivery(long atNanos, PeerId from, PeerId to, int payloadType, int payloadBytes);
}
