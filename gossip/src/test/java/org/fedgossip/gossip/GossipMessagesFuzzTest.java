package org.fedgossip.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.fedgossip.gossip.simulation.GossipSimulation;
import org.fedgossip.transport.Transport;
import org.fedgossip.trust.PeerId;

/**
 * Fuzzes the receiving side of {@link GossipNode}: arbitrary bytes as a gossip message (payload
 * type {@link GossipPayloadTypes#GOSSIP}) to a node of a running five-node simulation in virtual
 * time, built once per JVM so that inputs build on each other's effects (membership updates, view
 * entries, announced items, pending requests).
 *
 * <p>The first input byte picks the sender: even, node 0, a certified member whose messages reach
 * every handler; odd, an outsider with an unknown id. The rest is the payload. The limit is a 4 KiB
 * item payload, so a message above 8 KiB ({@code maxPayloadBytes + 4096}) must be refused as {@link
 * GossipDropReason#OVERSIZED} before it is parsed.
 *
 * <p>Property: no exception leaves the node or the simulation; the node never counts {@link
 * GossipDropReason#HANDLER_FAILED} (an unexpected exception inside a handler); an oversized message
 * counts one drop; and every 128 inputs an item published by an honest node still reaches every
 * node. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/gossip/GossipMessagesFuzzTestInputs/receivesArbitraryMessages/}.
 */
class GossipMessagesFuzzTest {

  private static final long SEED = 11L;
  private static final int NODES = 5;
  private static final int MAX_PAYLOAD_BYTES = 4096;
  private static final int MAX_MESSAGE_BYTES = MAX_PAYLOAD_BYTES + 4096;

  private static GossipSimulation simulation;
  private static final Transport[] member = new Transport[1];
  private static Transport outsider;
  private static int inputs;
  private static long round = 1;

  private static synchronized GossipSimulation simulation() {
    if (simulation == null) {
      GossipConfig simulationPreset = GossipConfig.simulation();
      GossipConfig config =
          new GossipConfig(
                  simulationPreset.probeIntervalMs(),
                  simulationPreset.probeTimeoutMs(),
                  simulationPreset.indirectChecks(),
                  simulationPreset.suspicionMult(),
                  simulationPreset.gossipIntervalMs(),
                  simulationPreset.fanout(),
                  simulationPreset.retransmitMult(),
                  simulationPreset.viewSize(),
                  simulationPreset.shuffleLength(),
                  simulationPreset.shuffleIntervalMs(),
                  simulationPreset.requestTimeoutMs(),
                  simulationPreset.antiEntropyIntervalMs(),
                  simulationPreset.storeMaxItems(),
                  MAX_PAYLOAD_BYTES,
                  simulationPreset.itemFreshnessMs(),
                  simulationPreset.rateLimitPerSecond(),
                  simulationPreset.rateLimitBurst(),
                  simulationPreset.memberTableSize(),
                  simulationPreset.materialityThreshold())
              .withRateLimit(1e9, 1_000_000);
      simulation =
          new GossipSimulation(
              GossipSimulation.Settings.of(NODES, SEED, 0)
                  .withConfig(config)
                  .withDecorator(
                      (i, t) -> {
                        if (i == 0) {
                          member[0] = t;
                        }
                        return t;
                      }));
      outsider = simulation.network().endpoint(PeerId.fromDigest(filled((byte) 0x5A)));
      outsider.start();
      simulation.runFor(500);
      simulation.publish(2, round, new byte[] {1, 2, 3}, true);
      simulation.runFor(500);
    }
    return simulation;
  }

  private static byte[] filled(byte b) {
    byte[] bytes = new byte[PeerId.DIGEST_BYTES];
    Arrays.fill(bytes, b);
    return bytes;
  }

  @FuzzTest(maxDuration = "30s")
  void receivesArbitraryMessages(byte[] input) {
    GossipSimulation sim = simulation();
    boolean fromMember = input.length == 0 || (input[0] & 1) == 0;
    byte[] payload = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    GossipNode target = sim.node(1);
    GossipCounters before = target.counters();

    (fromMember ? member[0] : outsider).send(sim.id(1), GossipPayloadTypes.GOSSIP, payload);
    sim.runFor(30);

    GossipCounters after = target.counters();
    assertThat(after.dropped(GossipDropReason.HANDLER_FAILED))
        .as("unexpected exceptions in the handlers (see the warning logged)")
        .isZero();
    if (payload.length > MAX_MESSAGE_BYTES) {
      assertThat(after.dropped(GossipDropReason.OVERSIZED))
          .isEqualTo(before.dropped(GossipDropReason.OVERSIZED) + 1);
    }
    if (++inputs % 128 == 1) {
      round++;
      sim.publish(3, round, new byte[] {(byte) round}, true);
      assertThat(sim.runUntil(() -> sim.fullyDisseminated(3, round), 30_000))
          .as("an honest item reaches every node after %d fuzzed messages", inputs)
          .isTrue();
    }
  }
}
