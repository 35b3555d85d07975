package org.fedgossip.simulations.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The built-in models a daemon can train, by their {@code trainer.type} configuration value. */
public enum TrainerType {
  /** {@link SoftmaxRegression}: multinomial logistic regression. */
  SOFTMAX("softmax"),
  /** {@link Mlp}: one hidden ReLU layer and a softmax output. */
  MLP("mlp"),
  /** {@link LogisticRegression}: binary logistic regression, exactly two classes. */
  LOGISTIC("logistic");

  private final String configValue;

  TrainerType(String configValue) {
    this.configValue = configValue;
  }

  /**
   * The value of this type in a configuration file.
   *
   * @return the lower-case name, e.g. {@code softmax}
   */
  public String configValue() {
    return configValue;
  }

  /**
   * The allowed configuration values, comma separated, for error messages and help.
   *
   * @return e.g. {@code softmax, mlp, logistic}
   */
  public static String allowedValues() {
    return Arrays.stream(values()).map(TrainerType::configValue).collect(Collectors.joining(", "));
  }

  /**
   * Parses a configuration value, ignoring case and surrounding blanks.
   *
   * @param value the value
   * @return the type
   * @throws IllegalArgumentException naming the value and the allowed values
   */
  public static TrainerType parse(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    for (TrainerType t : values()) {
      if (t.configValue.equals(v)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "trainer.type must be one of " + allowedValues() + ", got '" + value + "'");
  }
}
