package org.fedgossip.core.training;

import java.util.Objects;

/**
 * The outcome of one local training call: the model delta (new − global) and the number of local
 * samples it was computed from, the weight of this update in a sample-weighted average (FedAvg,
 * McMahan et al. 2017, Algorithm 1).
 *
 * <p>The record holds the array it is given, without copying.
 *
 * @param delta new − global weights, non-empty, every entry finite
 * @param samples number of local samples, ≥ 0
 */
public record TrainingResult(float[] delta, long samples) {

  /**
   * Validates the result.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public TrainingResult {
    Objects.requireNonNull(delta, "delta");
    if (delta.length == 0) {
      throw new IllegalArgumentException("delta must have length >= 1, got 0");
    }
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    }
    for (int i = 0; i < delta.length; i++) {
      if (!Float.isFinite(delta[i])) {
        throw new IllegalArgumentException("delta[" + i + "] must be finite, got " + delta[i]);
      }
    }
  }
}
