package org.fedgossip.simulations.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import org.fedgossip.simulations.data.CsvReader;
import org.fedgossip.simulations.data.CsvWriter;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.DatasetFormatException;
import org.fedgossip.simulations.data.IdxReader;

/**
 * The {@code trainer.*} keys of a daemon's configuration: which built-in model to train, where the
 * process's local data lies and the SGD hyper-parameters; it builds the {@link SgdTrainer} from
 * those local files.
 *
 * <p>Data: either IDX files ({@code trainer.trainImages} with {@code trainer.trainLabels}, pixels
 * scaled to [0, 1] by {@link IdxReader}) or one CSV file with a header whose last column is the
 * integer label ({@code trainer.trainCsv}, the layout {@link CsvWriter} writes); the same for the
 * optional evaluation data. Features are used exactly as stored: no process fits any preprocessing
 * on its own rows, because statistics fitted per peer would give every peer a different feature
 * space. Data that needs standardising is standardised once, before it is distributed, with
 * statistics of the whole training split ({@code fedgossip demo init} does so for the breast-cancer
 * data).
 *
 * <p>Shape: the number of classes is {@code trainer.classes} when set, otherwise the largest label
 * seen in the local train and eval data plus one (at least 2). A non-IID partition may miss the top
 * label on some peers, so a federation should set {@code trainer.classes} (and {@code
 * trainer.features}) on every process; {@code demo init} does. A coordinator without evaluation
 * data needs both to know the model's dimension.
 *
 * <p>Seeds: every process of a federation uses the same {@code trainer.seed}, which alone derives
 * {@link SgdTrainer#initialWeights()}; the per-peer seed passed to {@link #build(long)} only orders
 * the local minibatches.
 *
 * <p>Paths are absolute once parsed: relative values are resolved against the base directory given
 * to {@link #parse} (the directory of the properties file).
 *
 * @param type the model
 * @param trainImages IDX images of the local training rows, or null
 * @param trainLabels IDX labels of the local training rows; set exactly when trainImages is
 * @param trainCsv CSV of the local training rows, or null; never set together with trainImages
 * @param evalImages IDX images of the evaluation rows, or null
 * @param evalLabels IDX labels of the evaluation rows; set exactly when evalImages is
 * @param evalCsv CSV of the evaluation rows, or null; never set together with evalImages
 * @param features the number of features, ≥ 1, or {@link #FROM_DATA}
 * @param classes the number of classes, ≥ 2 (exactly 2 for logistic), or {@link #FROM_DATA}
 * @param seed the federation-wide model seed
 * @param learningRate SGD step size, finite and > 0
 * @param batchSize SGD minibatch rows, ≥ 1
 * @param localEpochs passes over the local rows per round, ≥ 1
 * @param hidden MLP hidden units, ≥ 1 (ignored by the other models)
 */
public record TrainerSpec(
    TrainerType type,
    Path trainImages,
    Path trainLabels,
    Path trainCsv,
    Path evalImages,
    Path evalLabels,
    Path evalCsv,
    int features,
    int classes,
    long seed,
    float learningRate,
    int batchSize,
    int localEpochs,
    int hidden) {

  /** Key of the model type. */
  public static final String KEY_TYPE = "trainer.type";

  /** Key of the local training images (IDX3). */
  public static final String KEY_TRAIN_IMAGES = "trainer.trainImages";

  /** Key of the local training labels (IDX1). */
  public static final String KEY_TRAIN_LABELS = "trainer.trainLabels";

  /** Key of the local training CSV. */
  public static final String KEY_TRAIN_CSV = "trainer.trainCsv";

  /** Key of the evaluation images (IDX3). */
  public static final String KEY_EVAL_IMAGES = "trainer.evalImages";

  /** Key of the evaluation labels (IDX1). */
  public static final String KEY_EVAL_LABELS = "trainer.evalLabels";

  /** Key of the evaluation CSV. */
  public static final String KEY_EVAL_CSV = "trainer.evalCsv";

  /** Key of the number of features. */
  public static final String KEY_FEATURES = "trainer.features";

  /** Key of the number of classes. */
  public static final String KEY_CLASSES = "trainer.classes";

  /** Key of the federation-wide model seed. */
  public static final String KEY_SEED = "trainer.seed";

  /** Key of the SGD step size. */
  public static final String KEY_LEARNING_RATE = "trainer.learningRate";

  /** Key of the SGD minibatch size. */
  public static final String KEY_BATCH_SIZE = "trainer.batchSize";

  /** Key of the local epochs per round. */
  public static final String KEY_LOCAL_EPOCHS = "trainer.localEpochs";

  /** Key of the MLP hidden units. */
  public static final String KEY_HIDDEN = "trainer.hidden";

  /** Every {@code trainer.*} key, in the order {@link #toKeys} writes them. */
  public static final List<String> KEYS =
      List.of(
          KEY_TYPE,
          KEY_TRAIN_IMAGES,
          KEY_TRAIN_LABELS,
          KEY_TRAIN_CSV,
          KEY_EVAL_IMAGES,
          KEY_EVAL_LABELS,
          KEY_EVAL_CSV,
          KEY_FEATURES,
          KEY_CLASSES,
          KEY_SEED,
          KEY_LEARNING_RATE,
          KEY_BATCH_SIZE,
          KEY_LOCAL_EPOCHS,
          KEY_HIDDEN);

  /** Value of {@link #features} and {@link #classes} meaning "take it from the data". */
  public static final int FROM_DATA = 0;

  /** Default model seed. */
  public static final long DEFAULT_SEED = 1;

  /** Default local epochs per round. */
  public static final int DEFAULT_LOCAL_EPOCHS = 1;

  /** The defaults of keys.md: softmax, no data, seed 1, learning rate 0.1, batch 32, 1 epoch. */
  public static final TrainerSpec DEFAULT =
      new TrainerSpec(
          TrainerType.SOFTMAX,
          null,
          null,
          null,
          null,
          null,
          null,
          FROM_DATA,
          FROM_DATA,
          DEFAULT_SEED,
          SgdConfig.DEFAULT_LEARNING_RATE,
          SgdConfig.DEFAULT_BATCH_SIZE,
          DEFAULT_LOCAL_EPOCHS,
          Mlp.DEFAULT_HIDDEN);

  /**
   * Validates the combination of keys.
   *
   * @throws IllegalArgumentException naming the key, the value and what is allowed
   */
  public TrainerSpec {
    Objects.requireNonNull(type, KEY_TYPE);
    requirePair(trainImages, KEY_TRAIN_IMAGES, trainLabels, KEY_TRAIN_LABELS);
    requireEither(trainImages, KEY_TRAIN_IMAGES, trainCsv, KEY_TRAIN_CSV);
    requirePair(evalImages, KEY_EVAL_IMAGES, evalLabels, KEY_EVAL_LABELS);
    requireEither(evalImages, KEY_EVAL_IMAGES, evalCsv, KEY_EVAL_CSV);
    if (features != FROM_DATA && features < 1) {
      throw new IllegalArgumentException(KEY_FEATURES + " must be >= 1, got " + features);
    }
    if (classes != FROM_DATA && classes < 2) {
      throw new IllegalArgumentException(KEY_CLASSES + " must be >= 2, got " + classes);
    }
    if (type == TrainerType.LOGISTIC && classes != FROM_DATA && classes != 2) {
      throw new IllegalArgumentException(
          KEY_CLASSES
              + " must be 2 with "
              + KEY_TYPE
              + "="
              + type.configValue()
              + ", got "
              + classes);
    }
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          KEY_LEARNING_RATE + " must be finite and > 0, got " + learningRate);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(KEY_BATCH_SIZE + " must be >= 1, got " + batchSize);
    }
    if (localEpochs < 1) {
      throw new IllegalArgumentException(KEY_LOCAL_EPOCHS + " must be >= 1, got " + localEpochs);
    }
    if (hidden < 1) {
      throw new IllegalArgumentException(KEY_HIDDEN + " must be >= 1, got " + hidden);
    }
    if (features != FROM_DATA && classes != FROM_DATA) {
      checkDimension(type, features, classes, hidden);
    }
  }

  /**
   * Reads the {@code trainer.*} keys through a lookup; an unset or blank key takes its default.
   *
   * @param lookup returns a key's value, or null when the key is unset (for example {@code
   *     properties::getProperty}, or a chain of flag, environment and file)
   * @param baseDirectory the directory relative paths are resolved against
   * @return the validated spec
   * @throws IllegalArgumentException naming the key, the value and the allowed values
   */
  public static TrainerSpec parse(Function<String, String> lookup, Path baseDirectory) {
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Path base = baseDirectory.toAbsolutePath().normalize();
    String typeValue = value(lookup, KEY_TYPE);
    TrainerType type = typeValue == null ? DEFAULT.type : TrainerType.parse(typeValue);
    return new TrainerSpec(
        type,
        path(lookup, KEY_TRAIN_IMAGES, base),
        path(lookup, KEY_TRAIN_LABELS, base),
        path(lookup, KEY_TRAIN_CSV, base),
        path(lookup, KEY_EVAL_IMAGES, base),
        path(lookup, KEY_EVAL_LABELS, base),
        path(lookup, KEY_EVAL_CSV, base),
        intValue(lookup, KEY_FEATURES, FROM_DATA, 1, ">= 1"),
        intValue(lookup, KEY_CLASSES, FROM_DATA, 2, ">= 2"),
        longValue(lookup, KEY_SEED, DEFAULT.seed),
        floatValue(lookup, KEY_LEARNING_RATE, DEFAULT.learningRate),
        intValue(lookup, KEY_BATCH_SIZE, DEFAULT.batchSize, 1, ">= 1"),
        intValue(lookup, KEY_LOCAL_EPOCHS, DEFAULT.localEpochs, 1, ">= 1"),
        intValue(lookup, KEY_HIDDEN, DEFAULT.hidden, 1, ">= 1"));
  }

  /**
   * The keys and values of this spec, for writing a properties file: every key that is set, with
   * paths written relative to a directory when they lie beneath it.
   *
   * @param baseDirectory the directory the properties file will sit in
   * @return the keys in {@link #KEYS} order; {@link #parse} on them (with the same base directory)
   *     gives back an equal spec
   */
  public Map<String, String> toKeys(Path baseDirectory) {
    Path base = baseDirectory.toAbsolutePath().normalize();
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(KEY_TYPE, type.configValue());
    putPath(keys, KEY_TRAIN_IMAGES, trainImages, base);
    putPath(keys, KEY_TRAIN_LABELS, trainLabels, base);
    putPath(keys, KEY_TRAIN_CSV, trainCsv, base);
    putPath(keys, KEY_EVAL_IMAGES, evalImages, base);
    putPath(keys, KEY_EVAL_LABELS, evalLabels, base);
    putPath(keys, KEY_EVAL_CSV, evalCsv, base);
    if (features != FROM_DATA) {
      keys.put(KEY_FEATURES, Integer.toString(features));
    }
    if (classes != FROM_DATA) {
      keys.put(KEY_CLASSES, Integer.toString(classes));
    }
    keys.put(KEY_SEED, Long.toString(seed));
    keys.put(KEY_LEARNING_RATE, Float.toString(learningRate));
    keys.put(KEY_BATCH_SIZE, Integer.toString(batchSize));
    keys.put(KEY_LOCAL_EPOCHS, Integer.toString(localEpochs));
    keys.put(KEY_HIDDEN, Integer.toString(hidden));
    return keys;
  }

  /**
   * A copy with another model type.
   *
   * @param value the type
   * @return the copy
   */
  public TrainerSpec withType(TrainerType value) {
    return new TrainerSpec(
        value,
        trainImages,
        trainLabels,
        trainCsv,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy that trains on IDX files (and no CSV).
   *
   * @param images the IDX3 images
   * @param labels the IDX1 labels
   * @return the copy
   */
  public TrainerSpec withTrainIdx(Path images, Path labels) {
    return new TrainerSpec(
        type,
        images,
        labels,
        null,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy that trains on a CSV file (and no IDX files).
   *
   * @param csv the CSV file
   * @return the copy
   */
  public TrainerSpec withTrainCsv(Path csv) {
    return new TrainerSpec(
        type,
        null,
        null,
        csv,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy that evaluates on IDX files (and no CSV).
   *
   * @param images the IDX3 images
   * @param labels the IDX1 labels
   * @return the copy
   */
  public TrainerSpec withEvalIdx(Path images, Path labels) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        images,
        labels,
        null,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy that evaluates on a CSV file (and no IDX files).
   *
   * @param csv the CSV file
   * @return the copy
   */
  public TrainerSpec withEvalCsv(Path csv) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        null,
        null,
        csv,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy without any training or evaluation file.
   *
   * @return the copy
   */
  public TrainerSpec withoutData() {
    return new TrainerSpec(
        type,
        null,
        null,
        null,
        null,
        null,
        null,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy with a declared shape.
   *
   * @param featureCount the features, ≥ 1, or {@link #FROM_DATA}
   * @param classCount the classes, ≥ 2, or {@link #FROM_DATA}
   * @return the copy
   */
  public TrainerSpec withShape(int featureCount, int classCount) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        evalImages,
        evalLabels,
        evalCsv,
        featureCount,
        classCount,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy with another model seed.
   *
   * @param value the seed
   * @return the copy
   */
  public TrainerSpec withSeed(long value) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        value,
        learningRate,
        batchSize,
        localEpochs,
        hidden);
  }

  /**
   * A copy with other SGD hyper-parameters.
   *
   * @param rate the learning rate
   * @param batch the batch size
   * @param epochs the local epochs
   * @return the copy
   */
  public TrainerSpec withSgd(float rate, int batch, int epochs) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        seed,
        rate,
        batch,
        epochs,
        hidden);
  }

  /**
   * A copy with another number of MLP hidden units.
   *
   * @param value the hidden units
   * @return the copy
   */
  public TrainerSpec withHidden(int value) {
    return new TrainerSpec(
        type,
        trainImages,
        trainLabels,
        trainCsv,
        evalImages,
        evalLabels,
        evalCsv,
        features,
        classes,
        seed,
        learningRate,
        batchSize,
        localEpochs,
        value);
  }

  /**
   * Whether training data is configured (what a peer needs).
   *
   * @return true if trainImages or trainCsv is set
   */
  public boolean hasTrainData() {
    return trainImages != null || trainCsv != null;
  }

  /**
   * Whether evaluation data is configured.
   *
   * @return true if evalImages or evalCsv is set
   */
  public boolean hasEvalData() {
    return evalImages != null || evalCsv != null;
  }

  /**
   * The SGD hyper-parameters of the spec.
   *
   * @return the config (no fixed step count, no weight decay)
   */
  public SgdConfig sgdConfig() {
    return new SgdConfig(learningRate, batchSize, localEpochs, 0, 0f);
  }

  /**
   * The model's number of parameters for a shape.
   *
   * @param featureCount D, ≥ 1
   * @param classCount C, ≥ 2 (exactly 2 for logistic)
   * @return softmax C·D + C, MLP H·D + H + C·H + C, logistic D + 1
   * @throws IllegalArgumentException if the shape does not fit the model
   */
  public int dimensionFor(int featureCount, int classCount) {
    return checkDimension(type, featureCount, classCount, hidden);
  }

  /**
   * The model's number of parameters from {@code trainer.features} and {@code trainer.classes}
   * alone, without reading any data.
   *
   * @return the dimension, or empty if either key is unset
   */
  public OptionalInt declaredDimension() {
    if (features == FROM_DATA || classes == FROM_DATA) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(dimensionFor(features, classes));
  }

  /**
   * Builds a peer's trainer: loads the local training data (and the evaluation data if set) and
   * creates the model.
   *
   * <p>Without evaluation data, {@link SgdTrainer#evaluate} reports an empty evaluation (count 0);
   * a peer's training rows are not a held-out set.
   *
   * @param peerSeed seeds this peer's minibatch order only (for example derived from its peer id);
   *     the initial weights come from {@link #seed()}
   * @return the trainer; {@link SgdTrainer#localRows()} is the sample count of every delta
   * @throws IllegalArgumentException if no training data is configured, or the files disagree with
   *     each other, with the declared shape or with the model, naming the key and file
   * @throws DatasetFormatException if a file is malformed
   * @throws IOException if a file cannot be read
   */
  public SgdTrainer build(long peerSeed) throws IOException {
    if (!hasTrainData()) {
      throw new IllegalArgumentException(
          KEY_TRAIN_IMAGES
              + " with "
              + KEY_TRAIN_LABELS
              + ", or "
              + KEY_TRAIN_CSV
              + ", is REQUIRED to train; none is set");
    }
    Dataset train =
        trainImages != null
            ? readIdx(trainImages, trainLabels, false)
            : readCsv(trainCsv, KEY_TRAIN_CSV);
    Dataset eval = null;
    if (hasEvalData()) {
      eval =
          evalImages != null
              ? readIdx(evalImages, evalLabels, true)
              : readCsv(evalCsv, KEY_EVAL_CSV);
    }
    int d = resolveFeatures(train, trainImages != null ? KEY_TRAIN_IMAGES : KEY_TRAIN_CSV);
    if (eval != null) {
      resolveFeatures(eval, evalImages != null ? KEY_EVAL_IMAGES : KEY_EVAL_CSV);
    }
    int c = resolveClasses(train, eval);
    Dataset trainData = conform(train, c, trainImages != null ? KEY_TRAIN_LABELS : KEY_TRAIN_CSV);
    Dataset evalData =
        eval == null
            ? empty(d, c)
            : conform(eval, c, evalImages != null ? KEY_EVAL_LABELS : KEY_EVAL_CSV);
    return create(trainData, trainData.allRows(), evalData, peerSeed);
  }

  /**
   * Builds a trainer that only evaluates, for the coordinator: it holds no training rows (its
   * {@link SgdTrainer#train} returns a zero delta with sample count 0) and evaluates on the
   * evaluation data if set. Its initial weights equal every peer's with the same seed and shape.
   *
   * @return the evaluator; with no evaluation data, {@link SgdTrainer#evaluate} reports count 0
   * @throws IllegalArgumentException if there is no evaluation data and the shape is not declared,
   *     or the files disagree with the declared shape or with the model
   * @throws DatasetFormatException if a file is malformed
   * @throws IOException if a file cannot be read
   */
  public SgdTrainer buildEvaluator() throws IOException {
    if (!hasEvalData()) {
      if (features == FROM_DATA || classes == FROM_DATA) {
        throw new IllegalArgumentException(
            KEY_FEATURES
                + " and "
                + KEY_CLASSES
                + " are REQUIRED without evaluation data ("
                + KEY_EVAL_IMAGES
                + "/"
                + KEY_EVAL_LABELS
                + " or "
                + KEY_EVAL_CSV
                + "); got "
                + KEY_FEATURES
                + "="
                + (features == FROM_DATA ? "(unset)" : features)
                + ", "
                + KEY_CLASSES
                + "="
                + (classes == FROM_DATA ? "(unset)" : classes));
      }
      Dataset none = empty(features, classes);
      return create(none, new int[0], none, 0);
    }
    Dataset eval =
        evalImages != null ? readIdx(evalImages, evalLabels, true) : readCsv(evalCsv, KEY_EVAL_CSV);
    int d = resolveFeatures(eval, evalImages != null ? KEY_EVAL_IMAGES : KEY_EVAL_CSV);
    int c = resolveClasses(eval, null);
    Dataset evalData = conform(eval, c, evalImages != null ? KEY_EVAL_LABELS : KEY_EVAL_CSV);
    return create(empty(d, c), new int[0], evalData, 0);
  }

  private SgdTrainer create(Dataset train, int[] rows, Dataset eval, long orderSeed) {
    dimensionFor(train.featureCount(), train.classes());
    SgdConfig config = sgdConfig();
    return switch (type) {
      case SOFTMAX -> new SoftmaxRegression(train, rows, eval, config, seed, orderSeed);
      case MLP -> new Mlp(train, rows, eval, hidden, config, seed, orderSeed);
      case LOGISTIC -> new LogisticRegression(train, rows, eval, config, seed, orderSeed);
    };
  }

  private int resolveFeatures(Dataset data, String key) {
    if (features != FROM_DATA && data.featureCount() != features) {
      throw new IllegalArgumentException(
          key
              + " holds "
              + data.featureCount()
              + " features per row but "
              + KEY_FEATURES
              + "="
              + features);
    }
    return data.featureCount();
  }

  private int resolveClasses(Dataset a, Dataset b) {
    if (classes != FROM_DATA) {
      return classes;
    }
    int c = a.classes();
    if (b != null) {
      c = Math.max(c, b.classes());
    }
    if (type == TrainerType.LOGISTIC && c != 2) {
      throw new IllegalArgumentException(
          KEY_TYPE
              + "="
              + type.configValue()
              + " needs labels 0 and 1, but the data holds labels up to "
              + (c - 1));
    }
    return c;
  }

  private static int checkDimension(TrainerType type, int features, int classes, int hidden) {
    return switch (type) {
      case SOFTMAX -> SoftmaxRegression.dimensionFor(features, classes);
      case MLP -> Mlp.dimensionFor(features, hidden, classes);
      case LOGISTIC -> {
        if (classes != 2) {
          throw new IllegalArgumentException(
              KEY_TYPE + "=" + type.configValue() + " needs 2 classes, got " + classes);
        }
        yield features + 1;
      }
    };
  }

  /** The data set with exactly {@code c} classes; every label must be below c. */
  private static Dataset conform(Dataset data, int c, String key) {
    int[] labels = data.labels();
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] >= c) {
        throw new IllegalArgumentException(
            key
                + ": label "
                + labels[r]
                + " of row "
                + r
                + " must be in [0, "
                + c
                + ") ("
                + KEY_CLASSES
                + " or the labels seen)");
      }
    }
    if (data.classes() == c) {
      return data;
    }
    return new Dataset(data.features(), data.featureCount(), labels, c, data.featureNames());
  }

  private static Dataset empty(int featureCount, int classCount) {
    return new Dataset(new float[0], featureCount, new int[0], classCount, List.of());
  }

  private static Dataset readIdx(Path images, Path labels, boolean eval) throws IOException {
    requireFile(images, eval ? KEY_EVAL_IMAGES : KEY_TRAIN_IMAGES);
    requireFile(labels, eval ? KEY_EVAL_LABELS : KEY_TRAIN_LABELS);
    return IdxReader.read(images, labels);
  }

  private static Dataset readCsv(Path csv, String key) throws IOException {
    requireFile(csv, key);
    byte[] bytes = Files.readAllBytes(csv);
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
      end++;
    }
    String header = new String(bytes, 0, end, StandardCharsets.UTF_8);
    int columns = header.isBlank() ? 0 : header.split(",", -1).length;
    if (columns < 2) {
      throw new DatasetFormatException(
          csv.toString(),
          "line 1: header must name >= 1 feature and the label (last column), got "
              + columns
              + " columns");
    }
    return CsvReader.readNumeric(
        new ByteArrayInputStream(bytes), csv.toString(), true, columns - 1);
  }

  private static void requireFile(Path file, String key) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(key + "=" + file + " is not a readable file");
    }
  }

  private static void requirePair(Path a, String keyA, Path b, String keyB) {
    if ((a == null) != (b == null)) {
      throw new IllegalArgumentException(
          keyA + " and " + keyB + " must be set together, got only " + (a == null ? keyB : keyA));
    }
  }

  private static void requireEither(Path idx, String keyIdx, Path csv, String keyCsv) {
    if (idx != null && csv != null) {
      throw new IllegalArgumentException(
          "set either " + keyIdx + " (IDX) or " + keyCsv + " (CSV), not both");
    }
  }

  private static void putPath(Map<String, String> keys, String key, Path value, Path base) {
    if (value == null) {
      return;
    }
    Path abs = value.toAbsolutePath().normalize();
    Path written = abs.startsWith(base) ? base.relativize(abs) : abs;
    // Forward slashes on every platform: a backslash is an escape in a properties file.
    keys.put(key, written.toString().replace('\\', '/'));
  }

  private static String value(Function<String, String> lookup, String key) {
    String v = lookup.apply(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Path path(Function<String, String> lookup, String key, Path base) {
    String v = value(lookup, key);
    if (v == null) {
      return null;
    }
    try {
      return base.resolve(v).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(key + " must be a file path, got '" + v + "'", e);
    }
  }

  private static int intValue(
      Function<String, String> lookup, String key, int defaultValue, int min, String allowed) {
    String v = value(lookup, key);
    if (v == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " must be an integer " + allowed + ", got '" + v + "'");
    }
    if (parsed < min) {
      throw new IllegalArgumentException(key + " must be " + allowed + ", got " + parsed);
    }
    return parsed;
  }

  private static long longValue(Function<String, String> lookup, String key, long defaultValue) {
    String v = value(lookup, key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key
              + " must be an integer in ["
              + Long.MIN_VALUE
              + ", "
              + Long.MAX_VALUE
              + "], got '"
              + v
              + "'");
    }
  }

  private static float floatValue(Function<String, String> lookup, String key, float defaultValue) {
    String v = value(lookup, key);
    if (v == null) {
      return defaultValue;
    }
    float parsed;
    try {
      parsed = Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number > 0, got '" + v + "'");
    }
    if (!(parsed > 0) || !Float.isFinite(parsed)) {
      throw new IllegalArgumentException(key + " must be finite and > 0, got '" + v + "'");
    }
    return parsed;
  }
}
