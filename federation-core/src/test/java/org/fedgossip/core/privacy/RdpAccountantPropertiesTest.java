package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

class RdpAccountantPropertiesTest {

  private static final RdpAccountant ACCOUNTANT = RdpAccountant.withDefaultOrders();

  @Property(tries = 200)
  void epsilonIsNonDecreasingInSteps(
      @ForAll @DoubleRange(min = 1e-4, max = 0.5) @Scale(12) double q,
      @ForAll @DoubleRange(min = 0.5, max = 10) double sigma,
      @ForAll @LongRange(min = 1, max = 100_000) long steps,
      @ForAll @LongRange(min = 0, max = 100_000) long moreSteps,
      @ForAll @DoubleRange(min = 1e-9, max = 0.1) @Scale(12) double delta) {
    double fewer = ACCOUNTANT.epsilon(List.of(new PrivacyEvent(q, sigma, steps)), delta).epsilon();
    double more =
        ACCOUNTANT.epsilon(List.of(new PrivacyEvent(q, sigma, steps + moreSteps)), delta).epsilon();

    assertThat(more).isGreaterThanOrEqualTo(fewer);
  }

  /** Exactly monotone in real arithmetic; a 1e-12 relative slack absorbs rounding. */
  @Property(tries = 200)
  void epsilonIsNonIncreasingAsNoiseGrows(
      @ForAll @DoubleRange(min = 1e-4, max = 1.0) @Scale(12) double q,
      @ForAll @DoubleRange(min = 0.3, max = 20) double sigma,
      @ForAll @DoubleRange(min = 0, max = 10) double extraSigma,
      @ForAll @LongRange(min = 1, max = 10_000) long steps,
      @ForAll @DoubleRange(min = 1e-9, max = 0.1) @Scale(12) double delta) {
    double lessNoise =
        ACCOUNTANT.epsilon(List.of(new PrivacyEvent(q, sigma, steps)), delta).epsilon();
    double moreNoise =
        ACCOUNTANT
            .epsilon(List.of(new PrivacyEvent(q, sigma + extraSigma, steps)), delta)
            .epsilon();

    assertThat(moreNoise).isLessThanOrEqualTo(lessNoise * (1 + 1e-12));
  }

  @Property(tries = 200)
  void fullBatchFollowsTheGaussianClosedForm(
      @ForAll @DoubleRange(min = 0.1, max = 100) double sigma,
      @ForAll @LongRange(min = 1, max = 10_000) long steps) {
    double[] rdp = ACCOUNTANT.rdp(new PrivacyEvent(1.0, sigma, steps));
    double[] orders = ACCOUNTANT.orders();

    for (int k = 0; k < orders.length; k++) {
      assertThat(rdp[k]).isEqualTo(steps * (orders[k] / (2 * sigma * sigma)));
    }
  }

  /** The general series, as q approaches 1, tend to the closed form: a check of both series. */
  @Property(tries = 50)
  void nearlyFullBatchApproachesTheClosedForm(
      @ForAll @DoubleRange(min = 0.5, max = 5) double sigma,
      @ForAll @IntRange(min = 11, max = 109) int tenthsOfOrder) {
    double order = tenthsOfOrder / 10.0;
    double closedForm = order / (2 * sigma * sigma);

    assertThat(RdpAccountant.rdpPerStep(1 - 1e-9, sigma, order))
        .isCloseTo(closedForm, within(1e-6 * (1 + closedForm)));
  }

  /** The fractional series just below an integer order agree with the binomial expansion at it. */
  @Property(tries = 100)
  void fractionalSeriesMeetTheIntegerExpansionAtIntegerOrders(
      @ForAll @DoubleRange(min = 1e-4, max = 0.9) @Scale(12) double q,
      @ForAll @DoubleRange(min = 0.5, max = 10) double sigma,
      @ForAll @IntRange(min = 2, max = 10) int order) {
    double integer = RdpAccountant.rdpPerStep(q, sigma, order);
    double justBelow = RdpAccountant.rdpPerStep(q, sigma, order - 1e-9);

    assertThat(justBelow).isCloseTo(integer, within(1e-6 * integer + 1e-15));
  }

  @Property(tries = 50)
  void composingEventsAddsRdpPerOrder(
      @ForAll @DoubleRange(min = 0, max = 1) double q1,
      @ForAll @DoubleRange(min = 0.5, max = 10) double sigma1,
      @ForAll @LongRange(min = 1, max = 1000) long steps1,
      @ForAll @DoubleRange(min = 0, max = 1) double q2,
      @ForAll @DoubleRange(min = 0.5, max = 10) double sigma2,
      @ForAll @LongRange(min = 1, max = 1000) long steps2) {
    PrivacyEvent first = new PrivacyEvent(q1, sigma1, steps1);
    PrivacyEvent second = new PrivacyEvent(q2, sigma2, steps2);
    double[] composed = ACCOUNTANT.rdp(List.of(first, second));
    double[] a = ACCOUNTANT.rdp(first);
    double[] b = ACCOUNTANT.rdp(second);
    double[] asOneEvent = ACCOUNTANT.rdp(new PrivacyEvent(q1, sigma1, steps1 + steps1));
    double[] twice = ACCOUNTANT.rdp(List.of(first, first));

    for (int k = 0; k < composed.length; k++) {
      assertThat(composed[k]).isEqualTo(a[k] + b[k]);
      assertThat(twice[k]).isCloseTo(asOneEvent[k], within(1e-12 * asOneEvent[k]));
    }
  }
}
