package org.fedgossip.core.aggregation;

import java.util.List;
import org.fedgossip.core.math.NonFiniteValueException;

/** Input checks shared by the rules; every message starts with the rule's name. */
final class Inputs {

  private Inputs() {}

  /** Checks non-empty, no null, one dimension; returns the updates as an array. */
  static float[][] shape(String rule, List<float[]> updates) {
    if (updates == null || updates.isEmpty()) {
      throw new IllegalArgumentException(rule + " needs at least one update, got none");
    }
    float[][] v = updates.toArray(new float[0][]);
    for (int i = 0; i < v.length; i++) {
      if (v[i] == null) {
        throw new IllegalArgumentException(rule + ": update " + i + " is null");
      }
      if (v[i].length != v[0].length) {
        throw new IllegalArgumentException(
            rule
                + ": update "
                + i
                + " has dimension "
                + v[i].length
                + ", expected "
                + v[0].length
                + " (the dimension of update 0)");
      }
    }
    return v;
  }

  /** Checks the weights (null means all 1) and returns them. */
  static double[] weights(String rule, double[] weights, int n) {
    if (weights == null) {
      double[] ones = new double[n];
      java.util.Arrays.fill(ones, 1.0);
      return ones;
    }
    if (weights.length != n) {
      throw new IllegalArgumentException(
          rule + ": got " + weights.length + " weights for " + n + " updates");
    }
    for (int i = 0; i < n; i++) {
      if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
        throw new IllegalArgumentException(
            rule + ": weight " + i + " is " + weights[i] + ", must be finite and > 0");
      }
    }
    return weights;
  }

  /** Throws for the first non-finite value in input order; call when a kernel saw one. */
  static IllegalArgumentException nonFinite(String rule, float[][] v) {
    for (int i = 0; i < v.length; i++) {
      try {
        NonFiniteValueException.requireFinite(v[i], i);
      } catch (NonFiniteValueException e) {
        return nonFinite(rule, e);
      }
    }
    return new IllegalArgumentException(rule + ": the inputs hold a non-finite value");
  }

  static IllegalArgumentException nonFinite(String rule, NonFiniteValueException e) {
    return new IllegalArgumentException(
        rule + ": " + e.getMessage().replaceFirst("^vector", "update"), e);
  }
}
