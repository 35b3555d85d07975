package org.fedgossip.simulations.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GammaSamplerTest {

  @ParameterizedTest(name = "shape {0}")
  @ValueSource(doubles = {0.1, 0.5, 1, 2.5, 10})
  void sampleMeanAndVarianceMatchTheShape(double shape) {
    // Gamma(k, 1) has mean k and variance k. With 200,000 draws the standard error of the mean is
    // sqrt(k / 2e5) and that of the variance about sqrt((2k² + 6k) / 2e5); 5 standard errors.
    SplittableRandom random = new SplittableRandom(42);
    int n = 200_000;
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double g = GammaSampler.gamma(shape, random);
      sum += g;
      sq += g * g;
    }
    double mean = sum / n;
    double variance = sq / n - mean * mean;
    assertThat(mean).isCloseTo(shape, within(5 * Math.sqrt(shape / n)));
    assertThat(variance)
        .isCloseTo(shape, within(5 * Math.sqrt((2 * shape * shape + 6 * shape) / n)));
  }

  @Property(tries = 200)
  void dirichletDrawsAreProportionsEvenForTinyAlpha(
      @ForAll @DoubleRange(min = 0.0001, max = 100) @Scale(5) double alpha,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll long seed) {
    double[] q = GammaSampler.symmetricDirichlet(alpha, k, new SplittableRandom(seed));

    double sum = 0;
    for (double v : q) {
      assertThat(v).isBetween(0.0, 1.0);
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-9));
  }
}
