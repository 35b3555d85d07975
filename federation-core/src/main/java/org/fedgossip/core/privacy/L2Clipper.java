package org.fedgossip.core.privacy;

/**
 * Clips a vector to a maximum L2 norm C by scaling it with min(1, C / ‖x‖).
 *
 * <p>Clipping bounds the L2 sensitivity of one participant's contribution to C, which is what the
 * {@link GaussianMechanism} calibrates its noise to (Abadi et al. 2016, Section 3.1). The norm is
 * computed in double precision; after rounding the scaled coordinates back to float the clipped
 * norm is guaranteed to be at most C. Instances are immutable and thread-safe.
 */
public final class L2Clipper {

  private final double clipNorm;

  /**
   * Creates a clipper.
   *
   * @param clipNorm the maximum L2 norm C; finite and &gt; 0
   */
  public L2Clipper(double clipNorm) {
    if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and > 0, got " + clipNorm);
    }
    this.clipNorm = clipNorm;
  }

  /**
   * Returns the maximum L2 norm C.
   *
   * @return C, in the units of the vectors clipped
   */
  public double clipNorm() {
    return clipNorm;
  }

  /**
   * Clips a vector, leaving the input untouched.
   *
   * @param vector the vector; every coordinate finite
   * @return a new clipped vector, whether it was scaled down, and its original norm
   * @throws IllegalArgumentException if a coordinate is NaN or infinite (naming its index)
   */
  public Clipped clip(float[] vector) {
    double norm = l2Norm(vector);
    float[] out = vector.clone();
    if (norm <= clipNorm) {
      return new Clipped(out, false, norm);
    }
    double scale = clipNorm / norm;
    // Rounding each coordinate to float can push the norm an ulp or two above C; shrink until not.
    // The scale strictly decreases, so the loop ends, in practice after at most two passes.
    while (true) {
      for (int i = 0; i < vector.length; i++) {
        out[i] = (float) (vector[i] * scale);
      }
      double clippedNorm = l2Norm(out);
      if (clippedNorm <= clipNorm) {
        return new Clipped(out, true, norm);
      }
      scale *= (clipNorm / clippedNorm) * (1.0 - 0x1p-30);
    }
  }

  /**
   * Computes the L2 norm of a vector in double precision.
   *
   * @param vector the vector; every coordinate finite
   * @return ‖vector‖₂
   * @throws IllegalArgumentException if a coordinate is NaN or infinite (naming its index)
   */
  public static double l2Norm(float[] vector) {
    double sum = 0.0;
    for (int i = 0; i < vector.length; i++) {
      float v = vector[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("vector coordinate " + i + " must be finite, got " + v);
      }
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  /**
   * The outcome of {@link #clip(float[])}.
   *
   * @param vector the clipped vector, a fresh array with L2 norm at most C
   * @param clipped true if the input was scaled down, false if it was already within C
   * @param originalNorm the L2 norm of the input
   */
  public record Clipped(float[] vector, boolean clipped, double originalNorm) {}
}
