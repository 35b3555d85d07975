package org.fedgossip.core.compression;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-sender error-feedback memory: what a codec did not send is added to the next update.
 *
 * <p>Each call compresses {@code corrected = update + residual}, then keeps {@code residual =
 * corrected − decode(encoded)}. Hence, after any number of rounds, the sum of everything sent plus
 * the residual equals the sum of the inputs (up to float rounding): nothing is lost, only delayed.
 * With a contracting codec ({@link TopKSparsifier}, or {@link RandomKSparsifier} with {@link
 * RandomKSparsifier.Scaling#NONE}) that keeps a fraction {@code δ} of the squared norm, the
 * residual stays bounded by {@code ‖e‖² ≤ 2(1 − δ)(2 + δ)/δ² · max‖update‖²}; this is the memory of
 * Stich, Cordonnier and Jaggi 2018, "Sparsified SGD with Memory" (Alg. 1, mem-SGD), and the bound
 * follows from their contraction property {@code ‖x − C(x)‖² ≤ (1 − δ)‖x‖²} (Sect. 2) by {@code
 * ‖e'‖² ≤ (1 − δ)(1 + δ/2)‖e‖² + (1 − δ)(1 + 2/δ)‖x‖²}.
 *
 * <p>One instance per sender and per model shape; not thread-safe.
 */
public final class ErrorFeedback {

  private final float[] residual;

  /**
   * Creates an empty memory.
   *
   * @param dimension the length of every update this sender sends, at least 0
   */
  public ErrorFeedback(int dimension) {
    if (dimension < 0) {
      throw new IllegalArgumentException("dimension must be >= 0, got " + dimension);
    }
    this.residual = new float[dimension];
  }

  /**
   * Adds the residual to the update, compresses the sum and remembers what was not sent.
   *
   * @param update this round's update, length {@link #dimension()}; not modified
   * @param codec the codec to apply, not null
   * @return the encoded update to send
   * @throws IllegalArgumentException if the length differs from {@link #dimension()} or a value is
   *     not finite
   */
  public EncodedUpdate encode(float[] update, UpdateCodec codec) {
    Objects.requireNonNull(codec, "codec must not be null");
    if (update.length != residual.length) {
      throw new IllegalArgumentException(
          "update length must be " + residual.length + ", got " + update.length);
    }
    Vectors.requireFinite(update);
    float[] corrected = new float[residual.length];
    for (int i = 0; i < corrected.length; i++) {
      corrected[i] = update[i] + residual[i];
    }
    EncodedUpdate encoded = codec.encode(corrected);
    float[] sent = encoded.decode();
    for (int i = 0; i < corrected.length; i++) {
      residual[i] = corrected[i] - sent[i];
    }
    return encoded;
  }

  /**
   * The update length this memory serves.
   *
   * @return the dimension
   */
  public int dimension() {
    return residual.length;
  }

  /**
   * A copy of what has not been sent yet.
   *
   * @return the residual vector
   */
  public float[] residual() {
    return residual.clone();
  }

  /**
   * The L2 norm of the residual.
   *
   * @return {@code ‖residual‖₂}, computed in double
   */
  public double residualNorm() {
    double sum = 0;
    for (float r : residual) {
      sum += (double) r * r;
    }
    return Math.sqrt(sum);
  }

  /** Forgets the residual, for example when the model is replaced. */
  public void reset() {
    Arrays.fill(residual, 0f);
  }
}
