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
    // The bits of a non-negative finite float order like the float itself.
    int[] magnitudes = new int[d];
    for (int i = 0; i < d; i++) {
      magnitudes[i] = Float.floatToIntBits(Math.abs(values[i]));
    }
    int[] indices = new int[kept];
    float[] keptValues = new float[kept];
    if (kept == 0) {
      return new SparseUpdate(d, indices, keptValues);
    }
    int threshold = select(magnitudes.clone(), d - kept);
    int above = 0;
    for (int magnitude : magnitudes) {
      if (magnitude > threshold) {
        above++;
      }
    }
    // Everything above the threshold, then the lowest-indexed ties; the pass yields sorted indices.
    int tiesWanted = kept - above;
    int j = 0;
    for (int i = 0; i < d && j < kept; i++) {
      if (magnitudes[i] > threshold || (magnitudes[i] == threshold && tiesWanted-- > 0)) {
        indices[j] = i;
        keptValues[j] = values[i];
        j++;
      }
    }
    return new SparseUpdate(d, indices, keptValues);
  }

  /**
   * The value at position {@code rank} of {@code a} in ascending order, by quickselect with a
   * three-way partition (so runs of equal values, such as zeros, cost one pass). Falls back to a
   * full sort after {@code O(log n)} passes, so the worst case is {@code O(n log n)}. Reorders
   * {@code a}.
   */
  static int select(int[] a, int rank) {
    int lo = 0;
    int hi = a.length - 1;
    int passesLeft = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 8;
    while (lo < hi) {
      if (passesLeft-- == 0) {
        Arrays.sort(a, lo, hi + 1);
        return a[rank];
      }
      int pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        if (a[i] < pivot) {
          swap(a, lt++, i++);
        } else if (a[i] > pivot) {
          swap(a, i, gt--);
        } else {
          i++;
        }
      }
      if (rank < lt) {
        hi = lt - 1;
      } else if (rank > gt) {
        lo = gt + 1;
      } else {
        return pivot;
      }
    }
    return a[rank];
  }

  private static int medianOfThree(int a, int b, int c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
