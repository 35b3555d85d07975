package org.fedgossip.simulations.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.runtime.CoordinatorAgent;
import org.fedgossip.core.runtime.FederationClientAgent;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.SgdConfig;
import org.fedgossip.simulations.model.SoftmaxRegression;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;

/**
 * An application that embeds a federation peer: it trains its own model, hands each delta to a
 * {@link FederationClientAgent}, and continues from every global model it gets back.
 *
 * <p>To be self-contained it first lays out a small federation in a temporary directory (a CA, a
 * coordinator and two baskets of two peers, all on loopback with mutual TLS); a real application
 * gets its key, certificate, CA certificate, CRL and roster from its federation's operator. Run it
 * with {@code java -cp cli/target/fedgossip.jar
 * org.fedgossip.simulations.examples.EmbeddedAgentExample}.
 */
public final class EmbeddedAgentExample {

  private static final int ROUNDS = 3;

  private EmbeddedAgentExample() {}

  /**
   * Runs three rounds and prints the held-out accuracy of each global model.
   *
   * @param args ignored
   * @throws Exception if the federation cannot be laid out or a round does not finish in time
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("fedgossip-example");
    SecureRandom random = new SecureRandom();
    Instant now = Instant.now();
    FederationCa ca =
        FederationCa.create(
            dir.resolve("ca"), "example-ca", now, FederationCa.DEFAULT_CA_VALIDITY, random, false);
    Path roster = Files.createDirectories(dir.resolve("roster"));
    Path coordinatorDir = issue(ca, random, dir, roster, "coordinator", "coordinator", now);
    String[] baskets = {"hospitals", "hospitals", "clinics", "clinics"};
    List<Path> peerDirs = new ArrayList<>();
    for (int p = 0; p < baskets.length; p++) {
      peerDirs.add(issue(ca, random, dir, roster, "peer-" + p, baskets[p], now));
    }
    Path caCrt = dir.resolve("ca").resolve(FederationCa.CERTIFICATE_FILE);
    Path crl = dir.resolve("ca").resolve(FederationCa.CRL_FILE);

    // The model: softmax regression on a quarter of the bundled MNIST digits per peer.
    TrainTestSplit split = BundledDatasets.mnistSplit();
    SoftmaxRegression holdOut =
        new SoftmaxRegression(split.train(), new int[] {0}, split.test(), SgdConfig.DEFAULT, 7);
    float[] initial = holdOut.initialWeights();
    RuntimeSettings settings =
        RuntimeSettings.defaults(initial.length)
            .withRule(RuleSpec.parse("fedavg", 0, null, null))
            .withNoise(0, 0.01)
            .withBudget(new PrivacyBudget(1e6, 1e-5))
            .withRounds(2, 10_000_000_000L, 2, ROUNDS);

    try (CoordinatorAgent coordinator =
        CoordinatorAgent.builder()
            .identity(coordinatorDir.resolve("peer.key"), coordinatorDir.resolve("peer.crt"))
            .federation(caCrt, crl, roster)
            .settings(settings)
            .initialWeights(initial)
            .dataDirectory(coordinatorDir.resolve("data"))
            .build()) {
      coordinator.start();
      InetSocketAddress coordinatorAddress = coordinator.transport().localAddress();
      CountDownLatch done = new CountDownLatch(1);
      coordinator.onGlobalModel(
          model -> {
            System.out.printf(
                "model %d: held-out accuracy %.3f%n",
                model.version(), holdOut.evaluate(model.weights()).accuracy());
            if (model.version() >= ROUNDS) {
              done.countDown();
            }
          });
      List<FederationClientAgent> agents = new ArrayList<>();
      try {
        for (int p = 0; p < baskets.length; p++) {
          int[] rows = new int[split.train().rows() / baskets.length];
          for (int i = 0; i < rows.length; i++) {
            rows[i] = p * rows.length + i;
          }
          SoftmaxRegression local =
              new SoftmaxRegression(split.train(), rows, split.test(), SgdConfig.DEFAULT, 7);
          FederationClientAgent.Builder builder =
              FederationClientAgent.builder()
                  .identity(
                      peerDirs.get(p).resolve("peer.key"), peerDirs.get(p).resolve("peer.crt"))
                  .federation(caCrt, crl, roster)
                  .coordinator(coordinator.id(), coordinatorAddress)
                  .settings(settings)
                  .initialWeights(initial)
                  .dataDirectory(peerDirs.get(p).resolve("data"));
          if (p % 2 == 1) {
            builder.seed(agents.get(p - 1).id(), agents.get(p - 1).transport().localAddress());
          }
          FederationClientAgent agent = builder.build();
          agents.add(agent);
          embed(agent, local, initial);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!done.await(5, TimeUnit.SECONDS)) {
          System.out.println("  coordinator: " + coordinator.status().note());
          for (FederationClientAgent agent : agents) {
            System.out.println("  " + agent.id().shortString() + ": " + agent.status().note());
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the federation did not finish " + ROUNDS + " rounds");
          }
        }
        for (FederationClientAgent agent : agents) {
          System.out.printf(
              "%s: model %d, epsilon spent %.4f%n",
              agent.id().shortString(), agent.status().modelVersion(), agent.privacySpent());
        }
      } finally {
        for (FederationClientAgent agent : agents) {
          agent.close();
        }
      }
    }
  }

  /**
   * What an application does: train, submit, and on each global model train again from it.
   *
   * <p>The listener runs on the agent's thread, so it only hands the work to another thread.
   */
  private static void embed(FederationClientAgent agent, SoftmaxRegression local, float[] initial) {
    AtomicReference<GlobalModel> latest = new AtomicReference<>();
    Thread trainer =
        new Thread(
            () -> {
              float[] weights = initial;
              long round = 0;
              while (round < ROUNDS) {
                TrainingResult result = local.train(weights, round);
                agent
                    .submitLocalUpdate(result.delta(), result.samples())
                    .toCompletableFuture()
                    .join();
                GlobalModel next;
                while ((next = latest.get()) == null || next.version() <= round) {
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                weights = next.weights();
                round = next.version();
              }
            },
            "example-trainer");
    trainer.setDaemon(true);
    agent.onGlobalModel(latest::set);
    agent.start();
    trainer.start();
  }

  private static Path issue(
      FederationCa ca,
      SecureRandom random,
      Path dir,
      Path roster,
      String name,
      String basket,
      Instant now)
      throws IOException {
    KeyPair keys = Ed25519Keys.generate(random);
    X509Certificate certificate = ca.issue(keys.getPublic(), name, basket, now, Duration.ofDays(1));
    Path out = Files.createDirectories(dir.resolve(name));
    PemFiles.writeCertificate(out.resolve("peer.crt"), certificate);
    PemFiles.writePrivateKey(out.resolve("peer.key"), keys.getPrivate());
    Files.copy(out.resolve("peer.crt"), roster.resolve(name + ".crt"));
    PeerId id = Ed25519Keys.peerId(keys.getPublic());
    System.out.println(name + " (" + basket + "): " + id.shortString());
    return out;
  }
}
