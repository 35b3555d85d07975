package org.fedgossip.trust;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * Signs payloads with a peer's Ed25519 key (RFC 8032, PureEdDSA) over the canonical encoding of
 * {@link SignedPayload}. Ed25519 signing is deterministic, so no randomness is needed.
 *
 * <p>The signature engine is BouncyCastle's {@link Ed25519Signer}: on JDK 17 it signs a 1 KiB
 * payload several times faster than the JDK's {@code Signature.getInstance("Ed25519")}, and every
 * gossip message is signed once and verified at each hop. Keys stay JDK {@link KeyPair}s.
 *
 * <p>A signer holds no mutable state (each call creates its own engine) and may be shared.
 */
public final class PayloadSigner {

  private final PeerId sender;
  private final Ed25519PrivateKeyParameters privateKey;

  /**
   * Creates a signer for a key pair.
   *
   * @param keys the peer's Ed25519 key pair; the sender id is derived from the public key
   */
  public PayloadSigner(KeyPair keys) {
    Objects.requireNonNull(keys, "keys");
    this.sender = Ed25519Keys.peerId(keys.getPublic());
    try {
      this.privateKey =
          (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(keys.getPrivate().getEncoded());
    } catch (IOException | ClassCastException e) {
      throw new TrustException(
          "not an Ed25519 private key: " + keys.getPrivate().getAlgorithm(), e);
    }
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
    byte[] header =
        SignedPayload.header(sender, payloadType, round, sequence, timestampMillis, payload.length);
    Ed25519Signer engine = new Ed25519Signer();
    engine.init(true, privateKey);
    engine.update(header, 0, header.length);
    engine.update(payload, 0, payload.length);
    return new SignedPayload(
        sender, payloadType, round, sequence, timestampMillis, payload, engine.generateSignature());
  }
}
