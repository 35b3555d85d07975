package org.fedgossip.core.compression;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A sparse vector: the kept coordinates' indices and values; every other coordinate is zero.
 *
 * <p>Body layout after the common header: {@code int count}, {@code count} indices as {@code int}
 * in strictly increasing order, then {@code count} values as {@code float}; total {@code 12 + 8 ×
 * count} bytes.
 *
 * @param dimension the vector length, at least 0
 * @param indices kept coordinates, strictly increasing, each in {@code [0, dimension)}; not copied
 * @param values their values, finite, same length as {@code indices}; not copied
 */
public record SparseUpdate(int dimension, int[] indices, float[] values) implements EncodedUpdate {

  static final byte KIND = 2;
  private static final int BODY_HEADER_BYTES = 4;

  /**
   * Validates the fields.
   *
   * @param dimension see the record component
   * @param indices see the record component
   * @param values see the record component
   */
  public SparseUpdate {
    Objects.requireNonNull(indices, "indices must not be null");
    Objects.requireNonNull(values, "values must not be null");
    if (dimension < 0) {
      throw new IllegalArgumentException("dimension must be >= 0, got " + dimension);
    }
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "indices.length " + indices.length + " must equal values.length " + values.length);
    }
    String problem = checkContent(dimension, indices, values);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * How many coordinates are kept.
   *
   * @return the number of (index, value) pairs
   */
  public int count() {
    return indices.length;
  }

  @Override
  public float[] decode() {
    float[] out = new float[dimension];
    for (int j = 0; j < indices.length; j++) {
      out[indices[j]] = values[j];
    }
    return out;
  }

  @Override
  public int encodedBytes() {
    return EncodedUpdate.HEADER_BYTES + BODY_HEADER_BYTES + 8 * indices.length;
  }

  @Override
  public byte[] toBytes() {
    ByteBuffer out = Vectors.startEncoding(encodedBytes(), KIND, dimension).putInt(indices.length);
    for (int index : indices) {
      out.putInt(index);
    }
    for (float value : values) {
      out.putFloat(value);
    }
    return out.array();
  }

  static SparseUpdate readBody(ByteBuffer in, int dimension) {
    if (in.remaining() < BODY_HEADER_BYTES) {
      throw new MalformedEncodingException(
          "sparse update is truncated: no count after the "
              + EncodedUpdate.HEADER_BYTES
              + "-byte header");
    }
    int count = in.getInt();
    if (count < 0 || count > dimension) {
      throw new MalformedEncodingException(
          "sparse count " + count + " outside [0, dimension " + dimension + "]");
    }
    long expected = (long) EncodedUpdate.HEADER_BYTES + BODY_HEADER_BYTES + 8L * count;
    if (in.limit() != expected) {
      throw new MalformedEncodingException(
          "sparse update with "
              + count
              + " entries must be "
              + expected
              + " bytes, got "
              + in.limit());
    }
    int[] indices = new int[count];
    float[] values = new float[count];
    for (int j = 0; j < count; j++) {
      indices[j] = in.getInt();
    }
    for (int j = 0; j < count; j++) {
      values[j] = in.getFloat();
    }
    String problem = checkContent(dimension, indices, values);
    if (problem != null) {
      throw new MalformedEncodingException(problem);
    }
    return new SparseUpdate(dimension, indices, values);
  }

  /** The first content problem found, or null if indices and values are well formed. */
  private static String checkContent(int dimension, int[] indices, float[] values) {
    int previous = -1;
    for (int j = 0; j < indices.length; j++) {
      int index = indices[j];
      if (index <= previous || index >= dimension) {
        return "indices["
            + j
            + "] = "
            + index
            + " must be in ["
            + (previous + 1)
            + ", "
            + dimension
            + ") (strictly increasing, below the dimension)";
      }
      if (!Float.isFinite(values[j])) {
        return "values[" + j + "] must be finite, got " + values[j];
      }
      previous = index;
    }
    return null;
  }
}
