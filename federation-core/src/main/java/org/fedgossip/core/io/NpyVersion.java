package org.fedgossip.core.io;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The {@code .npy} format versions: they differ in the width of the header-length field and in the
 * header's character set (NumPy NEP 1 and {@code numpy.lib.format}).
 */
public enum NpyVersion {
  /** 1.0: 2-byte little-endian header length, Latin-1 header; headers up to 65535 bytes. */
  V1_0(1, 0, 2, StandardCharsets.ISO_8859_1),
  /** 2.0: 4-byte little-endian header length, Latin-1 header. */
  V2_0(2, 0, 4, StandardCharsets.ISO_8859_1),
  /** 3.0: as 2.0 with a UTF-8 header. */
  V3_0(3, 0, 4, StandardCharsets.UTF_8);

  private final int major;
  private final int minor;
  private final int lengthFieldBytes;
  private final Charset charset;

  NpyVersion(int major, int minor, int lengthFieldBytes, Charset charset) {
    this.major = major;
    this.minor = minor;
    this.lengthFieldBytes = lengthFieldBytes;
    this.charset = charset;
  }

  /**
   * The major version byte.
   *
   * @return 1, 2 or 3
   */
  public int major() {
    return major;
  }

  /**
   * The minor version byte.
   *
   * @return 0
   */
  public int minor() {
    return minor;
  }

  /**
   * The width of the little-endian header-length field.
   *
   * @return 2 for 1.0, else 4
   */
  public int lengthFieldBytes() {
    return lengthFieldBytes;
  }

  /**
   * The bytes before the header text: the 6-byte magic, 2 version bytes and the length field.
   *
   * @return 10 for 1.0, else 12
   */
  public int prefixBytes() {
    return 8 + lengthFieldBytes;
  }

  /**
   * The character set of the header text.
   *
   * @return Latin-1 for 1.0 and 2.0, UTF-8 for 3.0
   */
  public Charset charset() {
    return charset;
  }

  /**
   * The largest header text (padding and newline included) the length field can describe.
   *
   * @return 65535 for 1.0, else {@code 2^32 − 1}
   */
  public long maxHeaderBytes() {
    return lengthFieldBytes == 2 ? 0xFFFFL : 0xFFFF_FFFFL;
  }

  static NpyVersion of(int major, int minor) throws NpyFormatException {
    for (NpyVersion v : values()) {
      if (v.major == major && v.minor == minor) {
        return v;
      }
    }
    throw new NpyFormatException(
        "unsupported format version " + major + "." + minor + ", expected 1.0, 2.0 or 3.0");
  }
}
