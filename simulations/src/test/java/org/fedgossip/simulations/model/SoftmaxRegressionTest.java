package org.fedgossip.simulations.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.simulations.data.BundledDatasets;
import org.fedgossip.simulations.data.Dataset;
import org.fedgossip.simulations.data.TrainTestSplit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

  private static TrainTestSplit mnist;

  @BeforeAll
  static void load() {
    mnist = BundledDatasets.mnistSplit();
  }

  @Test
  void centralizedTrainingOnMnistReachesAtLeast89PercentHeldOut() {
    // Measured: 91.05% held-out accuracy after 5 epochs at learning rate 0.1, batch 32, seed 1.
    CentralizedBaseline.Result result =
        CentralizedBaseline.train(SoftmaxRegression::new, mnist, SgdConfig.DEFAULT, 5, 1);

    assertThat(result.test().count()).isEqualTo(2000);
    assertThat(result.test().accuracy()).isGreaterThanOrEqualTo(0.89);
    assertThat(result.test().loss()).isLessThan(0.40);
  }

  @Test
  void untrainedModelIsNearChanceAndHasLossNearLogTen() {
    SoftmaxRegression model =
        new SoftmaxRegression(mnist.train(), new int[0], mnist.test(), SgdConfig.DEFAULT, 1);

    Evaluation e = model.evaluate(model.initialWeights());

    assertThat(e.accuracy()).isLessThan(0.3);
    assertThat(e.loss()).isBetween(Math.log(10) - 0.2, Math.log(10) + 0.2);
  }

  @Test
  void trainReturnsNewMinusGlobalAndTheLocalRowCount() {
    int[] rows = {5, 9, 100, 200, 300, 400, 500};
    SgdConfig config = SgdConfig.DEFAULT.withBatchSize(3);
    SoftmaxRegression model = new SoftmaxRegression(mnist.train(), rows, mnist.test(), config, 4);
    float[] global = model.initialWeights();
    float[] before = global.clone();

    TrainingResult result = model.train(global, 2);

    assertThat(global).as("train must not modify its argument").containsExactly(before);
    assertThat(result.samples()).isEqualTo(rows.length);
    // Replay the same SGD by hand through lossAndGradient is not possible without the shuffle, so
    // check the defining identity on a one-row, one-step run instead: new = global - lr * grad.
    SoftmaxRegression single =
        new SoftmaxRegression(
            mnist.train(), new int[] {42}, mnist.test(), SgdConfig.DEFAULT.withLocalSteps(1), 4);
    float[] grad = new float[global.length];
    single.lossAndGradient(global, new int[] {42}, grad);
    float[] delta = single.train(global, 0).delta();
    for (int j = 0; j < global.length; j++) {
      float expectedNew = global[j] - SgdConfig.DEFAULT_LEARNING_RATE * grad[j];
      assertThat(delta[j]).isEqualTo(expectedNew - global[j]);
    }
    assertThat(result.delta()).isNotEqualTo(new float[global.length]);
  }

  @Test
  void sameSeedGivesBitIdenticalWeightsAndAnotherRoundChangesTheOrder() {
    int[] rows = new int[300];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = 7 * i;
    }
    SoftmaxRegression a =
        new SoftmaxRegression(mnist.train(), rows, mnist.test(), SgdConfig.DEFAULT, 8);
    SoftmaxRegression b =
        new SoftmaxRegression(mnist.train(), rows, mnist.test(), SgdConfig.DEFAULT, 8);

    assertThat(a.initialWeights()).containsExactly(b.initialWeights());
    float[] w = a.initialWeights();
    float[] da = a.train(w, 3).delta();
    float[] db = b.train(w, 3).delta();
    float[] again = a.train(w, 3).delta();
    float[] otherRound = a.train(w, 4).delta();

    assertThat(da).containsExactly(db);
    assertThat(again).containsExactly(da);
    assertThat(otherRound).isNotEqualTo(da);
    assertThat(
            new SoftmaxRegression(mnist.train(), rows, mnist.test(), SgdConfig.DEFAULT, 9)
                .initialWeights())
        .isNotEqualTo(w);
  }

  @Test
  void lossStaysFiniteForHugeLogits() {
    Dataset tiny = new Dataset(new float[] {1e4f, -1e4f}, 2, new int[] {1}, 2, List.of());
    SoftmaxRegression model =
        new SoftmaxRegression(tiny, tiny.allRows(), tiny, SgdConfig.DEFAULT, 0);
    float[] w = {100f, 0f, -100f, 0f, 0f, 0f};

    Evaluation e = model.evaluate(w);

    // logits (1e6, -1e6): the loss is 2e6 nats, finite, not Infinity or NaN.
    assertThat(e.loss()).isEqualTo(2e6, org.assertj.core.api.Assertions.within(1.0));
    assertThat(e.accuracy()).isEqualTo(0.0);
  }

  @Test
  void rejectsWeightsOfTheWrongLengthNamingIt() {
    SoftmaxRegression model =
        new SoftmaxRegression(mnist.train(), new int[] {0}, mnist.test(), SgdConfig.DEFAULT, 1);

    assertThatThrownBy(() -> model.train(new float[3], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("globalWeights must have length 7850, got 3");
    assertThatThrownBy(() -> model.train(model.initialWeights(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("round must be >= 0, got -1");
  }

  @Test
  void divergingTrainingFailsWithAHintInsteadOfReturningNaN() {
    Dataset huge = new Dataset(new float[] {1e30f, 1e30f}, 1, new int[] {0, 1}, 2, List.of());
    SoftmaxRegression model =
        new SoftmaxRegression(
            huge, huge.allRows(), huge, SgdConfig.DEFAULT.withLearningRate(1e9f), 1);

    assertThatThrownBy(() -> model.train(model.initialWeights(), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("local training diverged")
        .hasMessageContaining("lower learningRate (now 1.0E9)");
  }
}
