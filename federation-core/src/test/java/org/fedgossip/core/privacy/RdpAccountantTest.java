package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fedgossip.core.privacy.RdpAccountant.NoiseCalibration;
import org.fedgossip.core.privacy.RdpAccountant.PrivacySpent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RdpAccountantTest {

  private final RdpAccountant accountant = RdpAccountant.withDefaultOrders();

  @Test
  void noSamplingMeansNoRdpAtAnyOrder() {
    assertThat(accountant.rdp(new PrivacyEvent(0.0, 1.0, 1000))).containsOnly(0.0);
  }

  @Test
  void conversionFollowsBalleTheorem21AtASingleOrder() {
    RdpAccountant single = new RdpAccountant(new double[] {8.0});
    double rdp = 0.5;
    double delta = 1e-6;

    PrivacySpent spent = single.epsilon(new double[] {rdp}, delta);

    double expected = rdp + Math.log(7.0 / 8.0) - (Math.log(delta) + Math.log(8.0)) / 7.0;
    assertThat(spent.epsilon()).isCloseTo(expected, within(1e-15));
    assertThat(spent.order()).isEqualTo(8.0);
  }

  @Test
  void conversionPicksTheOrderWithTheSmallestEpsilon() {
    RdpAccountant two = new RdpAccountant(new double[] {2.0, 32.0});

    PrivacySpent spent = two.epsilon(new double[] {100.0, 0.01}, 1e-5);

    assertThat(spent.order()).isEqualTo(32.0);
  }

  @Test
  void calibrationRecoversTheNoiseOfTheTensorFlowPrivacyCase() {
    NoiseCalibration found = accountant.calibrateNoise(150.0 / 60000, 6000, 1e-5, 0.7242234026);

    assertThat(found.noiseMultiplier()).isCloseTo(1.3, within(1e-6));
    assertThat(found.epsilon()).isLessThanOrEqualTo(0.7242234026);
    assertThat(found.order()).isEqualTo(19.0);
  }

  @ParameterizedTest(name = "q={0}, steps={1}, delta={2}, target eps={3}")
  @CsvSource({"0.01, 1000, 1e-5, 1.0", "0.001, 100000, 1e-7, 3.0", "1.0, 10, 1e-5, 2.0"})
  void calibratedNoiseIsTheSmallestThatMeetsTheTarget(
      double q, long steps, double delta, double target) {
    NoiseCalibration found = accountant.calibrateNoise(q, steps, delta, target);

    double sigma = found.noiseMultiplier();
    assertThat(found.epsilon()).isLessThanOrEqualTo(target);
    assertThat(accountant.epsilon(List.of(new PrivacyEvent(q, sigma, steps)), delta).epsilon())
        .isEqualTo(found.epsilon());
    double slightlyLess = sigma * (1 - 1e-6);
    assertThat(
            accountant.epsilon(List.of(new PrivacyEvent(q, slightlyLess, steps)), delta).epsilon())
        .isGreaterThan(target);
  }

  @Test
  void unreachableTargetIsAClearError() {
    assertThatThrownBy(() -> accountant.calibrateNoise(0.01, 1000, 1e-5, 0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targetEpsilon 0.01 is unreachable")
        .hasMessageContaining("10000.0");
  }

  @Test
  void generousTargetReturnsTheBottomOfTheSearchRange() {
    NoiseCalibration found = accountant.calibrateNoise(0.01, 10, 1e-5, 1e6);

    assertThat(found.noiseMultiplier()).isEqualTo(RdpAccountant.MIN_NOISE_MULTIPLIER);
  }

  @Test
  void badArgumentsNameTheValueAndRange() {
    assertThatThrownBy(() -> new RdpAccountant(new double[] {2.0, 1.0}))
        .hasMessageContaining("orders[1] must be in (1, 10000.0], got 1.0");
    assertThatThrownBy(() -> new RdpAccountant(new double[] {Double.POSITIVE_INFINITY}))
        .hasMessageContaining("orders[0] must be in (1, 10000.0], got Infinity");
    assertThatThrownBy(() -> RdpAccountant.rdpPerStep(0.1, 1.0, 0.5))
        .hasMessageContaining("order must be in (1, 10000.0], got 0.5");
    assertThatThrownBy(() -> RdpAccountant.rdpPerStep(1.5, 1.0, 2.0))
        .hasMessageContaining("samplingRate must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> accountant.epsilon(new double[3], 0.1))
        .hasMessageContaining("one value per order (151), got 3");
    assertThatThrownBy(() -> accountant.epsilon(List.of(), 1.0))
        .hasMessageContaining("delta must be in (0, 1), got 1.0");
    assertThatThrownBy(() -> accountant.calibrateNoise(0.0, 10, 1e-5, 1.0))
        .hasMessageContaining("samplingRate must be in (0, 1], got 0.0");
    assertThatThrownBy(() -> accountant.calibrateNoise(0.1, 10, 1e-5, Double.NaN))
        .hasMessageContaining("targetEpsilon must be finite and > 0, got NaN");
  }

  @Test
  void vanishingNoiseHasUnboundedRdpAndEpsilon() {
    PrivacyEvent noNoise = new PrivacyEvent(0.3, 1e-160, 1);

    assertThat(accountant.rdp(noNoise)).containsOnly(Double.POSITIVE_INFINITY);
    assertThat(accountant.epsilon(List.of(noNoise), 1e-5).epsilon()).isInfinite();
  }

  @Test
  void extremeNoiseStaysFinite() {
    double[] tiny = accountant.rdp(new PrivacyEvent(0.3, 0.01, 1));
    double[] huge = accountant.rdp(new PrivacyEvent(0.3, 1e4, 1));

    for (int k = 0; k < tiny.length; k++) {
      assertThat(tiny[k]).isFinite().isPositive();
      assertThat(huge[k]).isFinite().isNotNegative().isLessThan(tiny[k]);
    }
  }
}
