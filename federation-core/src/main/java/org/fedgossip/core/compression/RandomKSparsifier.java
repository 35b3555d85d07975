package org.fedgossip.core.compression;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Random-k sparsification: keeps {@code k} coordinates drawn uniformly without replacement.
 *
 * <p>Each coordinate is kept with probability {@code k/d}. Two modes, chosen at construction:
 *
 * <ul>
 *   <li>{@link Scaling#UNBIASED}: kept values are multiplied by {@code d/k}, so {@code
 *       E[decode(encode(x))] = x}, at the price of variance {@code (d/k − 1) x_i²} per coordinate.
 *       Use it without error feedback: the scaled error {@code x − C(x)} can exceed {@code x}, so a
 *       residual memory would not stay bounded for {@code k < d/2}.
 *   <li>{@link Scaling#NONE}: kept values are sent as they are; {@code E[decode(encode(x))] = (k/d)
 *       x} is biased, but the compressor is a contraction ({@code E‖x − C(x)‖² = (1 − k/d)‖x‖²}),
 *       which is the setting of Stich, Cordonnier and Jaggi 2018, "Sparsified SGD with Memory"
 *       (Sect. 2, the k-contraction property, and Alg. 1). Use it with {@link ErrorFeedback}.
 * </ul>
 *
 * <p>The indices come out sorted, by selection sampling (Knuth, TAOCP vol. 2, Sect. 3.4.2,
 * Algorithm S): {@code O(d)} time and no extra memory. Not thread-safe: it draws from the generator
 * it was given.
 */
public final class RandomKSparsifier implements UpdateCodec {

  /** Whether kept values are rescaled to make the codec unbiased. */
  public enum Scaling {
    /** Send kept values unchanged; biased towards zero by {@code k/d}; for error feedback. */
    NONE,
    /** Multiply kept values by {@code d/k}; unbiased; not for error feedback. */
    UNBIASED
  }

  private final int k;
  private final Scaling scaling;
  private final RandomGenerator random;

  /**
   * Creates a random-k sparsifier.
   *
   * @param k coordinates kept per vector, at least 1; a vector with {@code d ≤ k} is kept whole
   *     (and unscaled)
   * @param scaling whether to rescale by {@code d/k}
   * @param random the seeded source of the index choices, not null
   */
  public RandomKSparsifier(int k, Scaling scaling, RandomGenerator random) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.scaling = Objects.requireNonNull(scaling, "scaling must not be null");
    this.random = Objects.requireNonNull(random, "random must not be null");
  }

  /**
   * The configured number of kept coordinates.
   *
   * @return {@code k}
   */
  public int k() {
    return k;
  }

  /**
   * The scaling mode.
   *
   * @return the mode given at construction
   */
  public Scaling scaling() {
    return scaling;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also if, with {@link Scaling#UNBIASED}, a kept value times
   *     {@code d/k} overflows float
   */
  @Override
  public SparseUpdate encode(float[] values) {
    Vectors.requireFinite(values);
    int d = values.length;
    int kept = Math.min(k, d);
    double factor = scaling == Scaling.UNBIASED ? (double) d / kept : 1.0;
    int[] indices = new int[kept];
    float[] keptValues = new float[kept];
    int chosen = 0;
    for (int i = 0; i < d && chosen < kept; i++) {
      // Keep coordinate i with probability (still needed) / (still available).
      if (random.nextInt(d - i) < kept - chosen) {
        indices[chosen] = i;
        float scaled = (float) (values[i] * factor);
        if (!Float.isFinite(scaled)) {
          throw new IllegalArgumentException(
              "values["
                  + i
                  + "] = "
                  + values[i]
                  + " scaled by d/k = "
                  + factor
                  + " overflows float; scale the update down or use Scaling.NONE");
        }
        keptValues[chosen] = scaled;
        chosen++;
      }
    }
    return new SparseUpdate(d, indices, keptValues);
  }
}
