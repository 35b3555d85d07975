package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianMechanismTest {

  private static final long SEED = 20261123L;

  @Test
  void seededSourceIsDeterministic() {
    GaussianMechanism first = new GaussianMechanism(1.0, 2.0, GaussianSource.seeded(SEED));
    GaussianMechanism second = new GaussianMechanism(1.0, 2.0, GaussianSource.seeded(SEED));
    float[] input = new float[100];

    assertThat(first.addNoise(input)).isEqualTo(second.addNoise(input));
  }

  @Test
  void noiseHasMeanZeroAndStandardDeviationSigmaTimesC() {
    double sigma = 1.5;
    double clipNorm = 0.4;
    GaussianMechanism mechanism =
        new GaussianMechanism(sigma, clipNorm, GaussianSource.seeded(SEED));
    int n = 200_000;
    float[] input = new float[n];
    java.util.Arrays.fill(input, 1.0f);

    float[] noised = mechanism.addNoise(input);

    double sum = 0;
    double sumSq = 0;
    for (float v : noised) {
      double noise = v - 1.0;
      sum += noise;
      sumSq += noise * noise;
    }
    double mean = sum / n;
    double stdDev = Math.sqrt(sumSq / n - mean * mean);
    double expected = sigma * clipNorm;
    // Standard errors: mean 0.6/sqrt(n) = 0.0013, std dev 0.6/sqrt(2n) = 0.00095; allow ~5 of them.
    assertThat(mean).isCloseTo(0.0, within(0.007));
    assertThat(stdDev).isCloseTo(expected, within(0.005));
    assertThat(mechanism.noiseStdDev()).isEqualTo(expected);
  }

  @Test
  void inputIsLeftUntouched() {
    float[] input = {1f, 2f, 3f};
    new GaussianMechanism(1.0, 1.0, GaussianSource.seeded(SEED)).addNoise(input);

    assertThat(input).containsExactly(1f, 2f, 3f);
  }

  @Test
  void secureSourceDrawsStandardNormals() {
    GaussianSource source = GaussianSource.secure();
    double sumSq = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double x = source.nextGaussian();
      sumSq += x * x;
    }
    // Variance estimate has standard error sqrt(2/n) = 0.01; allow 6 of them.
    assertThat(sumSq / n).isCloseTo(1.0, within(0.06));
  }

  @Test
  void badArgumentsAreRejected() {
    GaussianSource source = GaussianSource.seeded(SEED);
    assertThatThrownBy(() -> new GaussianMechanism(0.0, 1.0, source))
        .hasMessage("noiseMultiplier must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> new GaussianMechanism(1.0, -1.0, source))
        .hasMessage("clipNorm must be finite and > 0, got -1.0");
    GaussianMechanism mechanism = new GaussianMechanism(1.0, 1.0, source);
    assertThatThrownBy(() -> mechanism.addNoise(new float[] {0f, Float.POSITIVE_INFINITY}))
        .hasMessage("vector coordinate 1 must be finite, got Infinity");
  }
}
