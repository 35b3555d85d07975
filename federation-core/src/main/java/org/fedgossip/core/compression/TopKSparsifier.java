package org.fedgossip.core.compression;

import java.util.Arrays;

/**
 * Top-k sparsification: keeps the {@code k} coordinates of largest magnitude, exactly.
 *
 * <p>Ties in magnitude go to the lower index, so the output is a deterministic function of the
 * input. Top-k is biased; pair it with {@link ErrorFeedback} so that what is dropped is sent later
 * (Aji and Heafield 2017, "Sparse Communication for Distributed Gradient Descent", which drops the
 * smallest-magnitude entries and accumulates them locally; Stich, Cordonnier and Jaggi 2018,
 * "Sparsified SGD with Memory", Sect. 2 and Alg. 1). It keeps a fraction {@code k/d} of the squared
 * norm at least, which bounds the error-feedback residual. Cost: {@code O(d log d)} time and {@code
 * O(d)} extra memory per call. Stateless and thread-safe.
 */
public final class TopKSparsifier implements UpdateCodec {

  private final int k;

  /**
   * Creates a top-k sparsifier.
   *
   * @param k coordinates kept per vector, at least 1; a vector of dimension {@code d < k} is kept
   *     whole
   */
  public TopKSparsifier(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
  }

  /**
   * The configured number of kept coordinates.
   *
   * @return {@code k}
   */
  public int k() {
    return k;
  }

  @Override
  public SparseUpdate encode(float[] values) {
    Vectors.requireFinite(values);
    int d = values.length;
    int kept = Math.min(k, d);
    // Sort keys: descending magnitude in the high word, ascending index in the low word. The bits
    // of a non-negative finite float order like the float itself.
    long[] keys = new long[d];
    for (int i = 0; i < d; i++) {
      int magnitudeBits = Float.floatToIntBits(Math.abs(values[i]));
      keys[i] = ((long) (Integer.MAX_VALUE - magnitudeBits) << 32) | i;
    }
    Arrays.sort(keys);
    int[] indices = new int[kept];
    for (int j = 0; j < kept; j++) {
      indices[j] = (int) keys[j];
    }
    Arrays.sort(indices);
    float[] keptValues = new float[kept];
    for (int j = 0; j < kept; j++) {
      keptValues[j] = values[indices[j]];
    }
    return new SparseUpdate(d, indices, keptValues);
  }
}
