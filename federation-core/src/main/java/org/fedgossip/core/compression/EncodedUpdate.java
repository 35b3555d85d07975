package org.fedgossip.core.compression;

import java.nio.ByteBuffer;

/**
 * A compressed model delta: decodes back to a {@code float[]} and serialises to bytes.
 *
 * <p>Byte layout, big-endian: magic {@code 0x46 0x43} ("FC"), format version {@code 1}, kind
 * ({@code 1} = {@link QuantizedUpdate}, {@code 2} = {@link SparseUpdate}), the dimension as an
 * {@code int}, then the kind's body (see each record). {@link #fromBytes(byte[], int)} checks every
 * declared size against the input length and the caller's dimension limit before it allocates.
 */
public sealed interface EncodedUpdate permits QuantizedUpdate, SparseUpdate {

  /** First magic byte, {@code 'F'}. */
  byte MAGIC_0 = 0x46;

  /** Second magic byte, {@code 'C'}. */
  byte MAGIC_1 = 0x43;

  /** The only format version written and read. */
  byte FORMAT_VERSION = 1;

  /** Bytes of the common header: magic, version, kind and dimension. */
  int HEADER_BYTES = 8;

  /**
   * The length of the original vector.
   *
   * @return at least 0
   */
  int dimension();

  /**
   * Decodes to a new vector of length {@link #dimension()}.
   *
   * @return the reconstructed values
   */
  float[] decode();

  /**
   * The serialised form, in the layout described on this interface.
   *
   * @return a new array
   */
  byte[] toBytes();

  /**
   * The number of bytes {@link #toBytes()} returns, without building them.
   *
   * @return the encoded size in bytes
   */
  int encodedBytes();

  /**
   * Original size over encoded size: {@code 4 × dimension / encodedBytes()}.
   *
   * @return the compression ratio; above 1 means smaller than the raw {@code float[]}; 0 for an
   *     empty vector
   */
  default double compressionRatio() {
    return 4.0 * dimension() / encodedBytes();
  }

  /**
   * Parses bytes written by {@link #toBytes()}.
   *
   * @param bytes the serialised update, not null
   * @param maxDimension the largest dimension the caller accepts, at least 0; bounds what {@link
   *     #decode()} will allocate
   * @return the update
   * @throws MalformedEncodingException if the bytes are truncated, too long, have a bad magic,
   *     version or kind, declare a dimension above {@code maxDimension}, or carry inconsistent
   *     content (indices out of order or range, non-finite values)
   * @throws IllegalArgumentException if {@code maxDimension} is negative
   */
  static EncodedUpdate fromBytes(byte[] bytes, int maxDimension) {
    if (maxDimension < 0) {
      throw new IllegalArgumentException("maxDimension must be >= 0, got " + maxDimension);
    }
    if (bytes.length < HEADER_BYTES) {
      throw new MalformedEncodingException(
          "encoded update is truncated: " + bytes.length + " bytes, header needs " + HEADER_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte m0 = in.get();
    byte m1 = in.get();
    if (m0 != MAGIC_0 || m1 != MAGIC_1) {
      throw new MalformedEncodingException(
          String.format("bad magic 0x%02x%02x, expected 0x4643", m0 & 0xFF, m1 & 0xFF));
    }
    byte version = in.get();
    if (version != FORMAT_VERSION) {
      throw new MalformedEncodingException(
          "unsupported format version " + version + ", expected " + FORMAT_VERSION);
    }
    byte kind = in.get();
    int dimension = in.getInt();
    if (dimension < 0 || dimension > maxDimension) {
      throw new MalformedEncodingException(
          "dimension " + dimension + " outside [0, " + maxDimension + "]");
    }
    return switch (kind) {
      case QuantizedUpdate.KIND -> QuantizedUpdate.readBody(in, dimension);
      case SparseUpdate.KIND -> SparseUpdate.readBody(in, dimension);
      default ->
          throw new MalformedEncodingException(
              "unknown kind " + kind + ", expected 1 (quantized) or 2 (sparse)");
    };
  }
}
