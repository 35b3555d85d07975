package org.fedgossip.core.math;

/**
 * The portable Gram kernel: a 2×4 register tile of scalar dot products, so each loaded float feeds
 * two or four multiply-adds and eight independent accumulators keep the FPU pipelines busy.
 */
final class ScalarGramKernel implements GramKernel {

  static final ScalarGramKernel INSTANCE = new ScalarGramKernel();

  private ScalarGramKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float squaredDistance(float[] a, float[] b, int from, int to) {
    return VectorMath.squaredDistanceRange(a, b, from, to);
  }

  @Override
  public void addGram(float[][] v, int from, int to, double[] g) {
    int n = v.length;
    float[] t = new float[8];
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
  }

  /** Eight dot products {a0,a1}·{b0..b3} over [from, to). */
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
