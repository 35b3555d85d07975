package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMathTest {

  /** Reference values: log(erfc(x)) from mpmath 1.3.0 at 40 significant digits. */
  @ParameterizedTest(name = "log erfc({0}) = {1}")
  @CsvSource({
    "-5, 0.69314718055917657952",
    "-1, 0.61123231767807049464",
    "0, 0.0",
    "0.5, -0.73501112983708440303",
    "1, -1.8496055099332482486",
    "1.99, -5.3208520151399767344",
    "2, -5.3649412646166375745",
    "2.01, -5.4092152641902477725",
    "3, -10.720363041981112568",
    "5, -27.200889545537434422",
    "10, -102.87988902484488857",
    "30, -903.97411711064387808",
    "100, -10005.177585122664333",
    "1e4, -100000009.7827053199",
    "1e6, -1000000000014.3878755",
  })
  void logErfcMatchesHighPrecisionReferenceWithoutUnderflow(double x, double expected) {
    double actual = LogMath.logErfc(x);

    assertThat(actual).isFinite();
    assertThat(actual).isCloseTo(expected, within(1e-13 * Math.max(1.0, Math.abs(expected))));
  }

  @ParameterizedTest(name = "logAdd({0}, {1}) = {2}")
  @CsvSource({
    "0, 0, 0.69314718055994530942",
    "-Infinity, 3, 3",
    "3, -Infinity, 3",
    "1000, 0, 1000",
    "-1000, -1001, -999.68673831248177"
  })
  void logAddIsStableForLargeAndInfiniteArguments(double a, double b, double expected) {
    assertThat(LogMath.logAdd(a, b)).isCloseTo(expected, within(1e-12));
  }
}
