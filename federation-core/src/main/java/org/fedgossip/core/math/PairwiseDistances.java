package org.fedgossip.core.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The matrix of pairwise squared Euclidean distances of n float32 vectors.
 *
 * <p>It uses the Gram form {@code ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b}: one pass over the data computes
 * every dot product, so the n vectors (200 MB for 50 × 10⁶ floats) are read about once instead of n
 * times. The coordinates are cut into fixed chunks of {@value #CHUNK}; inside a chunk, blocks of
 * {@value #BLOCK} coordinates (every vector's slice of a block fits in L2) are swept by a 2×4
 * register tile of dot products, so each loaded float feeds four or two multiply-adds. A tile
 * accumulates a block in float; blocks add into the chunk's total in double; chunks are added in
 * chunk order. Chunks are the parallel tasks, so the result is bit-for-bit the same for any thread
 * count and scheduling.
 *
 * <p>The Gram form cancels catastrophically when two vectors are close: a pair whose Gram distance
 * is below {@value #CANCELLATION_RATIO} of {@code ‖a‖² + ‖b‖²}, or negative, is recomputed directly
 * as {@code Σ(a−b)²}. Non-finite inputs are detected from the diagonal (a NaN or infinity makes
 * {@code ‖a‖²} non-finite) and refused; a finite vector whose squared norm overflows float is
 * handled by a slower direct pass in double.
 */
public final class PairwiseDistances {

  /** Coordinates per parallel task; fixed so that the summation order ignores the thread count. */
  public static final int CHUNK = 1 << 16;

  /** Coordinates per register-tile sweep, accumulated in float. */
  public static final int BLOCK = 1024;

  /** Relative size below which a Gram distance is recomputed directly. */
  public static final double CANCELLATION_RATIO = 1e-3;

  private PairwiseDistances() {}

  /**
   * Computes {@code D[i][j] = ‖v_i − v_j‖²} for all pairs.
   *
   * @param vectors n ≥ 1 vectors of one length, all values finite
   * @param runner where the chunks run; the result does not depend on it
   * @return a symmetric n×n matrix with a zero diagonal
   * @throws IllegalArgumentException if the list is empty or the lengths differ; the message names
   *     the vector index
   * @throws NonFiniteValueException if a value is NaN or infinite
   */
  public static double[][] squared(List<float[]> vectors, ParallelRunner runner) {
    Objects.requireNonNull(runner, "runner");
    float[][] v = toArray(vectors);
    int n = v.length;
    int d = v[0].length;
    int chunks = Math.max(1, (d + CHUNK - 1) / CHUNK);
    double[][] chunkGram = new double[chunks][];
    runner.forEachTask(
        chunks, c -> chunkGram[c] = gramChunk(v, c * CHUNK, Math.min(d, (c + 1) * CHUNK)));
    double[] gram = new double[n * n];
    for (double[] g : chunkGram) {
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          gram[i * n + j] += g[i * n + j];
        }
      }
    }
    boolean[] overflow = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(gram[i * n + i])) {
        NonFiniteValueException.requireFinite(v[i], i);
        overflow[i] = true;
      }
    }
    double[][] dist = new double[n][n];
    List<int[]> redo = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double norms = gram[i * n + i] + gram[j * n + j];
        double value = norms - 2 * gram[i * n + j];
        if (overflow[i] || overflow[j] || value < CANCELLATION_RATIO * norms) {
          redo.add(new int[] {i, j});
        }
        dist[i][j] = value;
        dist[j][i] = value;
      }
    }
    double[] direct = new double[redo.size()];
    runner.forEachTask(
        redo.size(),
        p -> {
          int[] pair = redo.get(p);
          float[] a = v[pair[0]];
          float[] b = v[pair[1]];
          direct[p] =
              overflow[pair[0]] || overflow[pair[1]]
                  ? squaredDistanceInDouble(a, b)
                  : VectorMath.squaredDistance(a, b);
        });
    for (int p = 0; p < direct.length; p++) {
      int[] pair = redo.get(p);
      dist[pair[0]][pair[1]] = direct[p];
      dist[pair[1]][pair[0]] = direct[p];
    }
    return dist;
  }

  private static float[][] toArray(List<float[]> vectors) {
    Objects.requireNonNull(vectors, "vectors");
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("need at least one vector, got 0");
    }
    float[][] v = vectors.toArray(new float[0][]);
    for (int i = 0; i < v.length; i++) {
      if (v[i] == null) {
        throw new IllegalArgumentException("vector " + i + " is null");
      }
      if (v[i].length != v[0].length) {
        throw new IllegalArgumentException(
            "vector "
                + i
                + " has dimension "
                + v[i].length
                + ", expected "
                + v[0].length
                + " (the dimension of vector 0)");
      }
    }
    return v;
  }

  private static double squaredDistanceInDouble(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double diff = (double) a[k] - b[k];
      s += diff * diff;
    }
    return s;
  }

  /** Upper triangle (i ≤ j, row-major n×n) of the Gram matrix over coordinates [from, to). */
  private static double[] gramChunk(float[][] v, int from, int to) {
    int n = v.length;
    double[] g = new double[n * n];
    float[] t = new float[8];
    for (int b = from; b < to; b += BLOCK) {
      int e = Math.min(to, b + BLOCK);
      int i = 0;
      for (; i + 2 <= n; i += 2) {
        float[] a0 = v[i];
        float[] a1 = v[i + 1];
        int r0 = i * n;
        int r1 = r0 + n;
        int j = i;
        for (; j + 4 <= n; j += 4) {
          tile2x4(a0, a1, v[j], v[j + 1], v[j + 2], v[j + 3], b, e, t);
          g[r0 + j] += t[0];
          g[r0 + j + 1] += t[1];
          g[r0 + j + 2] += t[2];
          g[r0 + j + 3] += t[3];
          g[r1 + j] += t[4];
          g[r1 + j + 1] += t[5];
          g[r1 + j + 2] += t[6];
          g[r1 + j + 3] += t[7];
        }
        for (; j < n; j++) {
          g[r0 + j] += VectorMath.dotRange(a0, v[j], b, e);
          g[r1 + j] += VectorMath.dotRange(a1, v[j], b, e);
        }
      }
      if (i < n) {
        g[i * n + i] += VectorMath.dotRange(v[i], v[i], b, e);
      }
    }
    return g;
  }

  /** Eight dot products {a0,a1}·{b0..b3} over [from, to), each loaded float reused 2 or 4 times. */
  private static void tile2x4(
      float[] a0,
      float[] a1,
      float[] b0,
      float[] b1,
      float[] b2,
      float[] b3,
      int from,
      int to,
      float[] out) {
    float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    for (int k = from; k < to; k++) {
      float x0 = a0[k];
      float x1 = a1[k];
      float y = b0[k];
      s00 += x0 * y;
      s10 += x1 * y;
      y = b1[k];
      s01 += x0 * y;
      s11 += x1 * y;
      y = b2[k];
      s02 += x0 * y;
      s12 += x1 * y;
      y = b3[k];
      s03 += x0 * y;
      s13 += x1 * y;
    }
    out[0] = s00;
    out[1] = s01;
    out[2] = s02;
    out[3] = s03;
    out[4] = s10;
    out[5] = s11;
    out[6] = s12;
    out[7] = s13;
  }
}
