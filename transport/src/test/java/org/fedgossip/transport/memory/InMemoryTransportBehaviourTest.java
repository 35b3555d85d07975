package org.fedgossip.transport.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fedgossip.transport.TestPeers;
import org.fedgossip.transport.Transport;
import org.fedgossip.transport.TransportBehaviourSuite;
import org.fedgossip.trust.PeerId;

/** Runs the transport behaviour suite over an {@link InMemoryNetwork} with jittered links. */
class InMemoryTransportBehaviourTest extends TransportBehaviourSuite {

  private static final long SEED = 20261123L;

  @Override
  protected Fixture newFixture(int endpoints, int queueCapacity) {
    InMemoryNetwork network =
        new InMemoryNetwork(SEED, LinkModel.lan(1_000_000L, 500_000L), queueCapacity);
    List<InMemoryTransport> transports = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      transports.add(network.endpoint(TestPeers.peer("endpoint-" + i)));
    }
    return new Fixture() {
      private int stalled;

      @Override
      public Transport transport(int i) {
        return transports.get(i);
      }

      @Override
      public void startAll() {
        transports.forEach(Transport::start);
      }

      @Override
      public boolean awaitUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
          if (network.pendingDeliveries() == 0) {
            return false;
          }
          network.advanceTo(network.nextDeliveryNanos());
        }
        return true;
      }

      @Override
      public PeerId stalledPeer(int from) {
        // Virtual time does not move unless advanced, so frames stay in flight on the link.
        PeerId id = TestPeers.peer("stalled-" + stalled++);
        network.endpoint(id).start();
        return id;
      }

      @Override
      public void close() {
        transports.forEach(Transport::close);
      }
    };
  }
}
