package org.fedgossip.simulations.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fedgossip.simulations.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares each model's analytic gradient with central finite differences of its loss.
 *
 * <p>Tolerance: the forward pass runs in float32, so each loss carries a rounding error of about
 * 1e-7 relative (a few ulps of logits of order 1). A central difference with step h = 1e-3 divides
 * that error by 2h, giving about 1e-4 absolute, while its truncation error is h²/6·f''' ≈ 1e-7. We
 * therefore allow |numeric − analytic| ≤ 1e-3 + 1e-2·|analytic|, ten times the expected error,
 * still far below the size of a wrong gradient (a missed term or sign is of order 0.1).
 */
class GradientCheckTest {

  private static final double STEP = 1e-3;

  private static Dataset randomData(int rows, int features, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rows * features];
    int[] y = new int[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * random.nextDouble() - 1);
    }
    for (int r = 0; r < rows; r++) {
      y[r] = r % classes;
    }
    return new Dataset(x, features, y, classes, List.of());
  }

  static Stream<Arguments> models() {
    Dataset multi = randomData(7, 5, 3, 11);
    Dataset binary = randomData(7, 5, 2, 12);
    return Stream.of(
        Arguments.of(
            "softmax regression",
            new SoftmaxRegression(multi, multi.allRows(), multi, SgdConfig.DEFAULT, 1)),
        Arguments.of("mlp", new Mlp(multi, multi.allRows(), multi, 4, SgdConfig.DEFAULT, 2)),
        Arguments.of(
            "logistic regression",
            new LogisticRegression(binary, binary.allRows(), binary, SgdConfig.DEFAULT, 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void analyticGradientMatchesCentralFiniteDifferences(String name, SgdTrainer model) {
    float[] w = model.initialWeights();
    // Move away from the near-symmetric start so that every parameter has a sizeable gradient.
    SplittableRandom random = new SplittableRandom(99);
    for (int j = 0; j < w.length; j++) {
      w[j] += (float) (0.5 * (2 * random.nextDouble() - 1));
    }
    int[] rows = {0, 1, 2, 3, 4, 5, 6};
    float[] analytic = new float[w.length];
    model.lossAndGradient(w, rows, analytic);
    float[] scratch = new float[w.length];

    double largest = 0;
    for (int j = 0; j < w.length; j++) {
      float original = w[j];
      w[j] = (float) (original + STEP);
      float up = w[j];
      double lossUp = model.lossAndGradient(w, rows, scratch);
      w[j] = (float) (original - STEP);
      float down = w[j];
      double lossDown = model.lossAndGradient(w, rows, scratch);
      w[j] = original;
      // Divide by the step actually taken in float, not by the nominal 2h.
      double numeric = (lossUp - lossDown) / ((double) up - down);
      assertThat(Math.abs(numeric - analytic[j]))
          .as("%s parameter %d: numeric %s vs analytic %s", name, j, numeric, analytic[j])
          .isLessThanOrEqualTo(1e-3 + 1e-2 * Math.abs(analytic[j]));
      largest = Math.max(largest, Math.abs(analytic[j]));
    }
    assertThat(largest).as("the check must not pass on all-zero gradients").isGreaterThan(0.05);
  }
}
