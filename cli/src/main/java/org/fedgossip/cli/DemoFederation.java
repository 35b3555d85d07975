package org.fedgossip.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.CsvWriter;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.IdxWriter;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.fedgossip.simulations.model.TrainerSpec;
import org.fedgossip.simulations.model.TrainerType;
import org.fedgossip.simulations.partition.DirichletPartitioner;
import org.fedgossip.simulations.partition.DomainPartition;
import org.fedgossip.simulations.partition.DomainPartitioner;
import org.fedgossip.simulations.partition.IidPartitioner;
import org.fedgossip.simulations.partition.Partition;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;

/**
 * Lays out a complete local federation on disk for {@code fedgossip demo init}: a CA, a certificate
 * and key for the coordinator and every peer, one {@code peer.properties} per process and each
 * peer's non-IID share of a bundled data set.
 *
 * <p>Layout under the output directory: {@code ca/} (the {@link FederationCa}: ca.crt, ca.key, an
 * empty ca.crl, its index), {@code roster/<folder>.crt} (every member's certificate), and one
 * folder per process, {@code coordinator/} and {@code basket-<letter>-peer-<k>/}, each holding
 * {@code keys/peer.key} (mode 600), {@code keys/peer.crt}, {@code peer.properties} and {@code
 * data/} with its data files. Baskets are named by the letters a to z, hence at most 26.
 *
 * <p>Ports: the coordinator listens on the base port N, the peers on N + 1, N + 2, ... in folder
 * order (basket a's peers first). Metrics ports are the transport port plus an offset of 1000, or
 * the next multiple of 1000 that is at least the number of processes, so the two ranges never
 * overlap.
 *
 * <p>Data: the training split is partitioned by {@link DomainPartitioner} (each basket draws {@link
 * #OWN_FRACTION} of its rows from its own label group, the rest from a common pool; IID within the
 * basket). With more baskets than classes there are not enough label groups, and the baskets are
 * skewed by a Dirichlet(α = {@link #DIRICHLET_ALPHA}) label split instead. MNIST: the first 8,000
 * bundled digits are the training split, written per peer as IDX; the last 2,000 go to the
 * coordinator as its held-out set. Breast cancer: the seeded stratified 80/20 split, standardised
 * with the statistics of the whole training part before it is cut, so every peer and the
 * coordinator share one feature space; written as CSV. Every process's trainer keys name the shape
 * ({@code trainer.features}, {@code trainer.classes}) because a peer's partition may lack a label.
 */
final class DemoFederation {

  /** The bundled data sets a demo can use. */
  enum DemoDataset {
    /** The 10,000-digit MNIST subset: softmax regression on IDX files. */
    MNIST10K("mnist10k"),
    /** Wisconsin breast cancer: logistic regression on standardised CSV. */
    BREAST_CANCER("breast-cancer");

    private final String optionValue;

    DemoDataset(String optionValue) {
      this.optionValue = optionValue;
    }

    /** The value of this data set on the command line. */
    String optionValue() {
      return optionValue;
    }

    /** Parses a command-line value, or returns null if it names no data set. */
    static DemoDataset parse(String value) {
      for (DemoDataset d : values()) {
        if (d.optionValue.equals(value)) {
          return d;
        }
      }
      return null;
    }
  }

  /** Basket named in the coordinator's certificate, which must carry one. */
  static final String COORDINATOR_BASKET = "coordinator";

  /** Folder and display name of the coordinator. */
  static final String COORDINATOR = "coordinator";

  /** Smallest gap between a process's transport port and its metrics port. */
  static final int METRICS_PORT_OFFSET = 1000;

  /** Share of a basket's rows drawn from its own label group. */
  static final double OWN_FRACTION = DomainPartitioner.DEFAULT_OWN_FRACTION;

  /** Dirichlet concentration of the label skew when there are more baskets than classes. */
  static final double DIRICHLET_ALPHA = 0.5;

  /** The loopback address every process listens on. */
  static final String HOST = "127.0.0.1";

  /** Name of the configuration file in every process folder. */
  static final String PROPERTIES = "peer.properties";

  /**
   * One process of the demo federation.
   *
   * @param folder the folder under the output directory, also the display name
   * @param basket the basket in the certificate ({@link #COORDINATOR_BASKET} for the coordinator)
   * @param basketIndex the basket's index, or −1 for the coordinator
   * @param port the transport port
   * @param metricsPort the metrics port
   */
  record Member(String folder, String basket, int basketIndex, int port, int metricsPort) {

    boolean isCoordinator() {
      return basketIndex < 0;
    }

    String address() {
      return HOST + ":" + port;
    }
  }

  private final int baskets;
  private final int peersPerBasket;
  private final int basePort;
  private final DemoDataset dataset;
  private final long seed;
  private final List<Member> members;

  /**
   * Plans the federation; nothing is written yet.
   *
   * @param baskets B, in [2, 26]
   * @param peersPerBasket P, ≥ 1
   * @param basePort the coordinator's port; every port must stay ≤ 65535 (see {@link #highestPort})
   * @param dataset the data set
   * @param seed the seed of the partition and of {@code trainer.seed}
   */
  DemoFederation(int baskets, int peersPerBasket, int basePort, DemoDataset dataset, long seed) {
    if (baskets < 2 || baskets > 26) {
      throw new IllegalArgumentException("baskets must be in [2, 26], got " + baskets);
    }
    if (peersPerBasket < 1) {
      throw new IllegalArgumentException("peersPerBasket must be >= 1, got " + peersPerBasket);
    }
    if (basePort < 1 || highestPort(baskets, peersPerBasket, basePort) > 65_535) {
      throw new IllegalArgumentException(
          "ports must lie in [1, 65535], got base port "
              + basePort
              + " up to "
              + highestPort(baskets, peersPerBasket, basePort));
    }
    this.baskets = baskets;
    this.peersPerBasket = peersPerBasket;
    this.basePort = basePort;
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.seed = seed;
    int processes = processes(baskets, peersPerBasket);
    int offset = metricsOffset(processes);
    List<Member> list = new ArrayList<>(processes);
    list.add(new Member(COORDINATOR, COORDINATOR_BASKET, -1, basePort, basePort + offset));
    for (int b = 0; b < baskets; b++) {
      for (int k = 0; k < peersPerBasket; k++) {
        int port = basePort + list.size();
        list.add(new Member(peerFolder(b, k), basketName(b), b, port, port + offset));
      }
    }
    this.members = List.copyOf(list);
  }

  /** Number of processes: the coordinator and B · P peers. */
  static int processes(int baskets, int peersPerBasket) {
    return 1 + baskets * peersPerBasket;
  }

  /** The gap between transport and metrics ports: 1000, or the next multiple of 1000 above. */
  static int metricsOffset(int processes) {
    int thousands = (processes + METRICS_PORT_OFFSET - 1) / METRICS_PORT_OFFSET;
    return Math.max(1, thousands) * METRICS_PORT_OFFSET;
  }

  /** The highest port the layout uses: the last peer's metrics port. */
  static long highestPort(int baskets, int peersPerBasket, int basePort) {
    int processes = processes(baskets, peersPerBasket);
    return (long) basePort + metricsOffset(processes) + processes - 1;
  }

  /** The basket name of basket b in certificates: {@code basket-a}, {@code basket-b}, ... */
  static String basketName(int b) {
    return "basket-" + (char) ('a' + b);
  }

  /** The folder and display name of peer k (0-based) of basket b: {@code basket-a-peer-1}. */
  static String peerFolder(int b, int k) {
    return basketName(b) + "-peer-" + (k + 1);
  }

  /** The processes, coordinator first, then basket a's peers, basket b's, ... */
  List<Member> members() {
    return members;
  }

  /**
   * Splits a training set among the peers: basket b's peers are the contiguous indices [b·P, (b +
   * 1)·P) of the result.
   *
   * @param train the training split
   * @param baskets B
   * @param peersPerBasket P
   * @param seed the seed
   * @return the partition
   * @throws IllegalArgumentException if there are fewer rows than peers
   */
  static DomainPartition partition(Dataset train, int baskets, int peersPerBasket, long seed) {
    int peers = baskets * peersPerBasket;
    if (train.rows() < peers) {
      throw new IllegalArgumentException(
          "the training split has "
              + train.rows()
              + " rows, fewer than the "
              + peers
              + " peers that need one each");
    }
    if (baskets <= train.classes()) {
      return new DomainPartitioner(baskets, OWN_FRACTION, new IidPartitioner())
          .splitDomains(train.allRows(), train.labels(), train.classes(), peers, seed);
    }
    Partition byBasket =
        new DirichletPartitioner(DIRICHLET_ALPHA, peersPerBasket)
            .split(train.allRows(), train.labels(), train.classes(), baskets, seed);
    int[][] basketRows = new int[baskets][];
    int[][] peerRows = new int[peers][];
    int[] basketOfPeer = new int[peers];
    IidPartitioner iid = new IidPartitioner();
    for (int b = 0; b < baskets; b++) {
      basketRows[b] = byBasket.rowsOf(b);
      Partition inner =
          iid.split(basketRows[b], train.labels(), train.classes(), peersPerBasket, seed + b + 1);
      for (int k = 0; k < peersPerBasket; k++) {
        peerRows[b * peersPerBasket + k] = inner.rowsOf(k);
        basketOfPeer[b * peersPerBasket + k] = b;
      }
    }
    return new DomainPartition(basketRows, new Partition(peerRows), basketOfPeer);
  }

  /**
   * Writes the federation into a directory.
   *
   * @param out the output directory; created if missing, files of the same names are replaced
   * @param now the start of the certificates' validity
   * @param random the source of every key and serial number
   * @param progress receives one line per written process
   * @throws IOException if a file cannot be written
   */
  void write(Path out, Instant now, SecureRandom random, Consumer<String> progress)
      throws IOException {
    Files.createDirectories(out);
    TrainTestSplit split =
        dataset == DemoDataset.MNIST10K
            ? BundledDatasets.mnistSplit()
            : BundledDatasets.breastCancerSplit(seed);
    DomainPartition partition = partition(split.train(), baskets, peersPerBasket, seed);
    FederationCa ca =
        FederationCa.create(
            out.resolve("ca"),
            "fedgossip demo CA",
            now,
            FederationCa.DEFAULT_CA_VALIDITY,
            random,
            true);
    progress.accept("ca: " + out.resolve("ca") + " (ca.crt, ca.key, empty ca.crl)");
    Path roster = out.resolve("roster");
    Files.createDirectories(roster);
    // Keys first: every configuration names the ids of its basket's members and the coordinator.
    List<KeyPair> keys = new ArrayList<>(members.size());
    List<PeerId> ids = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      KeyPair pair = Ed25519Keys.generate(random);
      keys.add(pair);
      ids.add(Ed25519Keys.peerId(pair.getPublic()));
    }
    TrainerSpec base = trainerBase(split.train());
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      Path folder = out.resolve(m.folder());
      X509Certificate cert =
          ca.issue(
              keys.get(i).getPublic(),
              m.folder(),
              m.basket(),
              now,
              FederationCa.DEFAULT_PEER_VALIDITY);
      PemFiles.writePrivateKey(folder.resolve("keys/peer.key"), keys.get(i).getPrivate());
      PemFiles.writeCertificate(folder.resolve("keys/peer.crt"), cert);
      PemFiles.writeCertificate(roster.resolve(m.folder() + ".crt"), cert);
      Path data = folder.resolve("data");
      Files.createDirectories(data);
      TrainerSpec spec;
      String rows;
      if (m.isCoordinator()) {
        spec = writeData(base, data, split.test(), false);
        rows = split.test().rows() + " held-out rows";
      } else {
        Dataset own = split.train().select(partition.peers().rowsOf(i - 1));
        spec = writeData(base, data, own, true);
        rows = own.rows() + " training rows";
      }
      writeProperties(folder.resolve(PROPERTIES), m, ids, spec.toKeys(folder));
      progress.accept(
          String.format(
              Locale.ROOT,
              "[%d/%d] %s: listen %s, metrics %d, %s",
              i + 1,
              members.size(),
              m.folder(),
              m.address(),
              m.metricsPort(),
              rows));
    }
    Files.writeString(out.resolve("README.txt"), readme(out), StandardCharsets.UTF_8);
  }

  private TrainerSpec trainerBase(Dataset train) {
    TrainerType type = dataset == DemoDataset.MNIST10K ? TrainerType.SOFTMAX : TrainerType.LOGISTIC;
    return TrainerSpec.DEFAULT
        .withType(type)
        .withSeed(seed)
        .withShape(train.featureCount(), train.classes());
  }

  /** Writes a process's data file(s) and returns the spec that names them. */
  private TrainerSpec writeData(TrainerSpec base, Path data, Dataset rows, boolean training)
      throws IOException {
    String prefix = training ? "train" : "eval";
    if (dataset == DemoDataset.MNIST10K) {
      Path images = data.resolve(prefix + "-images.idx");
      Path labels = data.resolve(prefix + "-labels.idx");
      IdxWriter.write(images, labels, rows, 28, 28);
      return training ? base.withTrainIdx(images, labels) : base.withEvalIdx(images, labels);
    }
    Path csv = data.resolve(prefix + ".csv");
    CsvWriter.write(csv, rows);
    return training ? base.withTrainCsv(csv) : base.withEvalCsv(csv);
  }

  private void writeProperties(
      Path file, Member m, List<PeerId> ids, Map<String, String> trainerKeys) throws IOException {
    Map<String, String> peer = new LinkedHashMap<>();
    peer.put("peer.role", m.isCoordinator() ? "coordinator" : "peer");
    peer.put("peer.name", m.folder());
    peer.put("peer.dataDir", "data");
    peer.put("peer.key", "keys/peer.key");
    peer.put("peer.crt", "keys/peer.crt");
    peer.put("peer.caCrt", "../ca/" + FederationCa.CERTIFICATE_FILE);
    peer.put("peer.crl", "../ca/" + FederationCa.CRL_FILE);
    peer.put("peer.roster", "../roster");
    peer.put("peer.listen", m.address());
    if (!m.isCoordinator()) {
      List<String> seeds = new ArrayList<>();
      for (int j = 0; j < members.size(); j++) {
        Member other = members.get(j);
        if (other.basketIndex() == m.basketIndex() && !other.folder().equals(m.folder())) {
          seeds.add(ids.get(j) + "@" + other.address());
        }
      }
      peer.put("peer.seeds", String.join(",", seeds));
      peer.put("peer.coordinator", ids.get(0) + "@" + members.get(0).address());
    }
    Map<String, String> metrics = Map.of("metrics.port", Integer.toString(m.metricsPort()));
    Map<String, String> round = new LinkedHashMap<>();
    round.put("round.minUpdates", Integer.toString(peersPerBasket));
    round.put("round.minBaskets", Integer.toString(baskets));
    // Krum's precondition n > 2f + 2 fails for fewer than 3 updates even with f = 0.
    round.put("aggregation.rule", peersPerBasket >= 3 ? "multi-krum" : "fedavg");
    Map<String, String> privacy = new LinkedHashMap<>();
    privacy.put("privacy.noiseMultiplier", "0");
    privacy.put("privacy.centralNoiseMultiplier", "0.05");
    privacy.put("privacy.epsilon", "100000");

    StringBuilder text = new StringBuilder();
    text.append("# fedgossip ")
        .append(m.isCoordinator() ? "coordinator" : "peer")
        .append(" '")
        .append(m.folder())
        .append("', written by 'fedgossip demo init'.\n")
        .append("# Relative paths are resolved against this file's directory.\n")
        .append("# Start: fedgossip peer --config ")
        .append(m.folder())
        .append("/")
        .append(PROPERTIES)
        .append(" (from the demo directory)\n\n# Identity and network\n");
    appendKeys(text, peer);
    text.append("\n# Metrics: /metrics, /health, /status on ")
        .append(HOST)
        .append(":")
        .append(m.metricsPort())
        .append("\n");
    appendKeys(text, metrics);
    text.append("\n# Rounds: Layer 1 runs when every member of the basket has sent its update,")
        .append("\n# Layer 2 when every basket's delegate is ready.\n");
    appendKeys(text, round);
    text.append("\n# Privacy, demo values. A handful of peers cannot learn a useful model under a")
        .append("\n# small epsilon: the noise that protects one peer among six drowns the signal.")
        .append("\n# This central noise is small so that the model learns; the epsilon each")
        .append("\n# process reports is correspondingly large, and is reported as it is.\n");
    appendKeys(text, privacy);
    text.append("\n# Local model and data (")
        .append(dataset.optionValue())
        .append(dataset == DemoDataset.BREAST_CANCER ? ", already standardised" : "")
        .append(")\n");
    appendKeys(text, trainerKeys);
    text.append(
        "\n# Everything else takes its default, for example:\n"
            + "# privacy.clipNorm=1.0\n"
            + "# privacy.delta=1e-5\n"
            + "# gossip.preset=lan\n");
    Files.writeString(file, text.toString(), StandardCharsets.ISO_8859_1);
  }

  private static void appendKeys(StringBuilder text, Map<String, String> keys) {
    for (Map.Entry<String, String> e : keys.entrySet()) {
      text.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n');
    }
  }

  /** Escapes a value for {@link java.util.Properties#load}: backslashes and a leading blank. */
  private static String escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "property values must be printable ASCII, got '" + value + "'");
      }
    }
    String escaped = value.replace("\\", "\\\\");
    return escaped.startsWith(" ") ? "\\" + escaped : escaped;
  }

  /** The commands that start every process, coordinator first, and the status command. */
  List<String> startCommands(Path out) {
    List<String> commands = new ArrayList<>();
    for (Member m : members) {
      commands.add("fedgossip peer --config " + configPath(out, m));
    }
    return commands;
  }

  /** The command that shows the federation's status through the coordinator. */
  String statusCommand(Path out) {
    return "fedgossip status --config " + configPath(out, members.get(0));
  }

  private static Path configPath(Path out, Member m) {
    return out.toAbsolutePath().normalize().resolve(m.folder()).resolve(PROPERTIES);
  }

  private String readme(Path out) {
    int processes = members.size();
    StringBuilder r = new StringBuilder();
    r.append("fedgossip demo federation\n=========================\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d baskets x %d peers and one coordinator (%d processes) on %s, data set %s,"
                    + " seed %d.%n%n",
                baskets,
                peersPerBasket,
                processes,
                HOST,
                dataset.optionValue(),
                seed))
        .append("Start every process in its own terminal, the coordinator first ('fedgossip' is")
        .append(" bin/fedgossip in a source checkout, or java -jar fedgossip.jar):\n\n");
    for (String c : startCommands(out)) {
      r.append("  ").append(c).append('\n');
    }
    r.append("\nWatch the federation:\n\n  ").append(statusCommand(out)).append("\n\n");
    r.append("Layout\n------\n")
        .append("ca/            the federation CA: ca.crt, ca.key (mode 600), ca.crl (empty)\n")
        .append("roster/        every member's certificate, <folder>.crt\n")
        .append("coordinator/   the coordinator (certificate basket '")
        .append(COORDINATOR_BASKET)
        .append("'); data/ holds the held-out set\n")
        .append("basket-X-peer-K/  one peer of basket X; data/ holds its own training rows\n")
        .append("Each process folder: peer.properties, keys/peer.key (mode 600), keys/peer.crt,")
        .append(" data/ (also its checkpoints, privacy ledger and audit log once running).\n\n");
    r.append("Ports\n-----\n")
        .append(
            String.format(
                Locale.ROOT,
                "Coordinator %d, peers %d to %d (basket a first). Metrics: transport port + %d."
                    + "%n%n",
                basePort,
                basePort + 1,
                basePort + processes - 1,
                metricsOffset(processes)));
    r.append("Data\n----\n");
    if (dataset == DemoDataset.MNIST10K) {
      r.append("The first 8,000 bundled MNIST digits are split among the peers; the last 2,000")
          .append(" are the coordinator's held-out set.\n");
    } else {
      r.append("The breast-cancer data is split 80/20 (stratified, seeded) and standardised with")
          .append(" the statistics of the whole training part before the peers get their rows;")
          .append(" the 20% is the coordinator's held-out set.\n");
    }
    if (baskets <= (dataset == DemoDataset.MNIST10K ? 10 : 2)) {
      r.append(
          String.format(
              Locale.ROOT,
              "Non-IID: labels are cut into %d groups; basket b draws %.0f%% of its rows from"
                  + " group b, the rest from a common pool; rows are IID within a basket.%n",
              baskets,
              OWN_FRACTION * 100));
    } else {
      r.append(
          String.format(
              Locale.ROOT,
              "Non-IID: more baskets than classes, so each label is spread over the baskets by a"
                  + " Dirichlet(%.1f) draw; rows are IID within a basket.%n",
              DIRICHLET_ALPHA));
    }
    return r.toString();
  }
}
