package org.fedgossip.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads {@code .npy} files of float32 and float64 arrays in C order, format versions 1.0, 2.0 and
 * 3.0 (NumPy NEP 1; {@code numpy.lib.format}).
 *
 * <p>Before allocating the data array the reader checks the declared element count against {@link
 * #maxElements()} and, where the input size is known (a file or a {@link ByteBuffer}), against the
 * bytes actually remaining; the header text itself is bounded by {@link #maxHeaderBytes()}. With an
 * {@link InputStream} the remaining size is unknown, so at most {@code maxElements} elements are
 * allocated and a short stream is reported as truncated. A file must end right after its data; a
 * stream or buffer is left positioned after the array, so several arrays can be read in a row.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NpyReader {

  /** Default element limit: 2^27 elements, 512 MiB of float32 or 1 GiB of float64. */
  public static final long DEFAULT_MAX_ELEMENTS = 1L << 27;

  /** Default header-text limit, in bytes; NumPy's own reader allows 10 000 by default. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 16;

  /** The largest element count a Java array can hold, and so the largest accepted limit. */
  public static final long MAX_ELEMENTS_LIMIT = Integer.MAX_VALUE - 8;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int CHUNK_BYTES = 1 << 16;

  private final long maxElements;
  private final int maxHeaderBytes;

  /**
   * Creates a reader with explicit limits.
   *
   * @param maxElements the most elements an array may declare, in {@code [0, 2^31 − 9]}
   * @param maxHeaderBytes the longest header text accepted, in {@code [16, 2^30]}
   */
  public NpyReader(long maxElements, int maxHeaderBytes) {
    if (maxElements < 0 || maxElements > MAX_ELEMENTS_LIMIT) {
      throw new IllegalArgumentException(
          "maxElements must be in [0, " + MAX_ELEMENTS_LIMIT + "], got " + maxElements);
    }
    if (maxHeaderBytes < 16 || maxHeaderBytes > (1 << 30)) {
      throw new IllegalArgumentException(
          "maxHeaderBytes must be in [16, " + (1 << 30) + "], got " + maxHeaderBytes);
    }
    this.maxElements = maxElements;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  /** Creates a reader with {@link #DEFAULT_MAX_ELEMENTS} and {@link #DEFAULT_MAX_HEADER_BYTES}. */
  public NpyReader() {
    this(DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_HEADER_BYTES);
  }

  /**
   * The element limit.
   *
   * @return the most elements an array may declare
   */
  public long maxElements() {
    return maxElements;
  }

  /**
   * The header-text limit.
   *
   * @return the longest header text accepted, in bytes
   */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /**
   * Reads the array stored in a file; the file must hold exactly one array.
   *
   * @param file the {@code .npy} file
   * @return the array
   * @throws NpyFormatException if the file is malformed, truncated, has trailing bytes or exceeds
   *     the limits
   * @throws IOException if the file cannot be read
   */
  public NpyArray read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      NpyHeader header = readHeader(channel, size);
      long remaining = size - header.dataOffset();
      long dataBytes = checkSize(header, remaining);
      if (remaining != dataBytes) {
        throw new NpyFormatException(
            file
                + " has "
                + (remaining - dataBytes)
                + " bytes after the "
                + dataBytes
                + " data bytes its header declares");
      }
      return readData(channel, header, true);
    }
  }

  /**
   * Reads one array from a stream, leaving the stream after the array's last byte.
   *
   * @param in the stream, not closed by this method
   * @return the array
   * @throws NpyFormatException if the input is malformed, truncated or exceeds the limits
   * @throws IOException if the stream fails
   */
  public NpyArray read(InputStream in) throws IOException {
    ReadableByteChannel channel = Channels.newChannel(Objects.requireNonNull(in, "in"));
    NpyHeader header = readHeader(channel, -1);
    checkSize(header, -1);
    return readData(channel, header, false);
  }

  /**
   * Reads one array from a buffer's remaining bytes, advancing its position past the array.
   *
   * <p>On failure the position is left where it was.
   *
   * @param buffer the buffer; its own byte order is ignored and left unchanged
   * @return the array
   * @throws NpyFormatException if the input is malformed, truncated or exceeds the limits
   */
  public NpyArray read(ByteBuffer buffer) throws NpyFormatException {
    ByteBuffer view = buffer.slice();
    ReadableByteChannel channel = new BufferChannel(view);
    try {
      NpyHeader header = readHeader(channel, view.remaining());
      checkSize(header, view.remaining());
      NpyArray array = readData(channel, header, true);
      buffer.position(buffer.position() + view.position());
      return array;
    } catch (NpyFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("a heap or direct buffer cannot fail to read", e);
    }
  }

  /**
   * Reads and validates only the header of a file, without reading the data.
   *
   * @param file the {@code .npy} file
   * @return the header
   * @throws NpyFormatException if the header is malformed or exceeds the header limit
   * @throws IOException if the file cannot be read
   */
  public NpyHeader readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(channel, channel.size());
    }
  }

  /** Reads and parses the prefix and header text; {@code size} is the input size or −1. */
  private NpyHeader readHeader(ReadableByteChannel channel, long size) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(8);
    readFully(channel, prefix, "the 8-byte magic and version");
    for (int i = 0; i < MAGIC.length; i++) {
      if (prefix.get(i) != MAGIC[i]) {
        throw new NpyFormatException(
            "bad magic: not a .npy file (expected \\x93NUMPY, byte "
                + i
                + " is 0x"
                + Integer.toHexString(prefix.get(i) & 0xFF)
                + ")");
      }
    }
    NpyVersion version = NpyVersion.of(prefix.get(6) & 0xFF, prefix.get(7) & 0xFF);
    ByteBuffer lengthField =
        ByteBuffer.allocate(version.lengthFieldBytes()).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthField, "the header length");
    long headerBytes =
        version.lengthFieldBytes() == 2
            ? lengthField.getShort(0) & 0xFFFFL
            : lengthField.getInt(0) & 0xFFFF_FFFFL;
    if (headerBytes > maxHeaderBytes) {
      throw new NpyFormatException(
          "header length " + headerBytes + " exceeds the limit of " + maxHeaderBytes + " bytes");
    }
    if (size >= 0 && version.prefixBytes() + headerBytes > size) {
      throw new NpyFormatException(
          "truncated: header length "
              + headerBytes
              + " runs past the end of the "
              + size
              + "-byte input");
    }
    ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerBytes);
    readFully(channel, headerBuffer, "the " + headerBytes + "-byte header");
    headerBuffer.flip();
    String text;
    try {
      text =
          version
              .charset()
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(headerBuffer)
              .toString();
    } catch (CharacterCodingException e) {
      throw new NpyFormatException("header is not valid " + version.charset() + " text");
    }
    return NpyHeader.parse(version, text);
  }

  /** Checks the declared data size against the limits; returns it. */
  private long checkSize(NpyHeader header, long remaining) throws NpyFormatException {
    long count = header.elementCount();
    if (count > maxElements) {
      throw new NpyFormatException(
          "array declares "
              + count
              + " elements (shape "
              + Arrays.toString(header.shape())
              + "), more than the limit of "
              + maxElements);
    }
    long dataBytes = count * header.dtype().itemBytes();
    if (remaining >= 0 && remaining < dataBytes) {
      throw new NpyFormatException(
          "truncated: header declares "
              + dataBytes
              + " data bytes but only "
              + remaining
              + " remain");
    }
    return dataBytes;
  }

  /**
   * Reads the data. When the input size was checked, the array is allocated at once; from a stream
   * of unknown length it grows by doubling as bytes arrive, so a short stream that declares many
   * elements costs memory in proportion to what it sent, not to what it claimed.
   */
  private static NpyArray readData(ReadableByteChannel channel, NpyHeader header, boolean sized)
      throws IOException {
    int count = (int) header.elementCount();
    int itemBytes = header.dtype().itemBytes();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(header.byteOrder());
    int elementsPerChunk = CHUNK_BYTES / itemBytes;
    boolean single = header.dtype() == NpyDtype.FLOAT32;
    int capacity = sized ? count : Math.min(count, elementsPerChunk);
    float[] floats = single ? new float[capacity] : null;
    double[] doubles = single ? null : new double[capacity];
    for (int done = 0; done < count; ) {
      int n = Math.min(elementsPerChunk, count - done);
      chunk.clear().limit(n * itemBytes);
      readFully(channel, chunk, "data elements " + done + ".." + (done + n - 1) + " of " + count);
      chunk.flip();
      if (done + n > capacity) {
        capacity = (int) Math.min(count, Math.max(2L * capacity, done + n));
        if (single) {
          floats = Arrays.copyOf(floats, capacity);
        } else {
          doubles = Arrays.copyOf(doubles, capacity);
        }
      }
      if (single) {
        chunk.asFloatBuffer().get(floats, done, n);
      } else {
        chunk.asDoubleBuffer().get(doubles, done, n);
      }
      done += n;
    }
    return single
        ? new NpyArray.Float32(header.shape(), floats)
        : new NpyArray.Float64(header.shape(), doubles);
  }

  private static void readFully(ReadableByteChannel channel, ByteBuffer into, String what)
      throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) {
        throw new NpyFormatException(
            "truncated: input ended while reading "
                + what
                + " ("
                + into.position()
                + " of "
                + into.limit()
                + " bytes)");
      }
    }
  }

  /** A channel view of a buffer's remaining bytes. */
  private static final class BufferChannel implements ReadableByteChannel {
    private final ByteBuffer source;

    BufferChannel(ByteBuffer source) {
      this.source = source;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (!source.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), source.remaining());
      dst.put(source.slice().limit(n));
      source.position(source.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
