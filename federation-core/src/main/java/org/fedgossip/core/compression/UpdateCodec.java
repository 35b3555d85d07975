package org.fedgossip.core.compression;

/**
 * Compresses a model delta into an {@link EncodedUpdate}.
 *
 * <p>Implementations: {@link StochasticQuantizer} (unbiased, 8 bits per coordinate), {@link
 * TopKSparsifier} and {@link RandomKSparsifier}. A codec that draws random numbers holds the seeded
 * generator it was given and is therefore confined to one thread.
 */
public interface UpdateCodec {

  /**
   * Encodes a vector.
   *
   * @param values the delta; not modified; every value must be finite
   * @return its encoded form, whose {@link EncodedUpdate#dimension()} is {@code values.length}
   * @throws IllegalArgumentException if a value is NaN or infinite (the message gives its index)
   */
  EncodedUpdate encode(float[] values);
}
