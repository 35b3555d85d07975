package org.fedgossip.core.math;

import java.util.Objects;

/**
 * Float32 vector kernels: dot product, axpy, L2 norm and squared distance.
 *
 * <p>Plain Java float reductions do not vectorise because C2 keeps the strict left-to-right order
 * of a single accumulator, so every reduction here uses eight independent float accumulators that
 * the CPU can pipeline. Accumulation is in float within a block of {@link #BLOCK} coordinates and
 * in double across blocks, which bounds the rounding error for vectors of millions of coordinates.
 * All results are deterministic: the summation order depends only on the length.
 */
public final class VectorMath {

  /** Coordinates accumulated in float before the partial sum is added to a double total. */
  public static final int BLOCK = 4096;

  private VectorMath() {}

  /**
   * Dot product {@code a·b}.
   *
   * @param a first vector
   * @param b second vector, same length as {@code a}
   * @return the dot product, accumulated per block in float and across blocks in double
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double dot(float[] a, float[] b) {
    requireSameLength(a, b);
    double total = 0;
    for (int from = 0; from < a.length; from += BLOCK) {
      total += dotRange(a, b, from, Math.min(a.length, from + BLOCK));
    }
    return total;
  }

  /**
   * Dot product of {@code a[from, to)} and {@code b[from, to)} in float with eight accumulators.
   *
   * @param a first vector
   * @param b second vector
   * @param from first coordinate, inclusive
   * @param to last coordinate, exclusive
   * @return the float partial dot product
   */
  static float dotRange(float[] a, float[] b, int from, int to) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int k = from;
    for (; k + 8 <= to; k += 8) {
      s0 += a[k] * b[k];
      s1 += a[k + 1] * b[k + 1];
      s2 += a[k + 2] * b[k + 2];
      s3 += a[k + 3] * b[k + 3];
      s4 += a[k + 4] * b[k + 4];
      s5 += a[k + 5] * b[k + 5];
      s6 += a[k + 6] * b[k + 6];
      s7 += a[k + 7] * b[k + 7];
    }
    for (; k < to; k++) {
      s0 += a[k] * b[k];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * Squared L2 norm {@code ‖a‖²}.
   *
   * @param a the vector
   * @return the squared norm, accumulated as in {@link #dot}
   */
  public static double normSquared(float[] a) {
    Objects.requireNonNull(a, "a");
    return dot(a, a);
  }

  /**
   * L2 norm {@code ‖a‖}.
   *
   * @param a the vector
   * @return the Euclidean norm
   */
  public static double norm(float[] a) {
    return Math.sqrt(normSquared(a));
  }

  /**
   * Squared Euclidean distance {@code Σ(a−b)²}, computed directly (no cancellation).
   *
   * @param a first vector
   * @param b second vector, same length as {@code a}
   * @return the squared distance, accumulated per block in float and across blocks in double
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double squaredDistance(float[] a, float[] b) {
    requireSameLength(a, b);
    double total = 0;
    for (int from = 0; from < a.length; from += BLOCK) {
      total += squaredDistanceRange(a, b, from, Math.min(a.length, from + BLOCK));
    }
    return total;
  }

  static float squaredDistanceRange(float[] a, float[] b, int from, int to) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int k = from;
    for (; k + 8 <= to; k += 8) {
      float d0 = a[k] - b[k];
      float d1 = a[k + 1] - b[k + 1];
      float d2 = a[k + 2] - b[k + 2];
      float d3 = a[k + 3] - b[k + 3];
      float d4 = a[k + 4] - b[k + 4];
      float d5 = a[k + 5] - b[k + 5];
      float d6 = a[k + 6] - b[k + 6];
      float d7 = a[k + 7] - b[k + 7];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
      s4 += d4 * d4;
      s5 += d5 * d5;
      s6 += d6 * d6;
      s7 += d7 * d7;
    }
    for (; k < to; k++) {
      float d = a[k] - b[k];
      s0 += d * d;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * In-place {@code y ← alpha·x + y}.
   *
   * <p>This loop has no reduction, so C2 vectorises it.
   *
   * @param alpha the scale of {@code x}
   * @param x the vector to add
   * @param y the accumulator, same length as {@code x}, overwritten
   * @throws IllegalArgumentException if the lengths differ
   */
  public static void axpy(float alpha, float[] x, float[] y) {
    requireSameLength(x, y);
    for (int k = 0; k < x.length; k++) {
      y[k] += alpha * x[k];
    }
  }

  private static void requireSameLength(float[] a, float[] b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors must have the same length, got " + a.length + " and " + b.length);
    }
  }
}
