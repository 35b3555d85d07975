package org.fedgossip.core.compression;

import java.nio.ByteBuffer;

/** Argument checks and wire helpers shared by the codecs. */
final class Vectors {

  private Vectors() {}

  static void requireFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException("values[" + i + "] must be finite, got " + values[i]);
      }
    }
  }

  /** A big-endian buffer of {@code totalBytes} with the common header written. */
  static ByteBuffer startEncoding(int totalBytes, byte kind, int dimension) {
    return ByteBuffer.allocate(totalBytes)
        .put(EncodedUpdate.MAGIC_0)
        .put(EncodedUpdate.MAGIC_1)
        .put(EncodedUpdate.FORMAT_VERSION)
        .put(kind)
        .putInt(dimension);
  }
}
