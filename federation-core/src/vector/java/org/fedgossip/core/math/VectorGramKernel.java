package org.fedgossip.core.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD Gram kernel: a 2×4 tile of 8-lane (256-bit, AVX2) fused multiply-add accumulators.
 *
 * <p>It is compiled apart from the rest of the module (javac warns that {@code
 * jdk.incubator.vector} is incubating, and the build turns warnings into errors) and loaded
 * reflectively by {@link GramKernels} only when the JVM has the module. The species is fixed at 256
 * bits and lanes are summed in a fixed order with scalar code (not {@code reduceLanes}, whose order
 * is unspecified), so the result is the same bit for bit on any machine that runs this kernel.
 */
final class VectorGramKernel implements GramKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
  private static final int LANES = 8;

  /** Called reflectively by {@link GramKernels}. */
  VectorGramKernel() {
    if (SPECIES.length() != LANES) {
      throw new IllegalStateException("expected 8 float lanes, got " + SPECIES.length());
    }
  }

  @Override
  public String name() {
    return "vector-256";
  }

  @Override
  public float squaredDistance(float[] a, float[] b, int from, int to) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    int k = from;
    for (; k + 2 * LANES <= to; k += 2 * LANES) {
      FloatVector d0 =
          FloatVector.fromArray(SPECIES, a, k).sub(FloatVector.fromArray(SPECIES, b, k));
      FloatVector d1 =
          FloatVector.fromArray(SPECIES, a, k + LANES)
              .sub(FloatVector.fromArray(SPECIES, b, k + LANES));
      s0 = d0.fma(d0, s0);
      s1 = d1.fma(d1, s1);
    }
    FloatVector acc = s0.add(s1);
    float s =
        ((acc.lane(0) + acc.lane(1)) + (acc.lane(2) + acc.lane(3)))
            + ((acc.lane(4) + acc.lane(5)) + (acc.lane(6) + acc.lane(7)));
    for (; k < to; k++) {
      float d = a[k] - b[k];
      s += d * d;
    }
    return s;
  }

  @Override
  public void addGram(float[][] v, int from, int to, double[] g) {
    int n = v.length;
    float[] lanes = new float[8 * LANES];
    for (int b = from; b < to; b += PairwiseDistances.BLOCK) {
      int e = Math.min(to, b + PairwiseDistances.BLOCK);
      int i = 0;
      for (; i + 2 <= n; i += 2) {
        float[] a0 = v[i];
        float[] a1 = v[i + 1];
        int r0 = i * n;
        int r1 = r0 + n;
        int j = i;
        for (; j + 4 <= n; j += 4) {
          tile2x4(a0, a1, v[j], v[j + 1], v[j + 2], v[j + 3], b, e, lanes);
          for (int c = 0; c < 4; c++) {
            g[r0 + j + c] += lanes[c];
            g[r1 + j + c] += lanes[4 + c];
          }
        }
        for (; j < n; j++) {
          tile2x1(a0, a1, v[j], b, e, lanes);
          g[r0 + j] += lanes[0];
          g[r1 + j] += lanes[1];
        }
      }
      if (i < n) {
        tile2x1(v[i], v[i], v[i], b, e, lanes);
        g[i * n + i] += lanes[0];
      }
    }
  }

  /** Leaves the eight dot products {a0,a1}·{b0..b3} over [from, to) in out[0..8). */
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
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    int vecEnd = from + ((to - from) / LANES) * LANES;
    for (int k = from; k < vecEnd; k += LANES) {
      FloatVector x0 = FloatVector.fromArray(SPECIES, a0, k);
      FloatVector x1 = FloatVector.fromArray(SPECIES, a1, k);
      FloatVector y = FloatVector.fromArray(SPECIES, b0, k);
      s00 = x0.fma(y, s00);
      s10 = x1.fma(y, s10);
      y = FloatVector.fromArray(SPECIES, b1, k);
      s01 = x0.fma(y, s01);
      s11 = x1.fma(y, s11);
      y = FloatVector.fromArray(SPECIES, b2, k);
      s02 = x0.fma(y, s02);
      s12 = x1.fma(y, s12);
      y = FloatVector.fromArray(SPECIES, b3, k);
      s03 = x0.fma(y, s03);
      s13 = x1.fma(y, s13);
    }
    out[0] = sum(s00, a0, b0, vecEnd, to);
    out[1] = sum(s01, a0, b1, vecEnd, to);
    out[2] = sum(s02, a0, b2, vecEnd, to);
    out[3] = sum(s03, a0, b3, vecEnd, to);
    out[4] = sum(s10, a1, b0, vecEnd, to);
    out[5] = sum(s11, a1, b1, vecEnd, to);
    out[6] = sum(s12, a1, b2, vecEnd, to);
    out[7] = sum(s13, a1, b3, vecEnd, to);
  }

  /** Leaves a0·b in out[0] and a1·b in out[1], over [from, to). */
  private static void tile2x1(float[] a0, float[] a1, float[] b, int from, int to, float[] out) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    int vecEnd = from + ((to - from) / LANES) * LANES;
    for (int k = from; k < vecEnd; k += LANES) {
      FloatVector y = FloatVector.fromArray(SPECIES, b, k);
      s0 = FloatVector.fromArray(SPECIES, a0, k).fma(y, s0);
      s1 = FloatVector.fromArray(SPECIES, a1, k).fma(y, s1);
    }
    out[0] = sum(s0, a0, b, vecEnd, to);
    out[1] = sum(s1, a1, b, vecEnd, to);
  }

  /**
   * The lanes of {@code acc} in a fixed pairwise order, plus the scalar tail a·b over [from, to).
   */
  private static float sum(FloatVector acc, float[] a, float[] b, int from, int to) {
    float l0 = acc.lane(0);
    float l1 = acc.lane(1);
    float l2 = acc.lane(2);
    float l3 = acc.lane(3);
    float l4 = acc.lane(4);
    float l5 = acc.lane(5);
    float l6 = acc.lane(6);
    float l7 = acc.lane(7);
    float s = ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7));
    for (int k = from; k < to; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
