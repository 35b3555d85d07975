package org.fedgossip.trust;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A payload with the Ed25519 signature of its sender over a canonical encoding of every field.
 *
 * <p>Canonical encoding, big-endian, each variable-length field prefixed by its length as an
 * unsigned 32-bit integer: the domain-separation tag {@value #DOMAIN_TAG} (length-prefixed ASCII),
 * the sender's 32-byte id digest (length-prefixed), the payload type (length-prefixed UTF-8), the
 * round (int64), the sequence number (int64), the timestamp in Unix milliseconds (int64), then the
 * payload (length-prefixed). Length prefixes make the encoding injective, so no two different field
 * tuples sign the same bytes, and the tag keeps these signatures from being valid for any other
 * fedgossip message type (a TLS handshake signature, a SecAgg message). A relay therefore cannot
 * alter any field without the signature failing.
 *
 * <p>The arrays are not copied, so a multi-megabyte payload is not duplicated on its way through
 * the checks; callers must not modify them after construction.
 *
 * @param sender the signer's id
 * @param payloadType the payload type name, for example {@code "gossip.update"}
 * @param round the training round the payload belongs to
 * @param sequence the sender's sequence number, strictly increasing per sender for fresh messages
 * @param timestampMillis the sender's clock at signing, Unix milliseconds
 * @param payload the payload bytes
 * @param signature the 64-byte Ed25519 signature of {@link #canonicalEncoding()}
 */
public record SignedPayload(
    PeerId sender,
    String payloadType,
    long round,
    long sequence,
    long timestampMillis,
    byte[] payload,
    byte[] signature) {

  /** The domain-separation tag at the start of every signed encoding. */
  public static final String DOMAIN_TAG = "fedgossip/signed-payload/v1";

  /** Length of an Ed25519 signature in bytes (RFC 8032, section 5.1.6). */
  public static final int SIGNATURE_BYTES = 64;

  private static final byte[] TAG_BYTES = DOMAIN_TAG.getBytes(StandardCharsets.US_ASCII);

  /** Checks that no component is null. */
  public SignedPayload {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * The bytes that precede the payload in the canonical encoding (everything up to and including
   * the payload length).
   *
   * @param sender the sender
   * @param payloadType the type
   * @param round the round
   * @param sequence the sequence number
   * @param timestampMillis the timestamp
   * @param payloadLength the payload length in bytes
   * @return the header bytes
   */
  static byte[] header(
      PeerId sender,
      String payloadType,
      long round,
      long sequence,
      long timestampMillis,
      int payloadLength) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(
            4 + TAG_BYTES.length + 4 + PeerId.DIGEST_BYTES + 4 + type.length + 24 + 4);
    b.putInt(TAG_BYTES.length).put(TAG_BYTES);
    b.putInt(PeerId.DIGEST_BYTES).put(sender.toBytes());
    b.putInt(type.length).put(type);
    b.putLong(round).putLong(sequence).putLong(timestampMillis);
    b.putInt(payloadLength);
    return b.array();
  }

  /**
   * The exact bytes the signature covers.
   *
   * @return header followed by the payload
   */
  public byte[] canonicalEncoding() {
    byte[] h = header(sender, payloadType, round, sequence, timestampMillis, payload.length);
    byte[] out = Arrays.copyOf(h, h.length + payload.length);
    System.arraycopy(payload, 0, out, h.length, payload.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedPayload p
        && sender.equals(p.sender)
        && payloadType.equals(p.payloadType)
        && round == p.round
        && sequence == p.sequence
        && timestampMillis == p.timestampMillis
        && Arrays.equals(payload, p.payload)
        && Arrays.equals(signature, p.signature);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(sender, payloadType, round, sequence, timestampMillis);
    return 31 * (31 * h + Arrays.hashCode(payload)) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedPayload[sender="
        + sender.shortString()
        + ", type="
        + payloadType
        + ", round="
        + round
        + ", sequence="
        + sequence
        + ", timestampMillis="
        + timestampMillis
        + ", payloadBytes="
        + payload.length
        + ", signature="
        + HexFormat.of().formatHex(signature, 0, Math.min(8, signature.length))
        + "...]";
  }
}
