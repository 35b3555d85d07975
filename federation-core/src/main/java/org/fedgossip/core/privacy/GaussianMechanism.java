package org.fedgossip.core.privacy;

import java.util.Objects;

/**
 * Adds independent Gaussian noise N(0, (σ·C)²) to every coordinate of a clipped vector.
 *
 * <p>With inputs clipped to L2 norm C (see {@link L2Clipper}), one application is the Gaussian
 * mechanism with noise multiplier σ, whose Rényi-DP is α / (2σ²) (Mironov 2017, Proposition 7);
 * with Poisson subsampling it is accounted by {@link RdpAccountant}. This class does not check the
 * clipping: the caller clips first.
 *
 * <p><b>Known caveat, not defended yet:</b> the noise is computed in IEEE floating point. Mironov
 * 2012 ("On Significance of the Least Significant Bits for Differential Privacy", CCS) shows that
 * the set of reachable floating-point outputs can leak the input, so the guarantee holds for the
 * ideal real-valued mechanism only. Defences (snapping, discrete Gaussian) are future work.
 *
 * <p>Not thread-safe when its {@link GaussianSource} is not.
 */
public final class GaussianMechanism {

  private final double noiseMultiplier;
  private final double clipNorm;
  private final GaussianSource source;

  /**
   * Creates the mechanism.
   *
   * @param noiseMultiplier σ, the noise standard deviation divided by C; finite and &gt; 0
   * @param clipNorm C, the L2 sensitivity of the inputs; finite and &gt; 0
   * @param source the standard normal source: {@link GaussianSource#secure()} in production, {@link
   *     GaussianSource#seeded(long)} in simulations
   */
  public GaussianMechanism(double noiseMultiplier, double clipNorm, GaussianSource source) {
    if (!(noiseMultiplier > 0.0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "noiseMultiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and > 0, got " + clipNorm);
    }
    this.noiseMultiplier = noiseMultiplier;
    this.clipNorm = clipNorm;
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Returns the noise standard deviation σ·C.
   *
   * @return the per-coordinate standard deviation, in the units of the vectors
   */
  public double noiseStdDev() {
    return noiseMultiplier * clipNorm;
  }

  /**
   * Returns the noise multiplier σ.
   *
   * @return σ
   */
  public double noiseMultiplier() {
    return noiseMultiplier;
  }

  /**
   * Returns a noised copy of a vector, leaving the input untouched.
   *
   * @param clipped the vector, already clipped to L2 norm C; every coordinate finite
   * @return a new vector, each coordinate plus an independent N(0, (σ·C)²) sample
   * @throws IllegalArgumentException if a coordinate is NaN or infinite (naming its index)
   */
  public float[] addNoise(float[] clipped) {
    double stdDev = noiseStdDev();
    float[] out = new float[clipped.length];
    for (int i = 0; i < clipped.length; i++) {
      float v = clipped[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("vector coordinate " + i + " must be finite, got " + v);
      }
      out[i] = (float) (v + stdDev * source.nextGaussian());
    }
    return out;
  }
}
