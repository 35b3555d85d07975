package org.fedgossip.core.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes float32 and float64 arrays as {@code .npy} files, little-endian and in C order.
 *
 * <p>The header is the dictionary {@code {'descr': '<f4', 'fortran_order': False, 'shape': (…), }}
 * with keys in NumPy's sorted order, followed by spaces and one {@code '\n'} so that the magic,
 * version, length field and header together fill a multiple of 64 bytes (NumPy NEP 1 and {@code
 * numpy.lib.format}: the data then starts 64-byte aligned). The version is 1.0 when the header fits
 * its 2-byte length field, else 2.0; NumPy pads the same way but also reserves spare space for
 * growing the first axis, so its headers can be 64 bytes longer for the same array. Stateless and
 * thread-safe.
 */
public final class NpyWriter {

  /** The alignment of the data start, in bytes. */
  public static final int ALIGNMENT = 64;

  private static final int CHUNK_BYTES = 1 << 16;

  /** Creates a writer. */
  public NpyWriter() {}

  /**
   * Writes an array to a file, replacing any existing file.
   *
   * <p>Not atomic: a crash mid-write can leave a partial file, which {@link NpyReader} reports as
   * truncated.
   *
   * @param array the array
   * @param file the destination
   * @throws IOException if the file cannot be written
   */
  public void write(NpyArray array, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK_BYTES)) {
      write(array, out);
    }
  }

  /**
   * Writes an array to a stream in the smallest version that fits, 1.0 or 2.0.
   *
   * @param array the array
   * @param out the stream, not closed
   * @throws IOException if the stream fails
   */
  public void write(NpyArray array, OutputStream out) throws IOException {
    write(array, out, versionFor(array.shape()));
  }

  /**
   * Writes an array to a stream in the given version.
   *
   * @param array the array
   * @param out the stream, not closed
   * @param version the format version; 1.0 only if the header fits in 65535 bytes
   * @throws IOException if the stream fails
   * @throws IllegalArgumentException if the header does not fit the version
   */
  public void write(NpyArray array, OutputStream out, NpyVersion version) throws IOException {
    Objects.requireNonNull(out, "out must not be null");
    out.write(header(array.dtype(), array.shape(), version));
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    if (array instanceof NpyArray.Float32 f) {
      float[] data = f.data();
      for (int done = 0; done < data.length; ) {
        int n = Math.min(CHUNK_BYTES / Float.BYTES, data.length - done);
        chunk.clear();
        chunk.asFloatBuffer().put(data, done, n);
        out.write(chunk.array(), 0, n * Float.BYTES);
        done += n;
      }
    } else if (array instanceof NpyArray.Float64 d) {
      double[] data = d.data();
      for (int done = 0; done < data.length; ) {
        int n = Math.min(CHUNK_BYTES / Double.BYTES, data.length - done);
        chunk.clear();
        chunk.asDoubleBuffer().put(data, done, n);
        out.write(chunk.array(), 0, n * Double.BYTES);
        done += n;
      }
    }
  }

  /**
   * The whole file as bytes, in the smallest version that fits.
   *
   * @param array the array
   * @return the {@code .npy} bytes
   */
  public byte[] toBytes(NpyArray array) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(array, out);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array stream cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * The complete header (magic, version, length field, padded dictionary) for an array.
   *
   * @param dtype the element type, written little-endian
   * @param shape the shape, entries at least 0
   * @param version the format version
   * @return the header bytes; their length is a multiple of {@link #ALIGNMENT}
   * @throws IllegalArgumentException if the header does not fit the version's length field
   */
  public static byte[] header(NpyDtype dtype, long[] shape, NpyVersion version) {
    NpyArray.elementCount(shape);
    byte[] dict = dictionary(dtype, shape).getBytes(version.charset());
    long total = paddedTotal(version, dict.length);
    long headerLength = total - version.prefixBytes();
    if (headerLength > version.maxHeaderBytes()) {
      throw new IllegalArgumentException(
          "header of "
              + headerLength
              + " bytes does not fit version "
              + version
              + ", whose limit is "
              + version.maxHeaderBytes());
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
    out.put((byte) version.major()).put((byte) version.minor());
    if (version.lengthFieldBytes() == 2) {
      out.putShort((short) headerLength);
    } else {
      out.putInt((int) headerLength);
    }
    out.put(dict);
    while (out.remaining() > 1) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  /** 1.0 if the header fits its 16-bit length field, else 2.0. */
  static NpyVersion versionFor(long[] shape) {
    long total = paddedTotal(NpyVersion.V1_0, dictionary(NpyDtype.FLOAT64, shape).length());
    return total - NpyVersion.V1_0.prefixBytes() <= NpyVersion.V1_0.maxHeaderBytes()
        ? NpyVersion.V1_0
        : NpyVersion.V2_0;
  }

  /** Prefix, dictionary and newline, rounded up to the alignment. */
  private static long paddedTotal(NpyVersion version, int dictBytes) {
    long unpadded = version.prefixBytes() + (long) dictBytes + 1;
    return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static String dictionary(NpyDtype dtype, long[] shape) {
    StringBuilder s = new StringBuilder("{'descr': '");
    s.append(dtype.descr(ByteOrder.LITTLE_ENDIAN)).append("', 'fortran_order': False, 'shape': (");
    for (int axis = 0; axis < shape.length; axis++) {
      if (axis > 0) {
        s.append(", ");
      }
      s.append(shape[axis]);
    }
    if (shape.length == 1) {
      s.append(',');
    }
    return s.append("), }").toString();
  }
}
