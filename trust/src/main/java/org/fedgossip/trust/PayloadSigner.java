package org.fedgossip.trust;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signs payloads with a peer's Ed25519 key (RFC 8032, PureEdDSA) over the canonical encoding of
 * {@link SignedPayload}. Ed25519 signing is deterministic, so no randomness is needed.
 *
 * <p>A signer is not thread-safe only in the sense that each call creates its own {@link
 * Signature}; it holds no mutable state and may be shared.
 */
public final class PayloadSigner {

  private final PeerId sender;
  private final PrivateKey privateKey;

  /**
   * Creates a signer for a key pair.
   *
   * @param keys the peer's Ed25519 key pair; the sender id is derived from the public key
   */
  public PayloadSigner(KeyPair keys) {
    Objects.requireNonNull(keys, "keys");
    this.sender = Ed25519Keys.peerId(keys.getPublic());
    this.privateKey = keys.getPrivate();
  }

  /**
   * The id this signer signs as.
   *
   * @return the sender id
   */
  public PeerId sender() {
    return sender;
  }

  /**
   * Signs a payload.
   *
   * @param payloadType the type name; non-empty
   * @param round the round
   * @param sequence the sender's sequence number
   * @param timestampMillis the sender's time, Unix milliseconds
   * @param payload the bytes; not copied
   * @return the signed payload
   */
  public SignedPayload sign(
      String payloadType, long round, long sequence, long timestampMillis, byte[] payload) {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    if (payloadType.isEmpty()) {
      throw new IllegalArgumentException("payloadType must not be empty");
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(
          SignedPayload.header(
              sender, payloadType, round, sequence, timestampMillis, payload.length));
      s.update(payload);
      return new SignedPayload(
          sender, payloadType, round, sequence, timestampMillis, payload, s.sign());
    } catch (GeneralSecurityException e) {
      throw new TrustException("cannot sign a " + payloadType + " payload as " + sender, e);
    }
  }
}
