package org.fedgossip.simulations.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.CsvWriter;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.IdxWriter;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerSpecTest {

  @TempDir static Path shared;

  private static Dataset digits;

  @TempDir Path dir;

  @BeforeAll
  static void writeDigits() throws IOException {
    digits = BundledDatasets.mnist10k().range(0, 1_000);
    IdxWriter.write(
        shared.resolve("train-images.idx"),
        shared.resolve("train-labels.idx"),
        digits.range(0, 800),
        28,
        28);
    IdxWriter.write(
        shared.resolve("eval-images.idx"),
        shared.resolve("eval-labels.idx"),
        digits.range(800, 1_000),
        28,
        28);
  }

  private static TrainerSpec parse(Map<String, String> keys, Path base) {
    return TrainerSpec.parse(keys::get, base);
  }

  private static Map<String, String> digitKeys() {
    Map<String, String> keys = new HashMap<>();
    keys.put("trainer.type", "softmax");
    keys.put("trainer.trainImages", "train-images.idx");
    keys.put("trainer.trainLabels", "train-labels.idx");
    keys.put("trainer.evalImages", "eval-images.idx");
    keys.put("trainer.evalLabels", "eval-labels.idx");
    keys.put("trainer.classes", "10");
    keys.put("trainer.features", "784");
    return keys;
  }

  private static float[] step(float[] w, float[] delta) {
    float[] next = w.clone();
    for (int j = 0; j < next.length; j++) {
      next[j] += delta[j];
    }
    return next;
  }

  @Test
  void unsetKeysTakeTheDefaultsOfTheKeyContract() {
    TrainerSpec spec = parse(Map.of(), Path.of("."));

    assertThat(spec).isEqualTo(TrainerSpec.DEFAULT);
    assertThat(spec.type()).isEqualTo(TrainerType.SOFTMAX);
    assertThat(spec.seed()).isEqualTo(1);
    assertThat(spec.learningRate()).isEqualTo(0.1f);
    assertThat(spec.batchSize()).isEqualTo(32);
    assertThat(spec.localEpochs()).isEqualTo(1);
    assertThat(spec.hidden()).isEqualTo(64);
    assertThat(spec.hasTrainData()).isFalse();
    assertThat(spec.declaredDimension()).isEmpty();
  }

  @Test
  void relativePathsResolveAgainstTheBaseDirectoryAndToKeysParsesBackToAnEqualSpec() {
    Map<String, String> keys = digitKeys();
    keys.put("trainer.type", "MLP");
    keys.put("trainer.hidden", "16");
    keys.put("trainer.seed", "-42");
    keys.put("trainer.learningRate", "0.05");
    keys.put("trainer.batchSize", " 8 ");
    keys.put("trainer.localEpochs", "2");

    TrainerSpec spec = parse(keys, dir);

    assertThat(spec.trainImages()).isEqualTo(dir.toAbsolutePath().resolve("train-images.idx"));
    assertThat(spec.type()).isEqualTo(TrainerType.MLP);
    assertThat(spec.sgdConfig()).isEqualTo(new SgdConfig(0.05f, 8, 2, 0, 0f));
    assertThat(spec.declaredDimension()).hasValue(Mlp.dimensionFor(784, 16, 10));
    Map<String, String> written = spec.toKeys(dir);
    assertThat(written)
        .containsEntry("trainer.trainImages", "train-images.idx")
        .containsEntry("trainer.type", "mlp")
        .containsEntry("trainer.seed", "-42");
    assertThat(parse(written, dir)).isEqualTo(spec);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "trainer.type|svm|softmax, mlp, logistic",
        "trainer.batchSize|0|>= 1",
        "trainer.batchSize|many|'many'",
        "trainer.localEpochs|-1|>= 1",
        "trainer.hidden|0|>= 1",
        "trainer.features|0|>= 1",
        "trainer.classes|1|>= 2",
        "trainer.learningRate|-0.1|> 0",
        "trainer.learningRate|NaN|> 0",
        "trainer.learningRate|fast|'fast'",
        "trainer.seed|1.5|'1.5'"
      })
  void aBadValueIsRefusedNamingTheKeyTheValueAndWhatIsAllowed(
      String key, String value, String allowed) {
    assertThatThrownBy(() -> parse(Map.of(key, value), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value)
        .hasMessageContaining(allowed);
  }

  @Test
  void inconsistentDataKeysAreRefusedNamingBothKeys() {
    assertThatThrownBy(() -> parse(Map.of("trainer.trainImages", "a.idx"), dir))
        .hasMessageContaining("trainer.trainImages and trainer.trainLabels must be set together");
    assertThatThrownBy(() -> parse(Map.of("trainer.evalLabels", "a.idx"), dir))
        .hasMessageContaining("trainer.evalImages and trainer.evalLabels");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "trainer.trainImages",
                        "a",
                        "trainer.trainLabels",
                        "b",
                        "trainer.trainCsv",
                        "c"),
                    dir))
        .hasMessageContaining("either trainer.trainImages (IDX) or trainer.trainCsv (CSV)");
    assertThatThrownBy(
            () -> parse(Map.of("trainer.type", "logistic", "trainer.classes", "10"), dir))
        .hasMessageContaining("trainer.classes must be 2 with trainer.type=logistic, got 10");
  }

  @Test
  void aPeerWithoutTrainingDataOrWithAMissingFileGetsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> parse(Map.of(), dir).build(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainer.trainImages")
        .hasMessageContaining("trainer.trainCsv")
        .hasMessageContaining("REQUIRED");
    Map<String, String> keys = digitKeys();
    keys.put("trainer.trainLabels", "missing.idx");
    assertThatThrownBy(() -> parse(keys, shared).build(1))
        .hasMessageContaining("trainer.trainLabels=")
        .hasMessageContaining("missing.idx");
  }

  @Test
  void aTrainerBuiltFromIdxFilesLowersTheHeldOutLossAndEveryProcessStartsFromTheSameWeights()
      throws IOException {
    TrainerSpec spec = parse(digitKeys(), shared);

    SgdTrainer peerA = spec.build(11);
    SgdTrainer peerB = spec.build(12);
    SgdTrainer coordinator = spec.buildEvaluator();

    assertThat(peerA.localRows()).isEqualTo(800);
    assertThat(peerA.dimension()).isEqualTo(7_850).isEqualTo(spec.declaredDimension().getAsInt());
    assertThat(peerA.initialWeights())
        .containsExactly(peerB.initialWeights())
        .containsExactly(coordinator.initialWeights())
        .containsExactly(parse(digitKeys(), shared).buildEvaluator().initialWeights());
    assertThat(spec.withSeed(2).buildEvaluator().initialWeights())
        .isNotEqualTo(peerA.initialWeights());
    float[] w0 = peerA.initialWeights();
    // The peer seed orders the minibatches, so two peers on the same rows give different deltas.
    assertThat(peerA.train(w0, 0).delta()).isNotEqualTo(peerB.train(w0, 0).delta());

    Evaluation before = coordinator.evaluate(w0);
    float[] w = w0;
    for (long round = 0; round < 3; round++) {
      w = step(w, peerA.train(w, round).delta());
    }
    Evaluation after = coordinator.evaluate(w);

    assertThat(before.count()).isEqualTo(200);
    assertThat(after.loss()).isLessThan(before.loss() * 0.5);
    assertThat(after.accuracy()).isGreaterThan(0.75);
    assertThat(peerA.evaluate(w).loss()).isEqualTo(after.loss());
  }

  @ParameterizedTest(name = "trainer.type={0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"softmax", "mlp", "logistic"})
  void thePeerSeedOrdersTheMinibatchesButNeverChangesTheInitialWeights(String type)
      throws IOException {
    Map<String, String> keys = new HashMap<>(Map.of("trainer.type", type, "trainer.hidden", "8"));
    if (type.equals("logistic")) {
      CsvWriter.write(dir.resolve("train.csv"), BundledDatasets.breastCancerSplit(2).train());
      keys.put("trainer.trainCsv", "train.csv");
      keys.put("trainer.features", "30");
      keys.put("trainer.classes", "2");
    } else {
      keys.put("trainer.trainImages", shared.resolve("train-images.idx").toString());
      keys.put("trainer.trainLabels", shared.resolve("train-labels.idx").toString());
      keys.put("trainer.features", "784");
      keys.put("trainer.classes", "10");
    }
    TrainerSpec spec = parse(keys, dir);
    // An absolute path outside the base directory is written back as it is.
    assertThat(parse(spec.toKeys(dir), dir)).isEqualTo(spec);

    SgdTrainer first = spec.build(1);
    SgdTrainer second = spec.build(99);
    SgdTrainer evaluator = spec.withoutData().buildEvaluator();
    float[] w = first.initialWeights();

    assertThat(second.initialWeights()).isEqualTo(w);
    assertThat(evaluator.initialWeights()).isEqualTo(w);
    assertThat(evaluator.dimension()).isEqualTo(spec.declaredDimension().getAsInt());
    assertThat(first.train(w, 0).delta()).isNotEqualTo(second.train(w, 0).delta());
    assertThat(first.train(w, 0).delta()).isEqualTo(spec.build(1).train(w, 0).delta());
  }

  @Test
  void declaredClassesWinOverAPartitionThatMissesTheTopLabels() throws IOException {
    int[] lowLabels =
        java.util.stream.IntStream.range(0, 800).filter(r -> digits.labels()[r] < 5).toArray();
    IdxWriter.write(dir.resolve("i.idx"), dir.resolve("l.idx"), digits.select(lowLabels), 28, 28);
    Map<String, String> keys =
        new HashMap<>(Map.of("trainer.trainImages", "i.idx", "trainer.trainLabels", "l.idx"));

    assertThat(parse(keys, dir).build(1).dimension()).isEqualTo(5 * 784 + 5);
    keys.put("trainer.classes", "10");
    SgdTrainer trainer = parse(keys, dir).build(1);
    assertThat(trainer.dimension()).isEqualTo(7_850);
    assertThat(trainer.evaluate(trainer.initialWeights()).count()).isZero();

    keys.put("trainer.classes", "3");
    assertThatThrownBy(() -> parse(keys, dir).build(1))
        .hasMessageContaining("trainer.trainLabels")
        .hasMessageContaining("must be in [0, 3)");
    keys.put("trainer.classes", "10");
    keys.put("trainer.features", "100");
    assertThatThrownBy(() -> parse(keys, dir).build(1))
        .hasMessageContaining("784 features")
        .hasMessageContaining("trainer.features=100");
  }

  @Test
  void aCoordinatorWithoutEvalDataNeedsTheDeclaredShape() throws IOException {
    assertThatThrownBy(() -> parse(Map.of("trainer.classes", "10"), dir).buildEvaluator())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainer.features and trainer.classes are REQUIRED")
        .hasMessageContaining("trainer.features=(unset)");

    SgdTrainer evaluator =
        parse(Map.of("trainer.features", "784", "trainer.classes", "10"), dir).buildEvaluator();
    float[] w = evaluator.initialWeights();

    assertThat(evaluator.dimension()).isEqualTo(7_850);
    assertThat(w).containsExactly(parse(digitKeys(), shared).build(3).initialWeights());
    assertThat(evaluator.evaluate(w).count()).isZero();
    assertThat(evaluator.train(w, 0).samples()).isZero();
  }

  @Test
  void aLogisticTrainerBuiltFromStandardisedCsvLearnsBreastCancer() throws IOException {
    TrainTestSplit split = BundledDatasets.breastCancerSplit(1);
    CsvWriter.write(dir.resolve("train.csv"), split.train());
    CsvWriter.write(dir.resolve("eval.csv"), split.test());
    TrainerSpec spec =
        parse(
            Map.of(
                "trainer.type", "logistic",
                "trainer.trainCsv", "train.csv",
                "trainer.evalCsv", "eval.csv"),
            dir);

    SgdTrainer peer = spec.build(5);
    SgdTrainer coordinator = spec.buildEvaluator();
    float[] w = peer.initialWeights();
    Evaluation before = coordinator.evaluate(w);
    for (long round = 0; round < 3; round++) {
      w = step(w, peer.train(w, round).delta());
    }
    Evaluation after = coordinator.evaluate(w);

    assertThat(peer).isInstanceOf(LogisticRegression.class);
    assertThat(peer.dimension()).isEqualTo(31);
    assertThat(coordinator.initialWeights()).containsExactly(peer.initialWeights());
    assertThat(after.loss()).isLessThan(before.loss());
    assertThat(after.accuracy()).isGreaterThan(0.9);
  }

  @Test
  void logisticRefusesMulticlassData() {
    Map<String, String> keys = digitKeys();
    keys.remove("trainer.classes");
    keys.put("trainer.type", "logistic");
    assertThatThrownBy(() -> parse(keys, shared).build(1))
        .hasMessageContaining("trainer.type=logistic needs labels 0 and 1")
        .hasMessageContaining("up to 9");
  }

  @Test
  void aCsvWithoutALabelColumnIsRefused() throws IOException {
    Files.writeString(dir.resolve("one.csv"), "only\n1\n");
    assertThatThrownBy(() -> parse(Map.of("trainer.trainCsv", "one.csv"), dir).build(1))
        .hasMessageContaining("one.csv")
        .hasMessageContaining("last column");
  }
}
