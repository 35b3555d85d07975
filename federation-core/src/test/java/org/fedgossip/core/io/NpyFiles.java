package org.fedgossip.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hand-built .npy inputs for the tests. */
final class NpyFiles {

  private NpyFiles() {}

  /**
   * Bytes of {@code np.save(f, np.arange(3, dtype='<f4'))}, as written by NumPy 2.x: a v1.0 header
   * of 118 bytes (the dictionary, spaces, newline) after the 10-byte prefix, then 0, 1, 2.
   */
  static final byte[] NUMPY_ARANGE3_F4 =
      HexFormat.of()
          .parseHex(
              "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572"
                  + "273a2046616c73652c20277368617065273a2028332c292c207d"
                  + "20".repeat(60)
                  + "0a"
                  + "00000000"
                  + "0000803f"
                  + "00000040");

  /** Bytes of {@code np.save(f, np.array([[1.5, -2.0]], dtype='>f8'))}: big-endian float64. */
  static final byte[] NUMPY_BIG_ENDIAN_F8 =
      HexFormat.of()
          .parseHex(
              "934e554d5059010076007b276465736372273a20273e6638272c2027666f727472616e5f6f72646572"
                  + "273a2046616c73652c20277368617065273a2028312c2032292c207d"
                  + "20".repeat(58)
                  + "0a"
                  + "3ff8000000000000"
                  + "c000000000000000");

  /** A v1.0 file with this header text (padded to 64 bytes with spaces and '\n') and data. */
  static byte[] v1(String dict, byte[] data) {
    return file(1, dict, data);
  }

  /** A file of the given major version with this header text and data. */
  static byte[] file(int major, String dict, byte[] data) {
    byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int prefix = major == 1 ? 10 : 12;
    int total = (prefix + text.length + 1 + 63) / 64 * 64;
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) (total - prefix));
    } else {
      b.putInt(total - prefix);
    }
    b.put(text);
    while (b.remaining() > 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** Little-endian float32 bytes. */
  static byte[] f4(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }
}
