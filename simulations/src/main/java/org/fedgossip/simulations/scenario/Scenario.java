package org.fedgossip.simulations.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessBufferConfig;
import org.fedgossip.core.math.ParallelRunner;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.runtime.RuntimeSettings;
import org.fedgossip.core.state.CheckpointConfig;
import org.fedgossip.simulations.attack.AttackConfig;
import org.fedgossip.simulations.attack.AttackContext;
import org.fedgossip.simulations.attack.AttackType;
import org.fedgossip.simulations.model.Mlp;
import org.fedgossip.simulations.model.SgdConfig;
import org.fedgossip.simulations.model.SoftmaxRegression;
import org.fedgossip.simulations.model.TrainerType;

/**
 * A validated simulation scenario: the data, the federation's shape, the partition, the model, the
 * federation's round settings, the attack and the run's length and seed.
 *
 * <p>A scenario is a properties file whose keys are those of {@link #DEFAULTS}; the keys shared
 * with the daemon ({@code aggregation.*}, {@code privacy.*}, {@code round.*}, {@code secagg.*},
 * {@code trainer.*}, {@code attack.*}) have the daemon's names and meanings. A file sets some keys,
 * {@code --set key=value} overrides any of them, and every other key keeps its default. An unknown
 * key is an error naming it, so a typo never leaves a default silently in force; a bad value is an
 * error naming the key, the value and the allowed range.
 *
 * @param name the scenario's name (file name without {@code .properties})
 * @param values every key with its resolved value, sorted by key
 * @param description one line for {@code --list} ({@code scenario.description})
 * @param dataSet the bundled data set ({@code data.set})
 * @param baskets B, the number of baskets ({@code federation.baskets}), ≥ 2
 * @param peersPerBasket n, the peers of each basket ({@code federation.peersPerBasket}), ≥ 1
 * @param partition how the training split is cut among the peers ({@code partition.*})
 * @param trainerType the model ({@code trainer.type})
 * @param sgd local SGD ({@code trainer.learningRate}, {@code trainer.batchSize}, {@code
 *     trainer.localEpochs})
 * @param hidden MLP hidden units ({@code trainer.hidden})
 * @param settings the federation's round settings, the dimension being the model's
 * @param attack the Byzantine setting, or null when {@code attack.type=none}
 * @param knowledge what ALIE/IPM attackers know ({@code attack.knowledge})
 * @param rounds R, the rounds to run ({@code simulation.rounds}), ≥ 1
 * @param seed the run's seed ({@code simulation.seed}); every random choice derives from it
 * @param roundLimitNanos virtual time one round may take before the run gives up ({@code
 *     simulation.roundLimitMs})
 * @param baselineEpochs passes of the centralized baseline over the training split ({@code
 *     baseline.epochs}), ≥ 1
 * @param dropoutFraction the chance that a delegate drops out of SecAgg+ right after its masked
 *     input reached the coordinator, each round ({@code dropout.fraction}), in [0, 1)
 */
public record Scenario(
    String name,
    Map<String, String> values,
    String description,
    DataSet dataSet,
    int baskets,
    int peersPerBasket,
    PartitionSpec partition,
    TrainerType trainerType,
    SgdConfig sgd,
    int hidden,
    RuntimeSettings settings,
    AttackConfig attack,
    AttackContext.Knowledge knowledge,
    int rounds,
    long seed,
    long roundLimitNanos,
    int baselineEpochs,
    double dropoutFraction) {

  /** The scenarios shipped with fedgossip, the default first. */
  public static final List<String> BUILT_IN =
      List.of("quickstart", "hospitals", "byzantine", "dropout", "private", "scale");

  /** The default scenario. */
  public static final String DEFAULT_NAME = "quickstart";

  /** Every key a scenario may set, with its default value (an empty value means "derived"). */
  public static final Map<String, String> DEFAULTS = defaults();

  private static final long MS = 1_000_000L;

  /** The bundled data sets a scenario can train on, with their shape. */
  public enum DataSet {
    /** The 10,000-digit MNIST subset: 784 pixels, 10 classes, 8,000 train / 2,000 held out. */
    MNIST("mnist", 784, 10),
    /** Wisconsin breast cancer: 30 standardised features, 2 classes, stratified 80/20. */
    BREAST_CANCER("breast-cancer", 30, 2);

    private final String configName;
    private final int features;
    private final int classes;

    DataSet(String configName, int features, int classes) {
      this.configName = configName;
      this.features = features;
      this.classes = classes;
    }

    /**
     * The name in scenario files.
     *
     * @return for example {@code mnist}
     */
    public String configName() {
      return configName;
    }

    /**
     * The number of features of a row.
     *
     * @return D
     */
    public int features() {
      return features;
    }

    /**
     * The number of classes.
     *
     * @return C
     */
    public int classes() {
      return classes;
    }

    static DataSet parse(String value) {
      for (DataSet d : values()) {
        if (d.configName.equals(value)) {
          return d;
        }
      }
      throw new IllegalArgumentException(
          "data.set must be one of [mnist, breast-cancer], got '" + value + "'");
    }
  }

  /**
   * How the training rows are cut among the peers.
   *
   * @param type {@code iid}, {@code dirichlet}, {@code shards}, {@code domain} or {@code sampled}
   *     ({@code partition.type})
   * @param alpha Dirichlet α ({@code partition.alpha}), &gt; 0
   * @param shardsPerPeer shards of each peer ({@code partition.shardsPerPeer}), ≥ 1
   * @param ownFraction share of a basket's rows from its own label group ({@code
   *     partition.ownFraction}), in [0, 1]
   * @param rowsPerPeer rows each peer draws with {@code sampled}, IID with replacement across peers
   *     ({@code partition.rowsPerPeer}), ≥ 1
   */
  public record PartitionSpec(
      String type, double alpha, int shardsPerPeer, double ownFraction, int rowsPerPeer) {

    /** The partition types. */
    public static final List<String> TYPES =
        List.of("iid", "dirichlet", "shards", "domain", "sampled");

    /** Validates the spec, naming the key of a bad value. */
    public PartitionSpec {
      if (!TYPES.contains(type)) {
        throw new IllegalArgumentException(
            "partition.type must be one of " + TYPES + ", got '" + type + "'");
      }
      if (!(alpha > 0) || Double.isInfinite(alpha)) {
        throw new IllegalArgumentException("partition.alpha must be finite and > 0, got " + alpha);
      }
      if (shardsPerPeer < 1) {
        throw new IllegalArgumentException(
            "partition.shardsPerPeer must be >= 1, got " + shardsPerPeer);
      }
      if (!(ownFraction >= 0 && ownFraction <= 1)) {
        throw new IllegalArgumentException(
            "partition.ownFraction must be in [0, 1], got " + ownFraction);
      }
      if (rowsPerPeer < 1) {
        throw new IllegalArgumentException(
            "partition.rowsPerPeer must be >= 1, got " + rowsPerPeer);
      }
    }
  }

  /** Checks what the components cannot check alone. */
  public Scenario {
    Objects.requireNonNull(name, "name");
    values = Collections.unmodifiableMap(new TreeMap<>(values));
    Objects.requireNonNull(dataSet, "data.set");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(trainerType, "trainer.type");
    Objects.requireNonNull(sgd, "trainer");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(knowledge, "attack.knowledge");
    if (baskets < 2) {
      throw new IllegalArgumentException(
          "federation.baskets must be >= 2 (Layer 2 needs two baskets), got " + baskets);
    }
    if (peersPerBasket < 1) {
      throw new IllegalArgumentException(
          "federation.peersPerBasket must be >= 1, got " + peersPerBasket);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("simulation.rounds must be >= 1, got " + rounds);
    }
    if (roundLimitNanos <= 0) {
      throw new IllegalArgumentException(
          "simulation.roundLimitMs must be > 0, got " + roundLimitNanos / MS);
    }
    if (!(dropoutFraction >= 0 && dropoutFraction < 1)) {
      throw new IllegalArgumentException(
          "dropout.fraction must be in [0, 1), got " + dropoutFraction);
    }
    if (baselineEpochs < 1) {
      throw new IllegalArgumentException("baseline.epochs must be >= 1, got " + baselineEpochs);
    }
    if (settings.minBaskets() > baskets) {
      throw new IllegalArgumentException(
          "round.minBaskets is "
              + settings.minBaskets()
              + "; it must be <= federation.baskets="
              + baskets);
    }
    if (settings.minUpdates() > peersPerBasket) {
      throw new IllegalArgumentException(
          "round.minUpdates is "
              + settings.minUpdates()
              + "; it must be <= federation.peersPerBasket="
              + peersPerBasket
              + " (a basket never holds more updates in a round)");
    }
    try {
      settings.rule().create(peersPerBasket, ParallelRunner.sequential());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "aggregation.rule="
              + settings.rule().kind().cliName()
              + " with aggregation.byzantine="
              + settings.rule().byzantine()
              + " cannot run on a basket of federation.peersPerBasket="
              + peersPerBasket
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The total number of peers.
   *
   * @return B × n
   */
  public int peers() {
    return baskets * peersPerBasket;
  }

  /**
   * The model's number of parameters.
   *
   * @return the dimension of {@link #settings()}
   */
  public int dimension() {
    return settings.dimension();
  }

  /**
   * A copy with some keys overridden, validated again.
   *
   * @param overrides keys and values; each key must be known
   * @return the new scenario
   * @throws IllegalArgumentException naming an unknown key or a bad value
   */
  public Scenario with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    checkKeys(overrides.keySet(), "");
    merged.putAll(overrides);
    return fromValues(name, merged);
  }

  /**
   * A built-in scenario from the class path, or a scenario file.
   *
   * @param nameOrPath a name of {@link #BUILT_IN}, or the path of a {@code .properties} file
   * @return the scenario
   * @throws IllegalArgumentException if there is no such scenario, or it is invalid, naming the key
   */
  public static Scenario load(String nameOrPath) {
    Objects.requireNonNull(nameOrPath, "scenario");
    if (BUILT_IN.contains(nameOrPath)) {
      String resource = nameOrPath + ".properties";
      try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "the built-in scenario " + resource + " is missing from the class path");
        }
        return parse(nameOrPath, new InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path file = Path.of(nameOrPath);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "unknown scenario '"
              + nameOrPath
              + "': not one of "
              + BUILT_IN
              + " and not a readable scenario file");
    }
    String fileName = file.getFileName().toString();
    String base =
        fileName.endsWith(".properties")
            ? fileName.substring(0, fileName.length() - ".properties".length())
            : fileName;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(base, reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a scenario file.
   *
   * @param name the scenario's name
   * @param reader the properties text
   * @return the scenario
   * @throws IOException if the text cannot be read
   * @throws IllegalArgumentException naming an unknown key or a bad value
   */
  public static Scenario parse(String name, Reader reader) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    Map<String, String> set = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      set.put(key, p.getProperty(key));
    }
    checkKeys(set.keySet(), "scenario " + name);
    Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
    merged.putAll(set);
    return fromValues(name, merged);
  }

  private static void checkKeys(Iterable<String> keys, String where) {
    for (String key : keys) {
      if (!DEFAULTS.containsKey(key)) {
        throw new IllegalArgumentException(
            (where.isEmpty() ? "" : where + ": ")
                + "unknown key '"
                + key
                + "'; the keys are "
                + DEFAULTS.keySet());
      }
    }
  }

  private static Scenario fromValues(String name, Map<String, String> v) {
    Map<String, String> values = new TreeMap<>();
    v.forEach((k, x) -> values.put(k, x.strip()));
    Values in = new Values(values);
    DataSet dataSet = DataSet.parse(in.string("data.set"));
    TrainerType type = TrainerType.parse(in.string("trainer.type"));
    int hidden = in.integer("trainer.hidden", 1, Integer.MAX_VALUE);
    SgdConfig sgd =
        new SgdConfig(
            (float) in.number("trainer.learningRate", 0, false, Double.MAX_VALUE),
            in.integer("trainer.batchSize", 1, Integer.MAX_VALUE),
            in.integer("trainer.localEpochs", 1, Integer.MAX_VALUE),
            0,
            0f);
    int dimension =
        switch (type) {
          case SOFTMAX -> SoftmaxRegression.dimensionFor(dataSet.features(), dataSet.classes());
          case MLP -> Mlp.dimensionFor(dataSet.features(), hidden, dataSet.classes());
          case LOGISTIC -> {
            if (dataSet.classes() != 2) {
              throw new IllegalArgumentException(
                  "trainer.type=logistic needs a data set of 2 classes; data.set="
                      + dataSet.configName()
                      + " has "
                      + dataSet.classes());
            }
            yield dataSet.features() + 1;
          }
        };
    int byzantine = in.integer("aggregation.byzantine", 0, Integer.MAX_VALUE);
    String keep = values.get("aggregation.keep");
    String trim = values.get("aggregation.trimFraction");
    RuleSpec rule;
    try {
      rule =
          RuleSpec.parse(
              in.string("aggregation.rule"),
              byzantine,
              keep.isEmpty() ? null : in.integer("aggregation.keep", 1, Integer.MAX_VALUE),
              trim.isEmpty() ? null : in.number("aggregation.trimFraction", 0, true, 0.5));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "aggregation.rule=" + values.get("aggregation.rule") + ": " + e.getMessage(), e);
    }
    RuntimeSettings settings =
        new RuntimeSettings(
            dimension,
            rule,
            in.number("privacy.clipNorm", 0, false, Double.MAX_VALUE),
            in.number("privacy.noiseMultiplier", 0, true, Double.MAX_VALUE),
            in.number("privacy.centralNoiseMultiplier", 0, true, Double.MAX_VALUE),
            new PrivacyBudget(
                in.number("privacy.epsilon", 0, false, Double.MAX_VALUE),
                in.number("privacy.delta", 0, false, 1)),
            in.integer("round.minUpdates", 1, Integer.MAX_VALUE),
            in.longValue("round.timeoutMs", 1) * MS,
            in.number("round.materiality", 0, true, 1),
            in.integer("round.minBaskets", 2, Integer.MAX_VALUE),
            0,
            StalenessBufferConfig.defaults()
                .withMaxStaleness(
                    in.integer(
                        "buffer.maxStaleness", 0, (int) StalenessBufferConfig.MAX_MAX_STALENESS)),
            in.integer("secagg.neighbours", 0, Integer.MAX_VALUE),
            in.integer("secagg.threshold", 0, Integer.MAX_VALUE),
            in.longValue("secagg.phaseTimeoutMs", 1) * MS,
            in.number("secagg.clipRange", 0, false, Double.MAX_VALUE),
            CheckpointConfig.defaults(),
            in.number("round.participation", 0, false, 1));
    AttackConfig attack = null;
    String attackType = in.string("attack.type");
    if (!attackType.equals("none")) {
      Map<String, String> a = new TreeMap<>();
      for (String key :
          List.of(
              AttackType.KEY,
              AttackConfig.FRACTION_KEY,
              AttackConfig.GAUSSIAN_SIGMA_KEY,
              AttackConfig.ALIE_Z_KEY,
              AttackConfig.IPM_EPSILON_KEY)) {
        if (!values.get(key).isEmpty()) {
          a.put(key, values.get(key));
        }
      }
      attack = AttackConfig.fromProperties(a);
    }
    AttackContext.Knowledge knowledge;
    String k = in.string("attack.knowledge");
    knowledge =
        switch (k) {
          case "omniscient" -> AttackContext.Knowledge.OMNISCIENT;
          case "colluders" -> AttackContext.Knowledge.COLLUDERS;
          default ->
              throw new IllegalArgumentException(
                  "attack.knowledge must be one of [omniscient, colluders], got '" + k + "'");
        };
    return new Scenario(
        name,
        values,
        values.get("scenario.description"),
        dataSet,
        in.integer("federation.baskets", 2, Integer.MAX_VALUE),
        in.integer("federation.peersPerBasket", 1, Integer.MAX_VALUE),
        new PartitionSpec(
            in.string("partition.type"),
            in.number("partition.alpha", 0, false, Double.MAX_VALUE),
            in.integer("partition.shardsPerPeer", 1, Integer.MAX_VALUE),
            in.number("partition.ownFraction", 0, true, 1),
            in.integer("partition.rowsPerPeer", 1, Integer.MAX_VALUE)),
        type,
        sgd,
        hidden,
        settings,
        attack,
        knowledge,
        in.integer("simulation.rounds", 1, Integer.MAX_VALUE),
        in.longValue("simulation.seed", Long.MIN_VALUE),
        in.longValue("simulation.roundLimitMs", 1) * MS,
        in.integer("baseline.epochs", 1, Integer.MAX_VALUE),
        in.number("dropout.fraction", 0, true, 1));
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("scenario.description", "");
    d.put("data.set", "mnist");
    d.put("federation.baskets", "3");
    d.put("federation.peersPerBasket", "10");
    d.put("partition.type", "dirichlet");
    d.put("partition.alpha", "0.5");
    d.put("partition.shardsPerPeer", "2");
    d.put("partition.ownFraction", "0.8");
    d.put("partition.rowsPerPeer", "32");
    d.put("trainer.type", "softmax");
    d.put("trainer.learningRate", "0.1");
    d.put("trainer.batchSize", "32");
    d.put("trainer.localEpochs", "1");
    d.put("trainer.hidden", "64");
    d.put("aggregation.rule", "fedavg");
    d.put("aggregation.byzantine", "0");
    d.put("aggregation.keep", "");
    d.put("aggregation.trimFraction", "");
    d.put("privacy.clipNorm", "1.0");
    d.put("privacy.noiseMultiplier", "0");
    d.put("privacy.centralNoiseMultiplier", "0");
    d.put("privacy.epsilon", "1000000");
    d.put("privacy.delta", "1e-5");
    d.put("round.minUpdates", "1");
    d.put("round.timeoutMs", "30000");
    d.put("round.materiality", "0");
    d.put("round.minBaskets", "2");
    d.put("round.participation", "1");
    d.put("buffer.maxStaleness", String.valueOf(StalenessBufferConfig.DEFAULT_MAX_STALENESS));
    d.put("secagg.neighbours", "0");
    d.put("secagg.threshold", "0");
    d.put("secagg.phaseTimeoutMs", "10000");
    d.put("secagg.clipRange", "1.0");
    d.put("attack.type", "none");
    d.put("attack.fraction", String.valueOf(AttackConfig.DEFAULT_FRACTION));
    d.put("attack.gaussian.sigma", String.valueOf(AttackConfig.DEFAULT_GAUSSIAN_SIGMA));
    d.put("attack.alie.z", "");
    d.put("attack.ipm.epsilon", String.valueOf(AttackConfig.DEFAULT_IPM_EPSILON));
    d.put("attack.knowledge", "omniscient");
    d.put("dropout.fraction", "0");
    d.put("simulation.rounds", "30");
    d.put("simulation.seed", "1");
    d.put("simulation.roundLimitMs", "600000");
    d.put("baseline.epochs", "10");
    return Collections.unmodifiableMap(d);
  }

  /** Typed reads of the resolved values; each error names the key, value and range. */
  private record Values(Map<String, String> values) {

    String string(String key) {
      String v = values.get(key);
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException(key + " must be set");
      }
      return v;
    }

    int integer(String key, int min, int max) {
      long v = longValue(key, min);
      if (v > max) {
        throw new IllegalArgumentException(
            key + " must be an integer in [" + min + ", " + max + "], got " + v);
      }
      return (int) v;
    }

    long longValue(String key, long min) {
      String v = string(key);
      long parsed;
      try {
        parsed = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key + " must be an integer >= " + min + ", got '" + v + "'", e);
      }
      if (parsed < min) {
        throw new IllegalArgumentException(key + " must be >= " + min + ", got " + parsed);
      }
      return parsed;
    }

    double number(String key, double min, boolean minAllowed, double max) {
      String v = string(key);
      double parsed;
      try {
        parsed = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a number, got '" + v + "'", e);
      }
      boolean aboveMin = minAllowed ? parsed >= min : parsed > min;
      if (!aboveMin || !(parsed <= max) || Double.isInfinite(parsed)) {
        throw new IllegalArgumentException(
            key + " must be in " + (minAllowed ? "[" : "(") + min + ", " + max + "], got " + v);
      }
      return parsed;
    }
  }
}
