package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.CsvReader;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.IdxReader;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.SgdTrainer;
import org.fedgossip.simulations.model.TrainerSpec;
import org.fedgossip.trust.CertificateValidator;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PemFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoCommandTest extends CommandTestSupport {

  private static final List<String> FOLDERS =
      List.of(
          "coordinator",
          "basket-a-peer-1",
          "basket-a-peer-2",
          "basket-a-peer-3",
          "basket-b-peer-1",
          "basket-b-peer-2",
          "basket-b-peer-3");

  /** The default demo, written once and only read by the tests that inspect it. */
  @TempDir static Path shared;

  private static Path demo;
  private static String demoOut;
  private static String demoErr;

  @TempDir Path dir;

  @BeforeAll
  static void writeTheDefaultDemo() {
    DemoCommandTest runner = new DemoCommandTest();
    demo = shared.resolve("demo");
    int exit =
        runner.run(
            "demo", "init", "--baskets", "2", "--peers-per-basket", "3", "--out", demo.toString());
    demoOut = runner.out.toString();
    demoErr = runner.err.toString();
    assertThat(exit).as(demoErr).isZero();
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  private static Properties config(String folder) throws IOException {
    return load(demo.resolve(folder).resolve("peer.properties"));
  }

  /** A row's features and label, compared by value. */
  private static final class Row {
    private final int label;
    private final float[] features;

    private Row(int label, float[] features) {
      this.label = label;
      this.features = features;
    }

    static Row of(Dataset d, int r) {
      int n = d.featureCount();
      return new Row(d.labels()[r], Arrays.copyOfRange(d.features(), r * n, (r + 1) * n));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Row other
          && other.label == label
          && Arrays.equals(other.features, features);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(features) + label;
    }
  }

  private static Map<Row, Integer> histogram(Dataset d) {
    Map<Row, Integer> counts = new HashMap<>();
    for (int r = 0; r < d.rows(); r++) {
      counts.merge(Row.of(d, r), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void writesTheCaTheRosterAndOneFolderPerProcess() throws IOException {
    try (Stream<Path> entries = Files.list(demo)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(Stream.of("ca", "roster", "README.txt"), FOLDERS.stream()).toList());
    }
    assertThat(demo.resolve("ca/ca.crt")).isRegularFile();
    assertThat(PemFiles.readCrl(demo.resolve("ca/ca.crl")).getRevokedCertificates()).isNull();
    for (String folder : FOLDERS) {
      assertThat(demo.resolve(folder).resolve("keys/peer.key")).isRegularFile();
      assertThat(demo.resolve(folder).resolve("data")).isDirectory();
      assertThat(demo.resolve("roster").resolve(folder + ".crt")).isRegularFile();
    }
    assertThat(demoErr.lines().filter(l -> l.startsWith("["))).hasSize(7);
  }

  @Test
  void everyCertificateValidatesAgainstTheCaAndMatchesItsKeyAndRosterCopy() throws IOException {
    CertificateValidator validator = CertificateValidator.fromDirectory(demo.resolve("ca"));
    Instant now = Instant.now();
    for (String folder : FOLDERS) {
      X509Certificate cert =
          PemFiles.readCertificate(demo.resolve(folder).resolve("keys/peer.crt"));
      CertificateValidator.Result result = validator.validate(cert, now);
      assertThat(result.ok()).as(folder + ": " + result.status()).isTrue();
      PeerCertificate peer = result.peer();
      assertThat(peer.displayName()).isEqualTo(folder);
      assertThat(peer.basket())
          .isEqualTo(folder.equals("coordinator") ? "coordinator" : folder.substring(0, 8));
      assertThat(PemFiles.readCertificate(demo.resolve("roster").resolve(folder + ".crt")))
          .isEqualTo(cert);
      // The private key belongs to the certificate: the same peer id from both halves.
      var key = PemFiles.readPrivateKey(demo.resolve(folder).resolve("keys/peer.key"));
      assertThat(key.getAlgorithm()).isIn("Ed25519", "EdDSA");
      assertThat(Ed25519Keys.peerId(cert.getPublicKey())).isEqualTo(peer.peerId());
    }
  }

  @Test
  void everyPrivateKeyIsModeSixHundred() throws IOException {
    Set<PosixFilePermission> ownerOnly =
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(demo.resolve("ca/ca.key"))).isEqualTo(ownerOnly);
    for (String folder : FOLDERS) {
      assertThat(Files.getPosixFilePermissions(demo.resolve(folder).resolve("keys/peer.key")))
          .as(folder)
          .isEqualTo(ownerOnly);
    }
  }

  @Test
  void everyConfigParsesAndHoldsTheRequiredKeysOfItsRole() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (String folder : FOLDERS) {
      Properties p = config(folder);
      boolean coordinator = folder.equals("coordinator");
      assertThat(p.getProperty("peer.role")).isEqualTo(coordinator ? "coordinator" : "peer");
      assertThat(p.getProperty("peer.name")).isEqualTo(folder);
      assertThat(p.getProperty("peer.caCrt")).isEqualTo("../ca/ca.crt");
      assertThat(p.getProperty("peer.roster")).isEqualTo("../roster");
      Path base = demo.resolve(folder);
      for (String key : List.of("peer.key", "peer.crt", "peer.caCrt", "peer.crl")) {
        assertThat(base.resolve(p.getProperty(key))).as(key).isRegularFile();
      }
      assertThat(base.resolve(p.getProperty("peer.roster"))).isDirectory();
      assertThat(p.getProperty("peer.dataDir")).isEqualTo("data");
      String listen = p.getProperty("peer.listen");
      assertThat(listen).startsWith("127.0.0.1:");
      ports.add(Integer.parseInt(listen.substring("127.0.0.1:".length())));
      ports.add(Integer.parseInt(p.getProperty("metrics.port")));
      if (coordinator) {
        assertThat(p.getProperty("peer.coordinator")).isNull();
        assertThat(base.resolve(p.getProperty("trainer.evalImages"))).isRegularFile();
        assertThat(base.resolve(p.getProperty("trainer.evalLabels"))).isRegularFile();
      } else {
        assertThat(p.getProperty("peer.coordinator")).endsWith("@127.0.0.1:7400");
        assertThat(base.resolve(p.getProperty("trainer.trainImages"))).isRegularFile();
        assertThat(base.resolve(p.getProperty("trainer.trainLabels"))).isRegularFile();
      }
      assertThat(p.getProperty("trainer.type")).isEqualTo("softmax");
      assertThat(p.getProperty("trainer.features")).isEqualTo("784");
      assertThat(p.getProperty("trainer.classes")).isEqualTo("10");
    }
    assertThat(config("coordinator").getProperty("peer.listen")).isEqualTo("127.0.0.1:7400");
    assertThat(config("coordinator").getProperty("metrics.port")).isEqualTo("8400");
    assertThat(config("basket-b-peer-3").getProperty("peer.listen")).isEqualTo("127.0.0.1:7406");
    assertThat(ports).as("transport and metrics ports are all distinct").hasSize(14);
  }

  @Test
  void seedsListExactlyTheOtherMembersOfTheSameBasketAndTheCoordinatorIdIsTheCoordinators()
      throws IOException {
    Map<String, String> idOf = new HashMap<>();
    Map<String, String> addressOf = new HashMap<>();
    for (String folder : FOLDERS) {
      X509Certificate cert =
          PemFiles.readCertificate(demo.resolve("roster").resolve(folder + ".crt"));
      idOf.put(folder, PeerCertificate.parse(cert).peerId().toString());
      addressOf.put(folder, config(folder).getProperty("peer.listen"));
    }
    for (String folder : FOLDERS.subList(1, FOLDERS.size())) {
      Properties p = config(folder);
      List<String> expected = new ArrayList<>();
      for (String other : FOLDERS) {
        if (!other.equals(folder) && other.startsWith(folder.substring(0, 8))) {
          expected.add(idOf.get(other) + "@" + addressOf.get(other));
        }
      }
      assertThat(p.getProperty("peer.seeds").split(","))
          .as(folder)
          .containsExactlyInAnyOrderElementsOf(expected)
          .hasSize(2);
      assertThat(p.getProperty("peer.coordinator"))
          .isEqualTo(idOf.get("coordinator") + "@127.0.0.1:7400");
    }
  }

  @Test
  void partitionsAreDisjointCoverTheTrainingDigitsAndEachBasketIsDominatedByItsLabelGroup()
      throws IOException {
    TrainTestSplit mnist = BundledDatasets.mnistSplit();
    Map<Row, Integer> union = new HashMap<>();
    int[][] basketLabels = new int[2][10];
    for (String folder : FOLDERS.subList(1, FOLDERS.size())) {
      Path data = demo.resolve(folder).resolve("data");
      Dataset own =
          IdxReader.read(data.resolve("train-images.idx"), data.resolve("train-labels.idx"));
      assertThat(own.rows()).as(folder).isBetween(1300, 1400);
      histogram(own).forEach((row, n) -> union.merge(row, n, Integer::sum));
      int basket = folder.charAt(7) - 'a';
      for (int label : own.labels()) {
        basketLabels[basket][label]++;
      }
    }
    // Equal multisets of (pixels, label): every training digit is held by exactly one peer.
    assertThat(union).isEqualTo(histogram(mnist.train()));
    for (int b = 0; b < 2; b++) {
      int own = 0;
      for (int c = 5 * b; c < 5 * b + 5; c++) {
        own += basketLabels[b][c];
      }
      assertThat(own / 4000.0)
          .as("basket %d's share of labels %d-%d", b, 5 * b, 5 * b + 4)
          .isGreaterThan(0.8);
    }
    Path eval = demo.resolve("coordinator/data");
    Dataset held = IdxReader.read(eval.resolve("eval-images.idx"), eval.resolve("eval-labels.idx"));
    assertThat(held.features()).isEqualTo(mnist.test().features());
    assertThat(held.labels()).isEqualTo(mnist.test().labels());
  }

  @Test
  void theWrittenTrainerKeysBuildTrainersThatStartFromTheSameWeights() throws IOException {
    Properties c = config("coordinator");
    SgdTrainer coordinator =
        TrainerSpec.parse(c::getProperty, demo.resolve("coordinator")).buildEvaluator();
    Properties p = config("basket-b-peer-2");
    SgdTrainer peer = TrainerSpec.parse(p::getProperty, demo.resolve("basket-b-peer-2")).build(7);

    assertThat(coordinator.dimension()).isEqualTo(7_850);
    assertThat(peer.initialWeights()).isEqualTo(coordinator.initialWeights());
    assertThat(peer.localRows()).isBetween(1300, 1400);
    assertThat(coordinator.evaluate(coordinator.initialWeights()).count()).isEqualTo(2_000);
  }

  @Test
  void federatedAveragingOverTheWrittenPeersLearnsTheHeldOutDigits() throws IOException {
    // Plain sample-weighted FedAvg, no noise: checks the files and keys, not the runtime.
    Properties c = config("coordinator");
    SgdTrainer coordinator =
        TrainerSpec.parse(c::getProperty, demo.resolve("coordinator")).buildEvaluator();
    List<SgdTrainer> peers = new ArrayList<>();
    for (int i = 1; i < FOLDERS.size(); i++) {
      Properties p = config(FOLDERS.get(i));
      peers.add(TrainerSpec.parse(p::getProperty, demo.resolve(FOLDERS.get(i))).build(i));
    }
    float[] w = coordinator.initialWeights();
    double before = coordinator.evaluate(w).accuracy();
    for (long round = 0; round < 3; round++) {
      float[] sum = new float[w.length];
      long samples = 0;
      for (SgdTrainer peer : peers) {
        var result = peer.train(w, round);
        for (int j = 0; j < w.length; j++) {
          sum[j] += result.delta()[j] * result.samples();
        }
        samples += result.samples();
      }
      for (int j = 0; j < w.length; j++) {
        w[j] += sum[j] / samples;
      }
    }
    double after = coordinator.evaluate(w).accuracy();

    assertThat(before).isLessThan(0.3);
    assertThat(after).isGreaterThan(0.8);
  }

  @Test
  void printsTheStartCommandsCoordinatorFirstAndWritesThemToTheReadme() throws IOException {
    Path abs = demo.toAbsolutePath().normalize();
    List<String> commands =
        demoOut.lines().map(String::strip).filter(l -> l.startsWith("fedgossip ")).toList();
    List<String> expected = new ArrayList<>();
    for (String folder : FOLDERS) {
      expected.add("fedgossip peer --config " + abs.resolve(folder).resolve("peer.properties"));
    }
    expected.add("fedgossip status --config " + abs.resolve("coordinator/peer.properties"));
    assertThat(commands).containsExactlyElementsOf(expected);
    String readme = Files.readString(demo.resolve("README.txt"), StandardCharsets.UTF_8);
    for (String command : expected) {
      assertThat(readme).contains(command);
    }
  }

  @Test
  void refusesANonEmptyDirectoryUnlessForcedAndForceReplacesTheEarlierDemo() throws IOException {
    Path out = dir.resolve("busy");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");

    int exit = run("demo", "init", "--out", out.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("is not empty").contains("--force");
    try (Stream<Path> entries = Files.list(out)) {
      assertThat(entries).hasSize(1);
    }

    // Breast cancer keeps this test fast; the layout does not depend on the data set.
    String[] forced = {
      "demo",
      "init",
      "--out",
      out.toString(),
      "--force",
      "--dataset",
      "breast-cancer",
      "--peers-per-basket"
    };
    assertThat(runFresh(append(forced, "2"))).as(err.toString()).isZero();
    assertThat(runFresh(append(forced, "1"))).as(err.toString()).isZero();
    assertThat(out.resolve("notes.txt")).hasContent("mine");
    assertThat(out.resolve("basket-a-peer-1")).isDirectory();
    assertThat(out.resolve("basket-a-peer-2")).doesNotExist();
    try (Stream<Path> roster = Files.list(out.resolve("roster"))) {
      assertThat(roster).hasSize(3);
    }
    Properties p = load(out.resolve("basket-a-peer-1/peer.properties"));
    assertThat(p.getProperty("peer.seeds")).isEmpty();
    assertThat(p.getProperty("aggregation.rule")).isEqualTo("fedavg");
  }

  private static String[] append(String[] args, String last) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--baskets, 1, '1 is not in [2, 26]'",
    "--baskets, 27, '27 is not in [2, 26]'",
    "--peers-per-basket, 0, '0 is not in [1, 64]'",
    "--peers-per-basket, 65, '65 is not in [1, 64]'",
    "--base-port, 80, '80 is not in [1024, 65535]'",
    "--base-port, 64600, 'needs ports up to 65606'",
    "--dataset, cifar, 'is not one of mnist10k, breast-cancer'",
    "--baskets, many, 'many'"
  })
  void aBadOptionValueExitsWithTwoAndNamesTheOption(String option, String value, String message) {
    int exit = run("demo", "init", "--out", dir.resolve("x").toString(), option, value);

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(option).contains(message);
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void breastCancerWritesStandardisedCsvAndALogisticTrainer() throws IOException {
    Path out = dir.resolve("cancer");
    int exit =
        run("demo", "init", "--dataset", "breast-cancer", "--out", out.toString(), "--seed", "4");

    assertThat(exit).as(err.toString()).isZero();
    TrainTestSplit split = BundledDatasets.breastCancerSplit(4);
    Map<Row, Integer> union = new HashMap<>();
    for (String folder : FOLDERS.subList(1, FOLDERS.size())) {
      Properties p = load(out.resolve(folder).resolve("peer.properties"));
      assertThat(p.getProperty("trainer.type")).isEqualTo("logistic");
      assertThat(p.getProperty("trainer.trainCsv")).isEqualTo("data/train.csv");
      Dataset own;
      try (InputStream in = Files.newInputStream(out.resolve(folder).resolve("data/train.csv"))) {
        own = CsvReader.readNumeric(in, folder, true, 30);
      }
      histogram(own).forEach((row, n) -> union.merge(row, n, Integer::sum));
      SgdTrainer trainer = TrainerSpec.parse(p::getProperty, out.resolve(folder)).build(1);
      assertThat(trainer.dimension()).isEqualTo(31);
    }
    assertThat(union).isEqualTo(histogram(split.train()));
    Properties c = load(out.resolve("coordinator/peer.properties"));
    assertThat(c.getProperty("trainer.evalCsv")).isEqualTo("data/eval.csv");
    SgdTrainer evaluator =
        TrainerSpec.parse(c::getProperty, out.resolve("coordinator")).buildEvaluator();
    assertThat(evaluator.evaluate(evaluator.initialWeights()).count())
        .isEqualTo(split.test().rows());
  }

  @Test
  void demoWithoutSubcommandAndHelpShowEveryDefault() {
    assertThat(run("demo")).isEqualTo(2);
    assertThat(err.toString()).contains("demo init");

    assertThat(runFresh("demo", "init", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("Default: 2")
        .contains("Default: 3")
        .contains("Default: 7400")
        .contains("Default: mnist10k")
        .contains("Default: 1");
  }

  @Test
  void manyBasketsBeyondTheClassesStillPartitionEveryRow() {
    DemoFederation f = new DemoFederation(12, 2, 7400, DemoFederation.DemoDataset.MNIST10K, 3);
    Dataset train = BundledDatasets.mnistSplit().train();

    var partition = DemoFederation.partition(train, 12, 2, 3);

    assertThat(f.members()).hasSize(25);
    int[] all =
        Arrays.stream(partition.peers().peerRows()).flatMapToInt(Arrays::stream).sorted().toArray();
    assertThat(all).isEqualTo(train.allRows());
    for (int[] rows : partition.peers().peerRows()) {
      assertThat(rows).isNotEmpty();
    }
    assertThat(DemoFederation.metricsOffset(1_665)).isEqualTo(2_000);
    assertThat(DemoFederation.highestPort(26, 64, 7400)).isEqualTo(7400 + 2000 + 1664);
  }
}
