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
 * register tile of dot products, so each loaded float feeds four or two multiply-adds; the tile is
 * scalar, or 8-lane SIMD when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link #kernelName()}). A tile accumulates a block in float; blocks add into the chunk's total in
 * double; chunks are added in chunk order. Chunks are the parallel tasks, so the result is
 * bit-for-bit the same for any thread count and scheduling.
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

  /** Coordinates per task of the direct recomputation; a multiple of {@link VectorMath#BLOCK}. */
  public static final int DIRECT_CHUNK = 4 * VectorMath.BLOCK;

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
    return squared(vectors, runner, GramKernels.best());
  }

  /**
   * The name of the Gram kernel this JVM uses: {@code "vector-256"} when started with {@code
   * --add-modules jdk.incubator.vector}, else {@code "scalar"}.
   *
   * @return the kernel's name, for benchmark reports
   */
  public static String kernelName() {
    return GramKernels.best().name();
  }

  static double[][] squared(List<float[]> vectors, ParallelRunner runner, GramKernel kernel) {
    Objects.requireNonNull(runner, "runner");
    float[][] v = toArray(vectors);
    int n = v.length;
    int d = v[0].length;
    int chunks = Math.max(1, (d + CHUNK - 1) / CHUNK);
    double[][] chunkGram = new double[chunks][];
    runner.forEachTask(
        chunks,
        c -> {
          double[] g = new double[n * n];
          kernel.addGram(v, c * CHUNK, Math.min(d, (c + 1) * CHUNK), g);
          chunkGram[c] = g;
        });
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
    double[] direct = directDistances(v, redo, overflow, runner, kernel);
    for (int p = 0; p < direct.length; p++) {
      int[] pair = redo.get(p);
      dist[pair[0]][pair[1]] = direct[p];
      dist[pair[1]][pair[0]] = direct[p];
    }
    return dist;
  }

  /**
   * Direct {@code Σ(a−b)²} for the given pairs in one blocked pass, with the kernel's SIMD or
   * scalar difference loop: the coordinates are cut into fixed chunks of {@value #DIRECT_CHUNK},
   * each task computes every pair over its chunk (the chunk's slices of all vectors stay in cache),
   * and the chunk sums are added in chunk order.
   */
  private static double[] directDistances(
      float[][] v,
      List<int[]> pairs,
      boolean[] overflow,
      ParallelRunner runner,
      GramKernel kernel) {
    int count = pairs.size();
    double[] direct = new double[count];
    if (count == 0) {
      return direct;
    }
    int d = v[0].length;
    int chunks = Math.max(1, (d + DIRECT_CHUNK - 1) / DIRECT_CHUNK);
    double[][] partial = new double[chunks][];
    runner.forEachTask(
        chunks,
        c -> {
          int from = c * DIRECT_CHUNK;
          int to = Math.min(d, from + DIRECT_CHUNK);
          double[] sums = new double[count];
          for (int p = 0; p < count; p++) {
            int[] pair = pairs.get(p);
            float[] a = v[pair[0]];
            float[] b = v[pair[1]];
            boolean wide = overflow[pair[0]] || overflow[pair[1]];
            for (int k = from; k < to; k += VectorMath.BLOCK) {
              int e = Math.min(to, k + VectorMath.BLOCK);
              sums[p] +=
                  wide ? squaredDistanceInDouble(a, b, k, e) : kernel.squaredDistance(a, b, k, e);
            }
          }
          partial[c] = sums;
        });
    for (double[] sums : partial) {
      for (int p = 0; p < count; p++) {
        direct[p] += sums[p];
      }
    }
    return direct;
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

  private static double squaredDistanceInDouble(float[] a, float[] b, int from, int to) {
    double s = 0;
    for (int k = from; k < to; k++) {
      double diff = (double) a[k] - b[k];
      s += diff * diff;
    }
    return s;
  }
}
