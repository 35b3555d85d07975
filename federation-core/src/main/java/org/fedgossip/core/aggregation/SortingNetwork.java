package org.fedgossip.core.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Batcher's odd-even merge sort network (Knuth, TAOCP vol. 3, Sec. 5.3.4), applied to many
 * coordinates at once.
 *
 * <p>Each of the m rows holds one input's values for a block of coordinates; a comparator (p, q)
 * replaces rows p and q by their element-wise min and max. The comparator loop has no branch and no
 * reduction, so C2 compiles it to SIMD min/max: sorting 50 values per coordinate this way costs a
 * few hundred vector operations per 8 coordinates, where a quickselect per coordinate would stall
 * on unpredictable branches. The network for m is the one for the next power of two with the
 * comparators that touch a row ≥ m removed (those rows act as +∞, so their comparators are no-ops).
 */
final class SortingNetwork {

  private static final ConcurrentHashMap<Integer, int[]> CACHE = new ConcurrentHashMap<>();

  private SortingNetwork() {}

  /** The comparators for m rows, as pairs {@code (p, q)} with p &lt; q, flattened. */
  static int[] forSize(int m) {
    return CACHE.computeIfAbsent(m, SortingNetwork::build);
  }

  private static int[] build(int m) {
    int size = 1;
    while (size < m) {
      size <<= 1;
    }
    List<Integer> pairs = new ArrayList<>();
    for (int p = 1; p < size; p <<= 1) {
      for (int k = p; k >= 1; k >>= 1) {
        for (int j = k % p; j + k < size; j += 2 * k) {
          for (int i = 0; i < Math.min(k, size - j - k); i++) {
            int a = i + j;
            int b = i + j + k;
            if (a / (2 * p) == b / (2 * p) && b < m) {
              pairs.add(a);
              pairs.add(b);
            }
          }
        }
      }
    }
    return pairs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Sorts every column {@code c < len} of {@code rows} ascending, in place. */
  static void sortColumns(float[][] rows, int[] network, int len) {
    for (int c = 0; c < network.length; c += 2) {
      float[] p = rows[network[c]];
      float[] q = rows[network[c + 1]];
      for (int k = 0; k < len; k++) {
        float x = p[k];
        float y = q[k];
        p[k] = Math.min(x, y);
        q[k] = Math.max(x, y);
      }
    }
  }
}
