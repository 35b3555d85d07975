package org.fedgossip.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.fedgossip.simulations.scenario.Scenario;
import org.fedgossip.simulations.scenario.SimulationRunner;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;

/**
 * The on-disk plan of a multi-process simulation ({@code simulate --processes P}): a federation CA,
 * a key and certificate for the coordinator and for every peer, the roster, one loopback port per
 * node, which worker process hosts which peer, and the scenario itself; the parent writes it, each
 * worker reads it.
 *
 * <p>Layout under {@code DIR/federation/}: {@code ca/} (ca.crt, ca.key, an empty ca.crl), {@code
 * roster/<name>.crt}, {@code coordinator/keys/}, {@code peers/<name>/keys/} (peer.key mode 600,
 * peer.crt), each node's {@code data/} (checkpoints, privacy ledger, audit log), {@code
 * scenario.properties} (every key of the scenario, resolved) and {@code plan.properties}.
 *
 * <p>Peers are dealt to workers round-robin by index (peer i to worker i mod P); the peers of one
 * basket are contiguous indices, so with P &gt; 1 a basket spans processes and its gossip crosses
 * real sockets.
 *
 * @param directory the {@code federation/} directory
 * @param scenario the scenario every process builds
 * @param processes P, the worker processes
 * @param coordinator the coordinator
 * @param peers every peer, by index
 */
record SimulationPlan(
    Path directory, Scenario scenario, int processes, Node coordinator, List<Node> peers) {

  /** The loopback address every node listens on. */
  static final String HOST = "127.0.0.1";

  /** The plan file's name. */
  static final String PLAN_FILE = "plan.properties";

  /** The scenario file's name. */
  static final String SCENARIO_FILE = "scenario.properties";

  /** The coordinator's name and basket in its certificate. */
  static final String COORDINATOR = "coordinator";

  /**
   * One node of the federation.
   *
   * @param name its display name (certificate common name and folder)
   * @param basket its certified basket
   * @param id its peer id
   * @param port its loopback port
   * @param worker the worker hosting it, −1 for the coordinator (hosted by the parent)
   */
  record Node(String name, String basket, PeerId id, int port, int worker) {

    /** Checks the port and names. */
    Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(basket, "basket");
      Objects.requireNonNull(id, "id");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
      }
    }

    InetSocketAddress address() {
      return new InetSocketAddress(HOST, port);
    }
  }

  /** Copies the list. */
  SimulationPlan {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(coordinator, "coordinator");
    peers = List.copyOf(peers);
  }

  /** The CA certificate. */
  Path caCertificate() {
    return directory.resolve("ca").resolve(FederationCa.CERTIFICATE_FILE);
  }

  /** The CA's CRL. */
  Path crl() {
    return directory.resolve("ca").resolve(FederationCa.CRL_FILE);
  }

  /** The roster directory. */
  Path roster() {
    return directory.resolve("roster");
  }

  /** A node's folder: {@code coordinator/} or {@code peers/<name>/}. */
  Path folder(Node node) {
    return node.worker() < 0
        ? directory.resolve(COORDINATOR)
        : directory.resolve("peers").resolve(node.name());
  }

  /** The peers' indices a worker hosts, ascending. */
  List<Integer> peersOf(int worker) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).worker() == worker) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Lays out a fresh federation: a new CA, keys and certificates (from {@code random}), free
   * loopback ports, the scenario and plan files.
   *
   * @param directory the {@code federation/} directory; it must not exist yet or be empty
   * @param scenario the scenario
   * @param setup the scenario's peers (their names and baskets)
   * @param processes P, in [1, peers]
   * @param now the start of the certificates' validity
   * @param random the source of every key and serial number
   * @return the plan
   * @throws IOException if a file cannot be written or no free port is found
   */
  static SimulationPlan create(
      Path directory,
      Scenario scenario,
      SimulationRunner.Setup setup,
      int processes,
      Instant now,
      SecureRandom random)
      throws IOException {
    int n = setup.peers();
    if (processes < 1 || processes > n) {
      throw new IllegalArgumentException(
          "processes must be in [1, " + n + "] (the scenario's peers), got " + processes);
    }
    Files.createDirectories(directory);
    FederationCa ca =
        FederationCa.create(
            directory.resolve("ca"),
            "fedgossip simulation CA",
            now,
            FederationCa.DEFAULT_CA_VALIDITY,
            random,
            true);
    Files.createDirectories(directory.resolve("roster"));
    int[] ports = freePorts(n + 1);
    Duration validity = Duration.ofDays(30);
    KeyPair coordinatorKeys = Ed25519Keys.generate(random);
    Node coordinator =
        new Node(
            COORDINATOR,
            COORDINATOR,
            Ed25519Keys.peerId(coordinatorKeys.getPublic()),
            ports[0],
            -1);
    List<Node> peers = new ArrayList<>(n);
    List<KeyPair> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      KeyPair pair = Ed25519Keys.generate(random);
      keys.add(pair);
      peers.add(
          new Node(
              setup.name(i),
              setup.basket(i),
              Ed25519Keys.peerId(pair.getPublic()),
              ports[i + 1],
              i % processes));
    }
    SimulationPlan plan = new SimulationPlan(directory, scenario, processes, coordinator, peers);
    plan.writeIdentity(ca, coordinator, coordinatorKeys, now, validity);
    for (int i = 0; i < n; i++) {
      plan.writeIdentity(ca, peers.get(i), keys.get(i), now, validity);
    }
    Properties values = new Properties();
    values.putAll(scenario.values());
    try (Writer w =
        Files.newBufferedWriter(directory.resolve(SCENARIO_FILE), StandardCharsets.UTF_8)) {
      values.store(w, "scenario " + scenario.name() + ", every key resolved");
    }
    Files.writeString(directory.resolve(PLAN_FILE), plan.planText(), StandardCharsets.UTF_8);
    return plan;
  }

  private void writeIdentity(
      FederationCa ca, Node node, KeyPair pair, Instant now, Duration validity) {
    X509Certificate cert = ca.issue(pair.getPublic(), node.name(), node.basket(), now, validity);
    Path keys = folder(node).resolve("keys");
    PemFiles.writePrivateKey(keys.resolve("peer.key"), pair.getPrivate());
    PemFiles.writeCertificate(keys.resolve("peer.crt"), cert);
    PemFiles.writeCertificate(roster().resolve(node.name() + ".crt"), cert);
  }

  private String planText() {
    Map<String, String> m = new TreeMap<>();
    m.put("scenario.name", scenario.name());
    m.put("processes", Integer.toString(processes));
    m.put("peers", Integer.toString(peers.size()));
    put(m, "coordinator", coordinator);
    for (int i = 0; i < peers.size(); i++) {
      put(m, "peer." + i, peers.get(i));
    }
    Properties p = new Properties();
    p.putAll(m);
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      p.store(w, "fedgossip simulate --processes: who listens where, and which worker hosts whom");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void put(Map<String, String> m, String prefix, Node node) {
    m.put(prefix + ".name", node.name());
    m.put(prefix + ".basket", node.basket());
    m.put(prefix + ".id", node.id().toString());
    m.put(prefix + ".port", Integer.toString(node.port()));
    m.put(prefix + ".worker", Integer.toString(node.worker()));
  }

  /**
   * Reads a plan written by {@link #create}.
   *
   * @param directory the {@code federation/} directory
   * @return the plan
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException naming a missing or malformed key
   */
  static SimulationPlan read(Path directory) throws IOException {
    Properties p = load(Files.readString(directory.resolve(PLAN_FILE), StandardCharsets.UTF_8));
    String name = required(p, "scenario.name");
    Scenario scenario;
    try (Reader r =
        Files.newBufferedReader(directory.resolve(SCENARIO_FILE), StandardCharsets.UTF_8)) {
      scenario = Scenario.parse(name, r);
    }
    int processes = integer(p, "processes");
    int n = integer(p, "peers");
    List<Node> peers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      peers.add(node(p, "peer." + i));
    }
    return new SimulationPlan(directory, scenario, processes, node(p, "coordinator"), peers);
  }

  private static Properties load(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static Node node(Properties p, String prefix) {
    return new Node(
        required(p, prefix + ".name"),
        required(p, prefix + ".basket"),
        PeerId.parse(required(p, prefix + ".id")),
        integer(p, prefix + ".port"),
        integer(p, prefix + ".worker"));
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(PLAN_FILE + " lacks the key " + key);
    }
    return v.strip();
  }

  private static int integer(Properties p, String key) {
    String v = required(p, key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PLAN_FILE + ": " + key + " must be an integer, got '" + v + "'", e);
    }
  }

  /**
   * Finds free loopback ports: all are bound at once (so they differ), then released. Another
   * process may still take one before the node binds it; the node then fails to start and the run
   * fails naming the port.
   */
  static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket();
        sockets.add(s);
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
