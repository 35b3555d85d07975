package org.fedgossip.core.compression;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Unbiased 8-bit stochastic quantisation: {@code E[decode(encode(x))] = x} for every coordinate.
 *
 * <p>The vector's minimum and maximum span 255 intervals of width {@code step = (max − min) / 255}.
 * A value at fractional position {@code t = (x − min) / step} goes to level {@code ⌊t⌋ + 1} with
 * probability {@code t − ⌊t⌋}, else to {@code ⌊t⌋}, so its expectation is {@code t} exactly and its
 * variance {@code step² p (1 − p) ≤ step² / 4}; every decoded value is within one step of the
 * input. This is the stochastic rounding of QSGD (Alistarh, Grubic, Li, Tomioka and Vojnovic 2017,
 * "QSGD: Communication-Efficient SGD via Gradient Quantization and Encoding", Sect. 3.1) with the
 * min/max scaling of Suresh, Yu, Kumar and McMahan 2017, "Distributed Mean Estimation with Limited
 * Communication" (their stochastic k-level quantisation with k = 256). Scaling is per vector;
 * unbiasedness holds up to one float rounding of the decoded value.
 *
 * <p>Not thread-safe: it draws from the generator it was given.
 */
public final class StochasticQuantizer implements UpdateCodec {

  private final RandomGenerator random;

  /**
   * Creates a quantiser.
   *
   * @param random the seeded source of the rounding decisions, not null
   */
  public StochasticQuantizer(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random must not be null");
  }

  @Override
  public QuantizedUpdate encode(float[] values) {
    Vectors.requireFinite(values);
    int d = values.length;
    byte[] levels = new byte[d];
    if (d == 0) {
      return new QuantizedUpdate(0, 0f, 0f, levels);
    }
    float min = values[0];
    float max = values[0];
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double step = ((double) max - min) / QuantizedUpdate.INTERVALS;
    if (step > 0) {
      for (int i = 0; i < d; i++) {
        double t = Math.min(QuantizedUpdate.INTERVALS, (values[i] - (double) min) / step);
        int low = (int) Math.floor(t);
        double fraction = t - low;
        int level = (fraction > 0 && random.nextDouble() < fraction) ? low + 1 : low;
        levels[i] = (byte) level;
      }
    }
    return new QuantizedUpdate(d, min, max, levels);
  }
}
