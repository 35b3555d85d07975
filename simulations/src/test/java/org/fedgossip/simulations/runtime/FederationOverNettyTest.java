package org.fedgossip.simulations.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.runtime.CoordinatorAgent;
import org.fedgossip.core.runtime.FederationClientAgent;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.SgdConfig;
import org.fedgossip.simulations.model.SoftmaxRegression;
import org.fedgossip.simulations.partition.DomainPartition;
import org.fedgossip.simulations.partition.DomainPartitioner;
import org.fedgossip.simulations.partition.IidPartitioner;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One coordinator and two baskets of three peers as real Netty endpoints with mutual TLS on
 * loopback, training softmax regression on the bundled MNIST subset for three rounds.
 */
class FederationOverNettyTest {

  private static final long SEED = 20261124L;
  private static final int ROUNDS = 3;

  @TempDir Path directory;

  @Test
  void threeRoundsOfSoftmaxOverMutualTlsRaiseHeldOutAccuracy() throws Exception {
    TestFederation pki = TestFederation.create(directory, "integration-ca", SEED);
    Path roster = Files.createDirectories(directory.resolve("roster"));
    Instant from = Instant.now().minus(Duration.ofDays(1));
    TestFederation.Peer coordinatorId =
        pki.issue("coordinator", "coordinator", pki.newKeys(), from, Duration.ofDays(2));
    Files.copy(coordinatorId.certFile(), roster.resolve("coordinator.crt"));
    TrainTestSplit split = BundledDatasets.mnistSplit();
    DomainPartition partition =
        new DomainPartitioner(2, DomainPartitioner.DEFAULT_OWN_FRACTION, new IidPartitioner())
            .splitDomains(
                split.train().allRows(), split.train().labels(), split.train().classes(), 6, SEED);
    List<TestFederation.Peer> peers = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      String basket = partition.basketOfPeer()[p] == 0 ? "hospitals" : "clinics";
      TestFederation.Peer peer =
          pki.issue("peer-" + p, basket, pki.newKeys(), from, Duration.ofDays(2));
      Files.copy(peer.certFile(), roster.resolve("peer-" + p + ".crt"));
      peers.add(peer);
    }
    Path caCrt = pki.caDirectory().resolve(FederationCa.CERTIFICATE_FILE);
    Path crl = pki.caDirectory().resolve(FederationCa.CRL_FILE);

    SoftmaxRegression evaluator =
        new SoftmaxRegression(split.train(), new int[] {0}, split.test(), SgdConfig.DEFAULT, SEED);
    float[] initial = evaluator.initialWeights();
    RuntimeSettings settings =
        RuntimeSettings.defaults(initial.length)
            .withRule(RuleSpec.parse("multi-krum", 0, null, null))
            .withNoise(0.01, 0.01)
            .withBudget(new PrivacyBudget(1e7, 1e-5))
            .withRounds(3, 20_000_000_000L, 2, ROUNDS)
            .withSecAggPhaseTimeoutNanos(5_000_000_000L);
    double before = evaluator.evaluate(initial).accuracy();
    List<Double> published = new ArrayList<>();

    List<FederationClientAgent> agents = new ArrayList<>();
    try (CoordinatorAgent coordinator =
        CoordinatorAgent.builder()
            .identity(coordinatorId.keyFile(), coordinatorId.certFile())
            .federation(caCrt, crl, roster)
            .settings(settings)
            .initialWeights(initial)
            .dataDirectory(directory.resolve("coordinator-data"))
            .evaluator(w -> record(evaluator.evaluate(w), published))
            .build()) {
      coordinator.start();
      InetSocketAddress coordinatorAddress = coordinator.transport().localAddress();
      try {
        for (int p = 0; p < 6; p++) {
          TestFederation.Peer peer = peers.get(p);
          FederationClientAgent.Builder builder =
              FederationClientAgent.builder()
                  .identity(peer.keyFile(), peer.certFile())
                  .federation(caCrt, crl, roster)
                  .basket(peer.basket())
                  .coordinator(coordinatorId.id(), coordinatorAddress)
                  .settings(settings)
                  .initialWeights(initial)
                  .dataDirectory(directory.resolve("peer-" + p + "-data"))
                  .trainer(
                      new SoftmaxRegression(
                          split.train(),
                          partition.peers().rowsOf(p),
                          split.test().range(0, 200),
                          SgdConfig.DEFAULT,
                          SEED));
          for (int q = 0; q < p; q++) {
            if (peers.get(q).basket().equals(peer.basket())) {
              builder.seed(peers.get(q).id(), agents.get(q).transport().localAddress());
            }
          }
          // A seed list shared by the whole basket names the peer itself too; it is left out.
          builder.seed(peer.id(), new InetSocketAddress("127.0.0.1", 1));
          FederationClientAgent agent = builder.build();
          assertThat(agent.transport().addressBook().get(peer.id()))
              .as("peer-%d does not dial itself", p)
              .isEmpty();
          agents.add(agent);
        }
        agents.forEach(FederationClientAgent::start);

        assertThat(
                waitFor(
                    () -> agents.stream().allMatch(a -> a.status().modelVersion() >= ROUNDS), 120))
            .as(
                "every peer reaches model version %d; coordinator: %s",
                ROUNDS, coordinator.status())
            .isTrue();
        assertThat(coordinator.status().modelVersion()).isEqualTo(ROUNDS);
        assertThat(published).hasSize(ROUNDS);
        assertThat(published.get(ROUNDS - 1))
            .as("held-out accuracy after %d rounds, from %.3f", ROUNDS, before)
            .isGreaterThan(before + 0.3);

        RdpAccountant accountant = RdpAccountant.withDefaultOrders();
        for (FederationClientAgent a : agents) {
          long releases = a.counters().updatesSubmitted();
          assertThat(releases).isGreaterThanOrEqualTo(ROUNDS);
          assertThat(a.privacySpent())
              .as("%s: ε of %d releases", a.id(), releases)
              .isEqualTo(
                  accountant
                      .epsilon(
                          java.util.Collections.nCopies(
                              (int) releases,
                              new org.fedgossip.core.privacy.PrivacyEvent(1.0, 0.01, 1)),
                          1e-5)
                      .epsilon());
        }
        assertThat(coordinator.status().epsilonSpent())
            .isEqualTo(
                accountant
                    .epsilon(
                        java.util.Collections.nCopies(
                            ROUNDS, new org.fedgossip.core.privacy.PrivacyEvent(1.0, 0.01, 1)),
                        1e-5)
                    .epsilon());
      } finally {
        for (FederationClientAgent a : agents) {
          a.close();
        }
      }
    }
  }

  private static Evaluation record(Evaluation e, List<Double> into) {
    into.add(e.accuracy());
    return e;
  }

  private static boolean waitFor(BooleanSupplier condition, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  @Test
  void aPeerRevokedWhileRunningIsCutOffAndTheFederationGoesOn() throws Exception {
    TestFederation pki = TestFederation.create(directory, "revocation-ca", SEED + 1);
    Path roster = Files.createDirectories(directory.resolve("roster"));
    Instant from = Instant.now().minus(Duration.ofDays(1));
    TestFederation.Peer coordinatorId =
        pki.issue("coordinator", "coordinator", pki.newKeys(), from, Duration.ofDays(2));
    Files.copy(coordinatorId.certFile(), roster.resolve("coordinator.crt"));
    String[] baskets = {"north", "north", "north", "south", "south"};
    List<TestFederation.Peer> peers = new ArrayList<>();
    for (int p = 0; p < baskets.length; p++) {
      TestFederation.Peer peer =
          pki.issue("peer-" + p, baskets[p], pki.newKeys(), from, Duration.ofDays(2));
      Files.copy(peer.certFile(), roster.resolve("peer-" + p + ".crt"));
      peers.add(peer);
    }
    Path caCrt = pki.caDirectory().resolve(FederationCa.CERTIFICATE_FILE);
    Path crl = pki.caDirectory().resolve(FederationCa.CRL_FILE);
    int dimension = 8;
    RuntimeSettings settings =
        RuntimeSettings.defaults(dimension)
            .withRule(RuleSpec.parse("fedavg", 0, null, null))
            .withNoise(0, 0)
            .withRounds(2, 3_000_000_000L, 2, 0)
            .withSecAggPhaseTimeoutNanos(3_000_000_000L);
    Duration crlCheck = Duration.ofMillis(500);
    List<FederationClientAgent> agents = new ArrayList<>();
    try (CoordinatorAgent coordinator =
        CoordinatorAgent.builder()
            .identity(coordinatorId.keyFile(), coordinatorId.certFile())
            .federation(caCrt, crl, roster)
            .settings(settings)
            .initialWeights(new float[dimension])
            .dataDirectory(directory.resolve("revocation-coordinator"))
            .crlCheckInterval(crlCheck)
            .build()) {
      coordinator.start();
      try {
        for (int p = 0; p < peers.size(); p++) {
          TestFederation.Peer peer = peers.get(p);
          FederationClientAgent.Builder b =
              FederationClientAgent.builder()
                  .identity(peer.keyFile(), peer.certFile())
                  .federation(caCrt, crl, roster)
                  .coordinator(coordinatorId.id(), coordinator.transport().localAddress())
                  .settings(settings)
                  .initialWeights(new float[dimension])
                  .dataDirectory(directory.resolve("revocation-peer-" + p))
                  .crlCheckInterval(crlCheck);
          for (int q = 0; q < p; q++) {
            if (baskets[q].equals(baskets[p])) {
              b.seed(peers.get(q).id(), agents.get(q).transport().localAddress());
            }
          }
          agents.add(b.build());
        }
        agents.forEach(FederationClientAgent::start);
        // A steady stream of updates: every agent submits once per round it reaches.
        Thread submitter =
            new Thread(
                () -> {
                  long[] last = new long[agents.size()];
                  java.util.Arrays.fill(last, -1);
                  while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < agents.size(); i++) {
                      long v = agents.get(i).status().modelVersion();
                      if (v > last[i]) {
                        last[i] = v;
                        float[] d = new float[dimension];
                        d[i % dimension] = 0.1f;
                        agents.get(i).submitLocalUpdate(d, 1);
                      }
                    }
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
        submitter.setDaemon(true);
        submitter.start();
        try {
          assertThat(waitFor(() -> coordinator.status().modelVersion() >= 2, 60)).isTrue();

          // Revoke peer-2 (north); the CRL file changes under every running process.
          TestFederation.Peer revoked = peers.get(2);
          assertThat(
                  pki.ca()
                      .revoke(
                          revoked.certificate().getSerialNumber(),
                          org.fedgossip.trust.RevocationReason.AFFILIATION_CHANGED,
                          Instant.now()))
              .isTrue();
          FederationClientAgent neighbour = agents.get(0);
          assertThat(
                  waitFor(
                      () ->
                          neighbour
                                      .transport()
                                      .counters()
                                      .dropped(
                                          org.fedgossip.transport.DropReason.CONNECTION_REVOKED)
                                  + coordinator
                                      .transport()
                                      .counters()
                                      .dropped(
                                          org.fedgossip.transport.DropReason.CONNECTION_REVOKED)
                              >= 1,
                      20))
              .as("open connections of the revoked peer are closed")
              .isTrue();
          long after = coordinator.status().modelVersion();
          assertThat(waitFor(() -> coordinator.status().modelVersion() >= after + 2, 60))
              .as("the federation goes on without the revoked peer: %s", coordinator.status())
              .isTrue();
        } finally {
          submitter.interrupt();
        }
      } finally {
        for (FederationClientAgent a : agents) {
          a.close();
        }
      }
    }
  }
}
