package org.fedgossip.cli.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fedgossip.cli.daemon.ConfigException;
import org.fedgossip.cli.daemon.ConfigKey;
import org.fedgossip.cli.daemon.ConfigKeys;
import org.fedgossip.cli.daemon.PeerAddress;
import org.fedgossip.cli.daemon.PeerConfig;

/**
 * Checks the Kubernetes manifests under {@code deploy/k8s} against the daemon they deploy, without
 * a cluster or kustomize: the kustomizations reference files that exist and patch resources that
 * exist; every configuration key and {@code FEDGOSSIP_*} variable is registered in {@link
 * ConfigKeys} and its value passes the daemon's own validation; ports of probes, annotations and
 * Services match {@code metrics.port} and {@code peer.listen}; each basket has a
 * PodDisruptionBudget, a headless Service and a data volume per pod; and the configuration of every
 * pod an overlay makes loads as the daemon would load it ({@link PeerConfig#load}), with seeds that
 * name pods of its own StatefulSet.
 *
 * <p>It reads the subset of YAML that {@link MiniYaml} reads and the subset of kustomize the
 * manifests use (resources, namePrefix, labels, replicas, configMapGenerator with merge, inline
 * strategic-merge patches). A manifest outside that subset is reported as a problem.
 */
final class KubernetesManifests {

  /** A manifest document. */
  private record Resource(String kind, String name, Map<String, Object> doc, Path file) {}

  /**
   * A configMapGenerator entry: its property files (key in the ConfigMap to file) and env files.
   */
  private record Generator(
      String name, String behavior, Map<String, Path> files, List<Path> envs) {}

  /** One kustomization directory, with what it lists. */
  private static final class Kustomization {
    final Path dir;
    final String namePrefix;
    final List<Resource> resources = new ArrayList<>();
    final List<Kustomization> children = new ArrayList<>();
    final Map<String, Generator> generators = new LinkedHashMap<>();
    final Map<String, Integer> replicas = new HashMap<>();
    final boolean labelsIncludeSelectors;
    final Map<String, Object> doc;

    Kustomization(Path dir, Map<String, Object> doc) {
      this.dir = dir;
      this.doc = doc;
      this.namePrefix = string(doc.get("namePrefix")).orElse("");
      boolean include = false;
      for (Object l : list(doc.get("labels"))) {
        include |= "true".equals(map(l).get("includeSelectors"));
      }
      this.labelsIncludeSelectors = include;
    }
  }

  private final Path root;
  private final List<String> problems = new ArrayList<>();
  private final Map<Path, Kustomization> loaded = new HashMap<>();
  private int podsLoaded;

  private KubernetesManifests(Path root) {
    this.root = root;
  }

  /**
   * Checks every kustomization under a directory.
   *
   * @param root the {@code deploy/k8s} directory
   * @return the problems found (empty if none) and how many pod configurations were fully loaded
   */
  static Report check(Path root) {
    KubernetesManifests m = new KubernetesManifests(root);
    m.run();
    return new Report(List.copyOf(m.problems), m.podsLoaded);
  }

  /**
   * The outcome of a check.
   *
   * @param problems one line per problem, naming the file
   * @param podsLoaded the pods whose complete configuration went through {@link PeerConfig#load}
   */
  record Report(List<String> problems, int podsLoaded) {}

  private void run() {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      problems.add(root + ": no kustomization.yaml");
    }
    for (Path f : files) {
      load(f.getParent());
    }
    for (Kustomization k : List.copyOf(loaded.values())) {
      checkPatches(k);
      for (Resource r : k.resources) {
        if (r.kind.equals("StatefulSet") || r.kind.equals("Deployment")) {
          checkWorkload(k, r);
        }
        Map<String, Object> annotations = map(map(r.doc.get("metadata")).get("annotations"));
        if (r.kind.equals("Service") && annotations.containsKey("prometheus.io/scrape")) {
          checkAnnotations(r, annotations, null);
        }
      }
    }
    for (Kustomization k : List.copyOf(loaded.values())) {
      for (Generator g : k.generators.values()) {
        if ("merge".equals(g.behavior)) {
          checkMergedPods(k, g);
        }
      }
    }
  }

  // ---------------------------------------------------------------- kustomizations and files

  private Kustomization load(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    Kustomization cached = loaded.get(key);
    if (cached != null) {
      return cached;
    }
    Path file = key.resolve("kustomization.yaml");
    Map<String, Object> doc = map(parse(file).stream().findFirst().orElse(Map.of()));
    Kustomization k = new Kustomization(key, doc);
    loaded.put(key, k);
    for (Object o : list(doc.get("resources"))) {
      String entry = (String) o;
      Path p = key.resolve(entry).normalize();
      if (Files.isDirectory(p) && Files.exists(p.resolve("kustomization.yaml"))) {
        k.children.add(load(p));
      } else if (Files.isRegularFile(p)) {
        for (Object d : parse(p)) {
          Map<String, Object> m = map(d);
          String kind = string(m.get("kind")).orElse("");
          String name = string(map(m.get("metadata")).get("name")).orElse("");
          if (kind.isEmpty() || name.isEmpty()) {
            problems.add(p + ": a document without kind or metadata.name");
          }
          k.resources.add(new Resource(kind, name, m, p));
        }
      } else {
        problems.add(file + ": resource '" + entry + "' does not exist");
      }
    }
    for (Object o : list(doc.get("configMapGenerator"))) {
      Map<String, Object> g = map(o);
      String name = string(g.get("name")).orElse("");
      Map<String, Path> files = new LinkedHashMap<>();
      for (Object f : list(g.get("files"))) {
        String s = (String) f;
        int eq = s.indexOf('=');
        String mapKey = eq < 0 ? Path.of(s).getFileName().toString() : s.substring(0, eq);
        files.put(mapKey, existing(file, key.resolve(eq < 0 ? s : s.substring(eq + 1))));
      }
      List<Path> envs = new ArrayList<>();
      for (Object e : list(g.get("envs"))) {
        envs.add(existing(file, key.resolve((String) e)));
      }
      k.generators.put(
          name, new Generator(name, string(g.get("behavior")).orElse("create"), files, envs));
      for (Path p : files.values()) {
        if (p != null) {
          checkPropertiesFile(p);
        }
      }
      for (Path p : envs) {
        if (p != null) {
          envFile(p);
        }
      }
    }
    for (Object o : list(doc.get("replicas"))) {
      Map<String, Object> r = map(o);
      k.replicas.put(
          string(r.get("name")).orElse(""), Integer.parseInt(string(r.get("count")).orElse("1")));
    }
    return k;
  }

  private Path existing(Path kustomization, Path p) {
    if (!Files.isRegularFile(p)) {
      problems.add(kustomization + ": generator file '" + root.relativize(p) + "' does not exist");
      return null;
    }
    return p;
  }

  /** Resources reachable from a kustomization, with the names its children's prefixes give them. */
  private List<Resource> reachable(Kustomization k) {
    List<Resource> out = new ArrayList<>(k.resources);
    for (Kustomization c : k.children) {
      for (Resource r : reachable(c)) {
        out.add(new Resource(r.kind, c.namePrefix + r.name, r.doc, r.file));
      }
    }
    return out;
  }

  private void checkPatches(Kustomization k) {
    List<Resource> targets = reachable(k);
    Path file = k.dir.resolve("kustomization.yaml");
    for (Object o : list(k.doc.get("patches"))) {
      Map<String, Object> p = map(o);
      if (!p.containsKey("patch") || p.containsKey("target")) {
        problems.add(
            file + ": only inline strategic-merge patches are checked; found " + p.keySet());
        continue;
      }
      for (Object d : MiniYaml.parseAll((String) p.get("patch"))) {
        Map<String, Object> m = map(d);
        String kind = string(m.get("kind")).orElse("");
        String name = string(map(m.get("metadata")).get("name")).orElse("");
        Optional<Resource> target =
            targets.stream().filter(r -> r.kind.equals(kind) && r.name.equals(name)).findFirst();
        if (target.isEmpty()) {
          problems.add(file + ": a patch targets " + kind + " '" + name + "', which is not there");
          continue;
        }
        // Volumes are merged by name: a patched volume must exist in the target.
        List<String> volumes = new ArrayList<>();
        for (Object v : list(podSpec(target.get().doc).get("volumes"))) {
          volumes.add(string(map(v).get("name")).orElse(""));
        }
        for (Object v : list(podSpec(m).get("volumes"))) {
          String vn = string(map(v).get("name")).orElse("");
          if (!volumes.contains(vn)) {
            problems.add(file + ": a patch sets volume '" + vn + "', which " + name + " lacks");
          }
        }
      }
    }
    for (String name : k.replicas.keySet()) {
      if (targets.stream()
          .noneMatch(
              r ->
                  r.name.equals(name)
                      && (r.kind.equals("StatefulSet") || r.kind.equals("Deployment")))) {
        problems.add(file + ": replicas names '" + name + "', which is no workload here");
      }
    }
  }

  // ---------------------------------------------------------------- configuration values

  private void checkPropertiesFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      problems.add(file + ": unreadable: " + e);
      return;
    }
    for (String name : new TreeMap<>(toMap(p)).keySet()) {
      Optional<ConfigKey> key = ConfigKeys.find(name);
      if (key.isEmpty()) {
        problems.add(
            file + ": unknown key '" + name + "' (closest: " + ConfigKeys.closest(name) + ")");
        continue;
      }
      checkValue(file, key.get(), p.getProperty(name));
    }
  }

  /** Reads an env file: NAME=value lines; reports names that set no key and invalid values. */
  private Map<String, String> envFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      problems.add(file + ": unreadable: " + e);
      return Map.of();
    }
    Map<String, String> env = new TreeMap<>(toMap(p));
    env.forEach((name, value) -> checkVariable(file.toString(), name, value));
    return env;
  }

  private void checkVariable(String where, String name, String value) {
    if (!name.startsWith(ConfigKey.ENV_PREFIX)) {
      return;
    }
    Optional<ConfigKey> key =
        ConfigKeys.all().stream().filter(k -> k.envName().equals(name)).findFirst();
    if (key.isEmpty()) {
      problems.add(where + ": variable " + name + " sets no configuration key");
      return;
    }
    checkValue(where, key.get(), value.replace("$(POD_NAME)", "pod-0"));
  }

  private void checkValue(Object where, ConfigKey key, String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      return;
    }
    try {
      key.parse(v, where.toString());
    } catch (ConfigException e) {
      problems.add(where + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- workloads

  private void checkWorkload(Kustomization k, Resource w) {
    String where = w.file + " (" + w.kind + " " + w.name + ")";
    Map<String, Object> spec = podSpec(w.doc);
    Map<String, Object> template = map(map(w.doc.get("spec")).get("template"));
    Optional<Path> properties = configFile(k, spec);
    if (properties.isEmpty()) {
      problems.add(where + ": mounts no ConfigMap generated from a peer.properties file");
      return;
    }
    Map<String, String> env = new TreeMap<>(baseEnv(k, w));
    Map<String, Object> container = null;
    for (Object c : list(spec.get("containers"))) {
      Map<String, Object> cm = map(c);
      if (list(cm.get("args")).contains("peer")) {
        container = cm;
      }
    }
    if (container == null) {
      problems.add(where + ": no container runs 'fedgossip peer'");
      return;
    }
    for (Object e : list(container.get("env"))) {
      Map<String, Object> em = map(e);
      String name = string(em.get("name")).orElse("");
      Optional<String> value = string(em.get("value"));
      if (value.isPresent()) {
        checkVariable(where, name, value.get());
        env.put(name, value.get().replace("$(POD_NAME)", "pod-0"));
      }
    }
    PeerConfig config;
    try {
      config = PeerConfig.read(properties.get(), env, Map.of());
    } catch (ConfigException e) {
      problems.add(where + ": its configuration does not load: " + e.getMessage());
      return;
    }
    int metricsPort = config.intValue("metrics.port");
    int peerPort = config.hostPort("peer.listen").port();
    if (metricsPort == 0) {
      problems.add(where + ": metrics.port is 0, so /health cannot be probed");
    }
    if (!config.string("metrics.host").equals("0.0.0.0")) {
      problems.add(where + ": metrics.host must be 0.0.0.0 for the kubelet's probes");
    }
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : list(container.get("ports"))) {
      Map<String, Object> pm = map(p);
      ports.put(
          string(pm.get("name")).orElse(""),
          Integer.parseInt(string(pm.get("containerPort")).orElse("0")));
    }
    expectPort(where, "containerPort 'metrics'", ports.get("metrics"), metricsPort);
    expectPort(where, "containerPort 'peer'", ports.get("peer"), peerPort);
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
      if (get.isEmpty()) {
        problems.add(where + ": no " + probe + " with httpGet");
        continue;
      }
      if (!"/health".equals(get.get("path"))) {
        problems.add(where + ": " + probe + " asks " + get.get("path") + ", not /health");
      }
      String port = string(get.get("port")).orElse("");
      Integer number = port.matches("\\d+") ? Integer.valueOf(port) : ports.get(port);
      expectPort(where, probe + " port '" + port + "'", number, metricsPort);
    }
    checkAnnotations(w, map(map(template.get("metadata")).get("annotations")), metricsPort);
    for (String group : List.of("initContainers", "containers")) {
      for (Object c : list(spec.get(group))) {
        Map<String, Object> res = map(map(c).get("resources"));
        for (String part : List.of("requests", "limits")) {
          Map<String, Object> m = map(res.get(part));
          if (!m.containsKey("cpu") || !m.containsKey("memory")) {
            problems.add(where + ": " + map(c).get("name") + " has no cpu and memory " + part);
          }
        }
      }
    }
    if (!"true".equals(map(spec.get("securityContext")).get("runAsNonRoot"))) {
      problems.add(where + ": the pod does not set runAsNonRoot: true");
    }
    String dataDir = config.path("peer.dataDir").toString();
    Optional<String> dataVolume = Optional.empty();
    for (Object m : list(container.get("volumeMounts"))) {
      if (dataDir.equals(map(m).get("mountPath"))) {
        dataVolume = string(map(m).get("name"));
      }
    }
    if (dataVolume.isEmpty()) {
      problems.add(where + ": nothing is mounted at peer.dataDir " + dataDir);
      return;
    }
    if (w.kind.equals("StatefulSet")) {
      checkStatefulSet(k, w, where, dataVolume.get());
    } else {
      boolean claimed = false;
      for (Object v : list(spec.get("volumes"))) {
        Map<String, Object> vm = map(v);
        String claim = string(map(vm.get("persistentVolumeClaim")).get("claimName")).orElse("");
        if (dataVolume.get().equals(vm.get("name"))
            && k.resources.stream()
                .anyMatch(r -> r.kind.equals("PersistentVolumeClaim") && r.name.equals(claim))) {
          claimed = true;
        }
      }
      if (!claimed) {
        problems.add(where + ": the data volume is not a PersistentVolumeClaim listed with it");
      }
    }
  }

  private void checkStatefulSet(Kustomization k, Resource w, String where, String dataVolume) {
    Map<String, Object> spec = map(w.doc.get("spec"));
    boolean template = false;
    for (Object t : list(spec.get("volumeClaimTemplates"))) {
      template |= dataVolume.equals(map(map(t).get("metadata")).get("name"));
    }
    if (!template) {
      problems.add(where + ": no volumeClaimTemplate for the data volume '" + dataVolume + "'");
    }
    String serviceName = string(spec.get("serviceName")).orElse("");
    boolean headless =
        k.resources.stream()
            .anyMatch(
                r ->
                    r.kind.equals("Service")
                        && r.name.equals(serviceName)
                        && "None".equals(map(r.doc.get("spec")).get("clusterIP")));
    if (!headless) {
      problems.add(
          where + ": serviceName '" + serviceName + "' is no headless Service listed here");
    }
    if (k.resources.stream().noneMatch(r -> r.kind.equals("PodDisruptionBudget"))) {
      problems.add(where + ": no PodDisruptionBudget for the basket");
    } else if (!k.labelsIncludeSelectors) {
      problems.add(where + ": labels must include selectors, so the PDB selects these pods");
    }
  }

  private void checkAnnotations(Resource r, Map<String, Object> annotations, Integer metricsPort) {
    String where = r.file + " (" + r.kind + " " + r.name + ")";
    if (!"true".equals(annotations.get("prometheus.io/scrape"))) {
      problems.add(where + ": no prometheus.io/scrape: \"true\" annotation");
      return;
    }
    if (!"/metrics".equals(annotations.get("prometheus.io/path"))) {
      problems.add(where + ": prometheus.io/path is not /metrics");
    }
    String port = string(annotations.get("prometheus.io/port")).orElse("");
    if (metricsPort == null) {
      boolean served = false;
      for (Object p : list(map(r.doc.get("spec")).get("ports"))) {
        served |= port.equals(map(p).get("port"));
      }
      if (!served) {
        problems.add(where + ": prometheus.io/port " + port + " is not a port of the Service");
      }
    } else if (!port.equals(String.valueOf(metricsPort))) {
      problems.add(where + ": prometheus.io/port " + port + " is not metrics.port " + metricsPort);
    }
  }

  private void expectPort(String where, String what, Integer actual, int expected) {
    if (actual == null || actual != expected) {
      problems.add(where + ": " + what + " is " + actual + ", the configuration says " + expected);
    }
  }

  // ---------------------------------------------------------------- pods of an overlay

  /**
   * Loads, as the daemon would, the configuration of every pod whose env a merge generator sets.
   */
  private void checkMergedPods(Kustomization overlay, Generator merge) {
    String where = overlay.dir.resolve("kustomization.yaml").toString();
    Map<String, String> overlayEnv = new TreeMap<>();
    for (Path p : merge.envs) {
      if (p != null) {
        overlayEnv.putAll(envFile(p));
      }
    }
    boolean found = false;
    for (Kustomization base : descendants(overlay)) {
      Generator original = base.generators.get(merge.name);
      if (original == null || "merge".equals(original.behavior)) {
        continue;
      }
      found = true;
      for (Resource w : base.resources) {
        if (!(w.kind.equals("StatefulSet") || w.kind.equals("Deployment"))
            || !baseEnvNames(w).contains(merge.name)) {
          continue;
        }
        Map<String, Object> spec = podSpec(w.doc);
        Optional<Path> properties = configFile(base, spec);
        if (properties.isEmpty()) {
          continue;
        }
        String prefix = prefixBetween(overlay, base);
        int replicas =
            overlay.replicas.getOrDefault(
                w.name,
                Integer.parseInt(string(map(w.doc.get("spec")).get("replicas")).orElse("1")));
        String serviceName = prefix + string(map(w.doc.get("spec")).get("serviceName")).orElse("");
        for (int i = 0; i < replicas; i++) {
          String pod =
              w.kind.equals("StatefulSet") ? prefix + w.name + "-" + i : prefix + w.name + "-pod";
          Map<String, String> env = new TreeMap<>(baseEnv(base, w));
          env.putAll(overlayEnv);
          for (Object c : list(spec.get("containers"))) {
            for (Object e : list(map(c).get("env"))) {
              Map<String, Object> em = map(e);
              string(em.get("value"))
                  .ifPresent(v -> env.put((String) em.get("name"), v.replace("$(POD_NAME)", pod)));
            }
          }
          PeerConfig config;
          try {
            config = PeerConfig.load(properties.get(), env, Map.of());
          } catch (ConfigException e) {
            problems.add(where + ": pod " + pod + " would not start: " + e.getMessage());
            continue;
          }
          podsLoaded++;
          int port = config.hostPort("peer.listen").port();
          if (config.isSet("peer.seeds")) {
            for (PeerAddress seed : config.peerAddressList("peer.seeds")) {
              String host = seed.address().host();
              boolean ok = false;
              for (int j = 0; j < replicas; j++) {
                ok |= host.equals(prefix + w.name + "-" + j + "." + serviceName);
              }
              if (!ok || seed.address().port() != port) {
                problems.add(
                    where
                        + ": pod "
                        + pod
                        + " has seed "
                        + seed.address()
                        + ", which is no pod of its StatefulSet ("
                        + prefix
                        + w.name
                        + "-0.."
                        + (replicas - 1)
                        + "."
                        + serviceName
                        + ":"
                        + port
                        + ")");
              }
            }
          }
          if (config.isSet("peer.coordinator")) {
            String host = config.peerAddress("peer.coordinator").address().host();
            boolean service =
                loaded.values().stream()
                    .flatMap(k -> k.resources.stream())
                    .anyMatch(r -> r.kind.equals("Service") && r.name.equals(host));
            if (!service) {
              problems.add(
                  where + ": pod " + pod + " names coordinator host " + host + ", no Service");
            }
          }
        }
      }
    }
    if (!found) {
      problems.add(where + ": merge generator '" + merge.name + "' merges into nothing");
    }
  }

  private List<Kustomization> descendants(Kustomization k) {
    List<Kustomization> out = new ArrayList<>();
    for (Kustomization c : k.children) {
      out.add(c);
      out.addAll(descendants(c));
    }
    return out;
  }

  /**
   * The name prefix that the kustomizations from the overlay down to a base give, overlay's own
   * included.
   */
  private String prefixBetween(Kustomization overlay, Kustomization base) {
    if (overlay == base) {
      return base.namePrefix;
    }
    for (Kustomization c : overlay.children) {
      if (c == base || descendants(c).contains(base)) {
        return overlay.namePrefix + prefixBetween(c, base);
      }
    }
    return overlay.namePrefix;
  }

  private static List<String> baseEnvNames(Resource w) {
    List<String> names = new ArrayList<>();
    for (Object c : list(podSpec(w.doc).get("containers"))) {
      for (Object e : list(map(c).get("envFrom"))) {
        string(map(map(e).get("configMapRef")).get("name")).ifPresent(names::add);
      }
    }
    return names;
  }

  private Map<String, String> baseEnv(Kustomization k, Resource w) {
    Map<String, String> env = new TreeMap<>();
    for (String name : baseEnvNames(w)) {
      Generator g = k.generators.get(name);
      if (g == null) {
        problems.add(w.file + ": envFrom names ConfigMap '" + name + "', not generated beside it");
        continue;
      }
      for (Path p : g.envs) {
        if (p != null) {
          env.putAll(readEnv(p));
        }
      }
    }
    return env;
  }

  private static Map<String, String> readEnv(Path p) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return toMap(props);
  }

  /** The peer.properties file of the ConfigMap a pod mounts, from a generator beside it. */
  private static Optional<Path> configFile(Kustomization k, Map<String, Object> spec) {
    for (Object v : list(spec.get("volumes"))) {
      String cm = string(map(map(v).get("configMap")).get("name")).orElse("");
      Generator g = k.generators.get(cm);
      if (g != null && g.files.get("peer.properties") != null) {
        return Optional.of(g.files.get("peer.properties"));
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- YAML helpers

  private List<Object> parse(Path file) {
    try {
      return MiniYaml.parseAll(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      problems.add(file + ": " + e.getMessage());
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(map(map(workload.get("spec")).get("template")).get("spec"));
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      m.put(name, p.getProperty(name));
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static Optional<String> string(Object o) {
    return o instanceof String s ? Optional.of(s) : Optional.empty();
  }
}
