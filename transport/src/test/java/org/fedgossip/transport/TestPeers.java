package org.fedgossip.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.fedgossip.trust.PeerId;

/** Deterministic peer ids and payload helpers for transport tests. */
public final class TestPeers {
  private TestPeers() {}

  /**
   * Returns a peer id derived from a label, the same on every run.
   *
   * @param label any text
   * @return the id whose digest is SHA-256 of the label
   */
  public static PeerId peer(String label) {
    try {
      return PeerId.fromDigest(
          MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies the remaining bytes of a buffer without moving its position.
   *
   * @param buffer the buffer
   * @return its bytes
   */
  public static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  /**
   * Encodes an int as four big-endian bytes.
   *
   * @param value the value
   * @return its bytes
   */
  public static byte[] intPayload(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
