package org.fedgossip.core.compression;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A vector quantised to 256 levels between its minimum and maximum, one byte per coordinate.
 *
 * <p>Coordinate {@code i} decodes to {@code min + level[i] × (max − min) / 255}, computed in double
 * precision and rounded once to float. Body layout after the common header: {@code float min},
 * {@code float max}, then {@code dimension} unsigned level bytes; total {@code 16 + dimension}
 * bytes, a compression ratio just under 4.
 *
 * @param dimension the vector length, at least 0
 * @param min the lowest representable value, finite
 * @param max the highest representable value, finite, at least {@code min}
 * @param levels one unsigned level per coordinate, length {@code dimension}; not copied, so the
 *     caller must not modify it afterwards
 */
public record QuantizedUpdate(int dimension, float min, float max, byte[] levels)
    implements EncodedUpdate {

  static final byte KIND = 1;
  private static final int BODY_HEADER_BYTES = 8;

  /** The number of intervals between {@code min} and {@code max}. */
  public static final int INTERVALS = 255;

  /**
   * Validates the fields.
   *
   * @param dimension see the record component
   * @param min see the record component
   * @param max see the record component
   * @param levels see the record component
   */
  public QuantizedUpdate {
    Objects.requireNonNull(levels, "levels must not be null");
    if (levels.length != dimension) {
      throw new IllegalArgumentException(
          "levels.length must equal dimension " + dimension + ", got " + levels.length);
    }
    if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          "min and max must be finite with min <= max, got min=" + min + ", max=" + max);
    }
  }

  /**
   * The distance between adjacent levels.
   *
   * @return {@code (max − min) / 255}, 0 if the vector was constant
   */
  public double step() {
    return ((double) max - min) / INTERVALS;
  }

  @Override
  public float[] decode() {
    double step = step();
    float[] out = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) (min + (levels[i] & 0xFF) * step);
    }
    return out;
  }

  @Override
  public int encodedBytes() {
    return EncodedUpdate.HEADER_BYTES + BODY_HEADER_BYTES + dimension;
  }

  @Override
  public byte[] toBytes() {
    return Vectors.startEncoding(encodedBytes(), KIND, dimension)
        .putFloat(min)
        .putFloat(max)
        .put(levels)
        .array();
  }

  static QuantizedUpdate readBody(ByteBuffer in, int dimension) {
    long expected = (long) EncodedUpdate.HEADER_BYTES + BODY_HEADER_BYTES + dimension;
    if (in.limit() != expected) {
      throw new MalformedEncodingException(
          "quantized update of dimension "
              + dimension
              + " must be "
              + expected
              + " bytes, got "
              + in.limit());
    }
    float min = in.getFloat();
    float max = in.getFloat();
    if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
      throw new MalformedEncodingException(
          "quantized range must be finite with min <= max, got min=" + min + ", max=" + max);
    }
    byte[] levels = new byte[dimension];
    in.get(levels);
    return new QuantizedUpdate(dimension, min, max, levels);
  }
}
