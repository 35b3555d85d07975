package org.fedgossip.secureagg;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.fedgossip.trust.PeerId;

/**
 * Fuzzes the SecAgg+ state machines directly: one arbitrary message of any of the seven SecAgg
 * payload types, handed to the {@link SecAggCoordinator} or to a {@link SecAggClient} of a round in
 * progress (4 participants, dimension 8, driven by {@link Fixture}), then the round is driven to
 * its end.
 *
 * <p>Input layout: byte 0 picks how far the round has gone before the message arrives (nothing
 * delivered, advertisements in, shares in, masked inputs in); byte 1 the payload type, byte 2 the
 * participant that sends it (to the coordinator) or receives it (from the coordinator, or from a
 * participant when bit 7 of byte 1 is set); the rest is the payload, at most {@value #MAX_PAYLOAD}
 * bytes (the transport's frame limit bounds payloads in a deployment; the state machines allocate
 * per the round's spec, never per a length field of the message).
 *
 * <p>Property: {@code onMessage} and {@code onTick} never throw; a client's message from anyone but
 * its coordinator is counted as {@link RejectReason#NOT_FROM_COORDINATOR}; and, after the remaining
 * messages are delivered and every deadline has passed, the coordinator is {@link
 * CoordinatorState#DONE} with a sum of dimension 8 or {@link CoordinatorState#FAILED} with a
 * reason. Seeds (real messages of the same round) and regression inputs: {@code
 * src/test/resources/org/fedgossip/secureagg/SecAggMessagesFuzzTestInputs/handlesArbitraryMessage/}.
 */
class SecAggMessagesFuzzTest {

  static final int N = 4;
  static final int D = 8;
  static final long SEED = 21L;
  static final int MAX_PAYLOAD = 1 << 16;

  static final int[] TYPES = {
    SecAggPayloadTypes.ADVERTISE_KEYS,
    SecAggPayloadTypes.KEY_DIRECTORY,
    SecAggPayloadTypes.SHARE_KEYS,
    SecAggPayloadTypes.SHARE_DELIVERY,
    SecAggPayloadTypes.MASKED_INPUT,
    SecAggPayloadTypes.UNMASK_REQUEST,
    SecAggPayloadTypes.UNMASK_RESPONSE
  };

  static {
    // Every rejection is logged at warn; at fuzzing rates that is most of the time spent.
    System.setProperty("org.slf4j.simpleLogger.log.org.fedgossip.secureagg", "error");
  }

  /** The identities, generated once per JVM: key generation dominates a round's cost. */
  private static final Fixture IDENTITIES = new Fixture(N, D, SEED);

  /** Drives a fresh round to the given stage, 0 to 3. */
  static Fixture roundAt(int stage) {
    Fixture f = new Fixture(IDENTITIES);
    if (stage >= 1) {
      f.start();
    }
    if (stage >= 2) {
      f.deliver(SecAggPayloadTypes.KEY_DIRECTORY);
    }
    if (stage >= 3) {
      f.deliver(SecAggPayloadTypes.SHARE_DELIVERY);
    }
    return f;
  }

  static boolean toCoordinator(int type) {
    return type == SecAggPayloadTypes.ADVERTISE_KEYS
        || type == SecAggPayloadTypes.SHARE_KEYS
        || type == SecAggPayloadTypes.MASKED_INPUT
        || type == SecAggPayloadTypes.UNMASK_RESPONSE;
  }

  @FuzzTest(maxDuration = "30s")
  void handlesArbitraryMessage(byte[] input) {
    if (input.length < 3 || input.length - 3 > MAX_PAYLOAD) {
      return;
    }
    int stage = (input[0] & 0xFF) % 4;
    int type = TYPES[(input[1] & 0x7F) % TYPES.length];
    boolean fromWrongPeer = (input[1] & 0x80) != 0;
    int who = (input[2] & 0xFF) % N;
    ByteBuffer payload = ByteBuffer.wrap(Arrays.copyOfRange(input, 3, input.length));

    Fixture f = roundAt(stage);
    PeerId participant = f.id(who);
    if (toCoordinator(type)) {
      f.toClients.addAll(f.coordinator.onMessage(participant, type, payload, 0));
    } else {
      SecAggClient client = f.clients.get(who);
      PeerId from = fromWrongPeer ? f.id((who + 1) % N) : f.coordinatorId;
      long rejectedBefore = client.rejectCount(RejectReason.NOT_FROM_COORDINATOR);
      List<SecAggMessage> answer = client.onMessage(from, type, payload, 0);
      if (fromWrongPeer) {
        assertThat(answer).isEmpty();
        assertThat(client.rejectCount(RejectReason.NOT_FROM_COORDINATOR))
            .isEqualTo(rejectedBefore + 1);
      } else {
        f.toCoordinator(participant, answer);
      }
    }
    if (stage == 0) {
      f.start();
    }

    long now = 0;
    for (int step = 0; step < 8 && !finished(f.coordinator); step++) {
      f.deliver(SecAggPayloadTypes.KEY_DIRECTORY);
      f.deliver(SecAggPayloadTypes.SHARE_DELIVERY);
      f.deliver(SecAggPayloadTypes.UNMASK_REQUEST);
      now += f.config.phaseTimeoutNanos() * 2;
      f.toClients.addAll(f.coordinator.onTick(now));
      for (SecAggClient c : f.clients) {
        assertThat(c.onTick(now)).isEmpty();
      }
    }
    CoordinatorState end = f.coordinator.state();
    assertThat(end).isIn(CoordinatorState.DONE, CoordinatorState.FAILED);
    if (end == CoordinatorState.DONE) {
      assertThat(f.coordinator.resultOrThrow().sum()).hasSize(D);
    } else {
      assertThat(f.coordinator.failureReason()).isNotBlank();
    }
  }

  private static boolean finished(SecAggCoordinator c) {
    return c.state() == CoordinatorState.DONE || c.state() == CoordinatorState.FAILED;
  }
}
