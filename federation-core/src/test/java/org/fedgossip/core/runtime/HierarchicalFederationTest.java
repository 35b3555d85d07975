package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessBufferConfig;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.state.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two baskets of three and a coordinator, in virtual time over the in-memory network. */
class HierarchicalFederationTest {

  private static final long SEED = 20261124L;
  private static final long MAX_ROUND_NANOS = 60_000_000_000L;
  private static final int DIM = 6;
  private static final int POISONER = 2;

  @TempDir Path directory;

  private static RuntimeSettings settings(double localZ, double centralZ) {
    return RuntimeSettings.defaults(DIM)
        .withRule(RuleSpec.parse("fedavg", 0, null, null))
        .withNoise(localZ, centralZ)
        .withBudget(new PrivacyBudget(1e6, 1e-5))
        .withRounds(3, 5_000_000_000L, 2, 0)
        .withSecAggPhaseTimeoutNanos(2_000_000_000L);
  }

  private static HierarchicalFederation federation(Path dir, RuntimeSettings settings) {
    HierarchicalFederation f = HierarchicalFederation.create(dir, settings, new float[DIM], SEED);
    for (String basket : List.of("hospitals", "banks")) {
      for (int i = 0; i < 3; i++) {
        f.registerClient(basket + "-" + i, basket, null);
      }
    }
    f.start();
    return f;
  }

  private static float[] delta(int client, int round) {
    float[] d = new float[DIM];
    d[client % DIM] = 0.1f * (1 + round);
    d[(client + 1) % DIM] = -0.05f;
    return d;
  }

  @Test
  void roundsPublishTheMeanOfTheBasketMeansAndEveryPeerAdoptsIt() {
    try (HierarchicalFederation f = federation(directory, settings(0, 0))) {
      float[] expected = new float[DIM];
      for (int round = 0; round < 3; round++) {
        List<HierarchicalFederation.Client> clients = f.clients();
        for (int c = 0; c < clients.size(); c++) {
          f.submitUpdate(clients.get(c), delta(c, round), 10);
        }
        Optional<GlobalModel> model = f.maybeAggregate(MAX_ROUND_NANOS);
        assertThat(model).as("seed %d, round %d published", SEED, round).isPresent();
        assertThat(model.get().version()).isEqualTo(round + 1);
        for (int basket = 0; basket < 2; basket++) {
          for (int c = basket * 3; c < basket * 3 + 3; c++) {
            float[] d = delta(c, round);
            for (int i = 0; i < DIM; i++) {
              expected[i] += d[i] / 3f / 2f;
            }
          }
        }
        float[] got = model.get().weights();
        for (int i = 0; i < DIM; i++) {
          assertThat((double) got[i])
              .as("round %d coordinate %d", round, i)
              .isCloseTo(expected[i], within(1e-4));
        }
        for (HierarchicalFederation.Client c : clients) {
          assertThat(f.peer(c).status().modelVersion())
              .as("%s adopted the model", c.name())
              .isEqualTo(round + 1);
        }
      }
      assertThat(f.coordinator().counters().roundsCompleted()).isEqualTo(3);
      assertThat(f.coordinator().counters().layer2Participants()).isEqualTo(2);
    }
  }

  @Test
  void gossipStoresDropTheRoundsTheStalenessBufferNoLongerAdmits() {
    RuntimeSettings s =
        settings(0, 0).withBuffer(StalenessBufferConfig.defaults().withMaxStaleness(1));
    try (HierarchicalFederation f = federation(directory, s)) {
      List<HierarchicalFederation.Client> clients = f.clients();
      for (int round = 0; round < 4; round++) {
        for (int c = 0; c < clients.size(); c++) {
          f.submitUpdate(clients.get(c), delta(c, round), 10);
        }
        assertThat(f.maybeAggregate(MAX_ROUND_NANOS))
            .as("seed %d round %d", SEED, round)
            .isPresent();
        long version = round + 1;
        // Update slots are 2r; with staleness 1 the rounds version - 1 and version stay in play.
        for (HierarchicalFederation.Client c : clients) {
          org.fedgossip.gossip.GossipNode node = f.peer(c).group().node();
          for (int r = 0; r <= round; r++) {
            assertThat(node.has(c.id(), 2L * r))
                .as(
                    "seed %d: %s holds its update of round %d at version %d",
                    SEED, c.name(), r, version)
                .isEqualTo(r >= version - 1);
          }
        }
      }
    }
  }

  @Test
  void aSecondSubmissionInARoundIsRefused() {
    try (HierarchicalFederation f = federation(directory, settings(0, 0))) {
      HierarchicalFederation.Client alice = f.clients().get(0);
      f.submitUpdate(alice, delta(0, 0), 5).toCompletableFuture().join();
      assertThatThrownBy(() -> f.submitUpdate(alice, delta(0, 0), 5).toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already submitted an update for round 0");
    }
  }

  @Test
  void everyLedgerReportsTheAccountantsFigureAndSurvivesARestart() throws Exception {
    RuntimeSettings s = settings(1.0, 2.0);
    double local;
    double central;
    long version;
    try (HierarchicalFederation f = federation(directory, s)) {
      for (int round = 0; round < 2; round++) {
        List<HierarchicalFederation.Client> clients = f.clients();
        for (int c = 0; c < clients.size(); c++) {
          f.submitUpdate(clients.get(c), delta(c, round), 10);
        }
        assertThat(f.maybeAggregate(MAX_ROUND_NANOS))
            .as("seed %d round %d", SEED, round)
            .isPresent();
      }
      RdpAccountant accountant = RdpAccountant.withDefaultOrders();
      List<PrivacyEvent> two = new ArrayList<>();
      two.add(new PrivacyEvent(1.0, 1.0, 1));
      two.add(new PrivacyEvent(1.0, 1.0, 1));
      local = accountant.epsilon(two, 1e-5).epsilon();
      for (HierarchicalFederation.Client c : f.clients()) {
        assertThat(f.peer(c).privacySpent()).as(c.name()).isEqualTo(local);
      }
      List<PrivacyEvent> centralEvents =
          List.of(new PrivacyEvent(1.0, 2.0, 1), new PrivacyEvent(1.0, 2.0, 1));
      central = accountant.epsilon(centralEvents, 1e-5).epsilon();
      assertThat(f.coordinator().status().epsilonSpent()).isEqualTo(central);
      assertThat(f.globalModel().spentEpsilon()).isEqualTo(central);
      version = f.globalModel().version();
    }
    assertThat(AuditLog.verify(directory.resolve("coordinator").resolve("audit.log")).ok())
        .isTrue();

    try (HierarchicalFederation again = federation(directory, s)) {
      assertThat(again.globalModel().version()).isEqualTo(version);
      for (HierarchicalFederation.Client c : again.clients()) {
        assertThat(again.peer(c).status().modelVersion()).isEqualTo(version);
        assertThat(again.peer(c).privacySpent()).isEqualTo(local);
      }
      assertThat(again.coordinator().status().epsilonSpent()).isEqualTo(central);
    }
  }

  @Test
  void layerOneRejectionsLowerTheOffendersTrustScore() {
    RuntimeSettings s =
        settings(0, 0)
            .withRule(RuleSpec.parse("multi-krum", 1, null, null))
            .withRounds(5, 5_000_000_000L, 2, 0);
    HierarchicalFederation f = HierarchicalFederation.create(directory, s, new float[DIM], SEED);
    List<HierarchicalFederation.Client> hospitals = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      hospitals.add(f.registerClient("hospital-" + i, "hospitals", null));
    }
    for (int i = 0; i < 5; i++) {
      f.registerClient("bank-" + i, "banks", null);
    }
    f.start();
    try (f) {
      float[] honest = {0.1f, 0.1f, 0, 0, 0, 0};
      float[] poisoned = {-0.9f, -0.4f, 0, 0, 0, 0};
      List<HierarchicalFederation.Client> clients = f.clients();
      for (int c = 0; c < clients.size(); c++) {
        float[] d = honest.clone();
        d[2] = 0.001f * c;
        f.submitUpdate(clients.get(c), c == POISONER ? poisoned : d, 10);
      }
      Optional<GlobalModel> model = f.maybeAggregate(MAX_ROUND_NANOS);
      assertThat(model).as("seed %d", SEED).isPresent();
      assertThat((double) model.get().weights()[0])
          .as("Krum kept the poison out")
          .isGreaterThan(0.05);
      // Whichever hospital was the delegate ran the rule, which left out exactly the poisoner.
      boolean lowered = false;
      long runs = 0;
      for (HierarchicalFederation.Client c : hospitals) {
        BasketPeer peer = f.peer(c);
        runs += peer.counters().layer1Runs();
        if (peer.counters().layer1Runs() > 0) {
          assertThat(peer.counters().layer1Rejected()).isEqualTo(1);
          lowered = peer.trustScore(hospitals.get(POISONER).id(), f.nowNanos()) < 1.0;
          assertThat(peer.trustScore(hospitals.get(3).id(), f.nowNanos())).isEqualTo(1.0);
        }
      }
      assertThat(runs).as("one delegate ran Layer 1").isEqualTo(1);
      assertThat(lowered).as("the delegate lowered the poisoner's score").isTrue();
    }
  }

  @Test
  void aSpentBudgetStopsThePeerSharingAndTheCoordinatorPublishing() {
    RdpAccountant accountant = RdpAccountant.withDefaultOrders();
    double one = accountant.epsilon(List.of(new PrivacyEvent(1.0, 1.0, 1)), 1e-5).epsilon();
    RuntimeSettings s = settings(1.0, 1.0).withBudget(new PrivacyBudget(one * 1.1, 1e-5));
    try (HierarchicalFederation f = federation(directory, s)) {
      List<HierarchicalFederation.Client> clients = f.clients();
      for (int c = 0; c < clients.size(); c++) {
        f.submitUpdate(clients.get(c), delta(c, 0), 10);
      }
      assertThat(f.maybeAggregate(MAX_ROUND_NANOS)).isPresent();
      assertThatThrownBy(
              () -> f.submitUpdate(clients.get(0), delta(0, 1), 10).toCompletableFuture().join())
          .hasCauseInstanceOf(org.fedgossip.core.privacy.PrivacyBudgetExceededException.class);
      assertThat(f.peer(clients.get(0)).status().budgetExhausted()).isTrue();
      assertThat(f.peer(clients.get(0)).status().note()).contains("stopped sharing");
      assertThat(f.peer(clients.get(0)).privacySpent()).isEqualTo(one);

      // The coordinator's ledger refuses its second release: nothing more is published.
      assertThat(f.maybeAggregate(20_000_000_000L)).isEmpty();
      assertThat(f.globalModel().version()).isEqualTo(1);
      assertThat(f.coordinator().status().epsilonSpent()).isEqualTo(one);
    }
  }

  @Test
  void aMaterialChangeRunsLayerOneBeforeTheUpdateCountIsReached() {
    RuntimeSettings s = settings(0, 0).withRounds(100, 600_000_000_000L, 2, 0).withMateriality(0.5);
    try (HierarchicalFederation f = federation(directory, s)) {
      List<HierarchicalFederation.Client> clients = f.clients();
      float[] small = {0.01f, 0, 0, 0, 0, 0};
      for (HierarchicalFederation.Client c : clients) {
        f.submitUpdate(c, small, 10);
      }
      assertThat(f.maybeAggregate(20_000_000_000L))
          .as("a small change waits for 100 updates or ten minutes")
          .isEmpty();
    }
  }

  @Test
  void aLargeMeanChangeIsMaterial() {
    RuntimeSettings s = settings(0, 0).withRounds(100, 600_000_000_000L, 2, 0).withMateriality(0.5);
    try (HierarchicalFederation f = federation(directory, s)) {
      float[] large = {0.9f, 0, 0, 0, 0, 0};
      for (HierarchicalFederation.Client c : f.clients()) {
        f.submitUpdate(c, large, 10);
      }
      assertThat(f.maybeAggregate(20_000_000_000L))
          .as("seed %d: a mean of norm 0.9 C is material at threshold 0.5", SEED)
          .isPresent();
    }
  }

  @Test
  void forgedUpdatesAndModelsFromAMemberAreRejectedCountedAndScored() {
    try (HierarchicalFederation f = federation(directory, settings(0, 0))) {
      HierarchicalFederation.Client forger = f.clients().get(0);
      HierarchicalFederation.Client victim = f.clients().get(1);
      BasketPeer node = f.peer(forger);
      // An update that claims another origin, and a "model" whose signature is not the
      // coordinator's, both signed by the forger as gossip items of its basket.
      byte[] update =
          org.fedgossip.core.model.ModelUpdate.raw(victim.id(), 0, 0, 10, delta(1, 0)).toBytes();
      byte[] forgedUpdate =
          org.fedgossip.core.proto.BasketItem.newBuilder()
              .setUpdate(com.google.protobuf.ByteString.copyFrom(update))
              .build()
              .toByteArray();
      GlobalModel fake =
          GlobalModel.of(7, 6, new float[DIM], 0, 1e-5, RuleSpec.parse("fedavg", 0, null, null));
      org.fedgossip.core.proto.SignedGlobalModel signedByForger =
          SignedModels.sign(new org.fedgossip.trust.PayloadSigner(forgerKeys(f, forger)), fake, 0);
      byte[] forgedModel =
          org.fedgossip.core.proto.BasketItem.newBuilder()
              .setModel(signedByForger)
              .build()
              .toByteArray();
      node.group().node().publish(f.nowNanos(), 0, forgedUpdate, true);
      node.group().node().publish(f.nowNanos(), 1, forgedModel, true);
      f.runFor(3_000_000_000L);

      for (HierarchicalFederation.Client c : f.clients().subList(1, 3)) {
        BasketPeer p = f.peer(c);
        assertThat(p.counters().rejected())
            .as("%s", c.name())
            .containsEntry("ORIGIN_MISMATCH", 1L)
            .containsEntry("BAD_MODEL_SIGNATURE", 1L);
        assertThat(p.status().modelVersion()).isZero();
        assertThat(p.trustScore(forger.id(), f.nowNanos())).isLessThan(1.0);
      }
    }
  }

  private static java.security.KeyPair forgerKeys(
      HierarchicalFederation f, HierarchicalFederation.Client c) {
    return f.keyPair(c);
  }

  @Test
  void updatesThatComeLongAfterTheRoundStartedStillFindADelegate() {
    try (HierarchicalFederation f = federation(directory, settings(0, 0))) {
      // Far longer than every member's delegate deadline (1 s each in simulation): a slow trainer.
      f.runFor(30_000_000_000L);
      List<HierarchicalFederation.Client> clients = f.clients();
      for (int c = 0; c < clients.size(); c++) {
        f.submitUpdate(clients.get(c), delta(c, 0), 10);
      }
      assertThat(f.maybeAggregate(MAX_ROUND_NANOS)).as("seed %d", SEED).isPresent();
    }
  }

  @Test
  void aDeregisteredPeerIsRecordedAndItsUpdatesAreDroppedFromTheNextRoundOn() throws Exception {
    try (HierarchicalFederation f = federation(directory, settings(0, 0))) {
      List<HierarchicalFederation.Client> clients = f.clients();
      HierarchicalFederation.Client leaver = clients.get(1);
      // The request as the admin command leaves it, picked up like the daemon does.
      java.nio.file.Path request =
          AdminRequests.requestDeregistration(directory.resolve("coordinator"), leaver.id());
      java.util.Set<java.nio.file.Path> inFlight = new java.util.HashSet<>();
      AdminRequests.deregistrations(directory.resolve("coordinator"), f.coordinator(), inFlight);
      f.runFor(100_000_000L);
      assertThat(f.coordinator().deregistered()).containsExactly(leaver.id());
      assertThat(java.nio.file.Files.exists(request))
          .as("the handled request is deleted")
          .isFalse();

      for (int c = 0; c < clients.size(); c++) {
        f.submitUpdate(clients.get(c), delta(c, 0), 10);
      }
      assertThat(f.maybeAggregate(MAX_ROUND_NANOS)).isPresent();
      // Round 1: the model named the leaver, so its basket drops what it sends.
      for (int c = 0; c < clients.size(); c++) {
        f.submitUpdate(clients.get(c), delta(c, 1), 10);
      }
      assertThat(f.maybeAggregate(MAX_ROUND_NANOS)).isPresent();
      for (HierarchicalFederation.Client c : List.of(clients.get(0), clients.get(2))) {
        assertThat(f.peer(c).counters().rejected()).as(c.name()).containsEntry("DEREGISTERED", 1L);
      }
    }
    List<org.fedgossip.core.state.AuditRecord> records =
        AuditLog.readVerified(directory.resolve("coordinator").resolve("audit.log"));
    assertThat(records)
        .filteredOn(r -> r.kind() == org.fedgossip.core.state.AuditRecord.Kind.PEER_DEREGISTERED)
        .hasSize(1);
  }
}
