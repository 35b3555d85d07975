package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivacyRecordsTest {

  @ParameterizedTest(name = "q={0}, sigma={1}, steps={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-0.1 | 1.0 | 1 | samplingRate must be in [0, 1], got -0.1",
        "1.01 | 1.0 | 1 | samplingRate must be in [0, 1], got 1.01",
        "NaN | 1.0 | 1 | samplingRate must be in [0, 1], got NaN",
        "0.1 | 0.0 | 1 | noiseMultiplier must be finite and > 0, got 0.0",
        "0.1 | -1.0 | 1 | noiseMultiplier must be finite and > 0, got -1.0",
        "0.1 | Infinity | 1 | noiseMultiplier must be finite and > 0, got Infinity",
        "0.1 | 1.0 | 0 | steps must be >= 1, got 0",
      })
  void invalidEventNamesTheFieldAndValue(double q, double sigma, long steps, String message) {
    assertThatThrownBy(() -> new PrivacyEvent(q, sigma, steps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void eventAcceptsTheClosedEndsOfTheSamplingRange() {
    assertThat(new PrivacyEvent(0.0, 1.0, 1).samplingRate()).isZero();
    assertThat(new PrivacyEvent(1.0, 1.0, 1).samplingRate()).isEqualTo(1.0);
  }

  @ParameterizedTest(name = "eps={0}, delta={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 1e-5 | epsilon must be finite and > 0, got 0.0",
        "Infinity | 1e-5 | epsilon must be finite and > 0, got Infinity",
        "1 | 0 | delta must be in (0, 1), got 0.0",
        "1 | 1 | delta must be in (0, 1), got 1.0",
      })
  void invalidBudgetNamesTheFieldAndValue(double epsilon, double delta, String message) {
    assertThatThrownBy(() -> new PrivacyBudget(epsilon, delta))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void budgetExceededMessageGivesSpentRequestedAndBudget() {
    PrivacyBudgetExceededException e =
        new PrivacyBudgetExceededException(0.9, 0.3, 1.1, new PrivacyBudget(1.0, 1e-5));

    assertThat(e)
        .hasMessage(
            "privacy budget exceeded: spent epsilon 0.900000, requested epsilon 0.300000 alone,"
                + " total would be 1.10000 > budget epsilon 1.00000 at delta 1.00e-05");
    assertThat(e.totalEpsilon()).isEqualTo(1.1);
  }
}
