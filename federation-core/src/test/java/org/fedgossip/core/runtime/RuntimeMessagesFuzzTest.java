package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.trust.PeerId;

/**
 * Fuzzes the round protocol's handlers: arbitrary bytes of any runtime or SecAgg+ payload type,
 * sent by a certified basket member to the coordinator or to another member, between rounds of a
 * running federation (one in virtual time, built once).
 *
 * <p>Property: no exception leaves a node's {@code doWork}, and the federation still completes a
 * round afterwards with every honest member's update. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/core/runtime/RuntimeMessagesFuzzTestInputs/handlesArbitraryMessages/}.
 */
class RuntimeMessagesFuzzTest {

  private static final int[] TYPES = {400, 401, 402, 403, 200, 201, 202, 203, 204, 205, 206};
  private static final long SEED = 7L;
  private static HierarchicalFederation federation;
  private static int sent;

  private static synchronized HierarchicalFederation federation() {
    if (federation == null) {
      try {
        Path dir = Files.createTempDirectory("fedgossip-runtime-fuzz");
        dir.toFile().deleteOnExit();
        RuntimeSettings settings =
            RuntimeSettings.defaults(4)
                .withRule(RuleSpec.parse("fedavg", 0, null, null))
                .withNoise(0, 0)
                .withBudget(new PrivacyBudget(1e6, 1e-5))
                .withRounds(2, 2_000_000_000L, 2, 0)
                .withSecAggPhaseTimeoutNanos(1_000_000_000L);
        federation = HierarchicalFederation.create(dir, settings, new float[4], SEED);
        for (String basket : List.of("a", "b")) {
          for (int i = 0; i < 2; i++) {
            federation.registerClient(basket + i, basket, null);
          }
        }
        federation.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return federation;
  }

  private static String describe(HierarchicalFederation f) {
    StringBuilder sb = new StringBuilder(f.coordinator().status().toString());
    sb.append(' ').append(f.coordinator().counters().rejected());
    for (HierarchicalFederation.Client c : f.clients()) {
      sb.append("\n  ")
          .append(c.name())
          .append(": ")
          .append(f.peer(c).status())
          .append(' ')
          .append(f.peer(c).counters().rejected());
    }
    return sb.toString();
  }

  @FuzzTest(maxDuration = "30s")
  void handlesArbitraryMessages(FuzzedDataProvider data) {
    HierarchicalFederation f = federation();
    List<HierarchicalFederation.Client> clients = f.clients();
    HierarchicalFederation.Client attacker = clients.get(0);
    boolean toCoordinator = data.consumeBoolean();
    PeerId target = toCoordinator ? f.coordinatorId() : clients.get(1).id();
    int type = TYPES[data.consumeInt(0, TYPES.length - 1)];
    byte[] payload = data.consumeRemainingAsBytes();
    f.transport(attacker).send(target, type, payload);
    f.runFor(50_000_000L);
    // Every 64 inputs, check the federation still completes a round with everyone's update.
    if (++sent % 64 == 1) {
      long before = f.globalModel().version();
      for (HierarchicalFederation.Client c : clients) {
        if (f.peer(c).status().modelVersion() == before) {
          f.submitUpdate(c, new float[] {0.01f, 0, 0, 0}, 1);
        }
      }
      assertThat(f.maybeAggregate(60_000_000_000L))
          .as("a round after fuzzed input: %s", describe(f))
          .isPresent();
    }
  }
}
