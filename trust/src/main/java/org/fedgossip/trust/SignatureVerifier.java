package org.fedgossip.trust;

import java.security.PublicKey;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies the Ed25519 signature of a {@link SignedPayload} (RFC 8032, section 5.1.7) against the
 * sender's public key, taken from its certificate.
 *
 * <p>The engine is BouncyCastle's {@link Ed25519Signer}, several times faster on JDK 17 than the
 * JDK's provider; it follows RFC 8032's verification equation.
 */
public final class SignatureVerifier {

  private SignatureVerifier() {}

  /**
   * Whether the payload was signed by the holder of {@code senderKey} and that key is the payload's
   * claimed sender.
   *
   * @param payload the signed payload
   * @param senderKey the Ed25519 public key of the claimed sender
   * @return true only if the key hashes to the sender id and the signature verifies; a malformed
   *     signature or key yields false, never an exception
   */
  public static boolean verify(SignedPayload payload, PublicKey senderKey) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(senderKey, "senderKey");
    if (payload.signature().length != SignedPayload.SIGNATURE_BYTES) {
      return false;
    }
    try {
      byte[] rawKey = Ed25519Keys.rawPublicKey(senderKey);
      if (!PeerId.fromPublicKey(rawKey).equals(payload.sender())) {
        return false;
      }
      Ed25519Signer engine = new Ed25519Signer();
      engine.init(false, new Ed25519PublicKeyParameters(rawKey, 0));
      byte[] header =
          SignedPayload.header(
              payload.sender(),
              payload.payloadType(),
              payload.round(),
              payload.sequence(),
              payload.timestampMillis(),
              payload.payload().length);
      engine.update(header, 0, header.length);
      engine.update(payload.payload(), 0, payload.payload().length);
      return engine.verifySignature(payload.signature());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Verifies against the key in a peer certificate.
   *
   * @param payload the signed payload
   * @param sender the sender's certificate
   * @return as {@link #verify(SignedPayload, PublicKey)}
   */
  public static boolean verify(SignedPayload payload, PeerCertificate sender) {
    return verify(payload, sender.certificate().getPublicKey());
  }
}
