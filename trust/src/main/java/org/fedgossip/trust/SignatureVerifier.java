package org.fedgossip.trust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Verifies the Ed25519 signature of a {@link SignedPayload} (RFC 8032, section 5.1.7) against the
 * sender's public key, taken from its certificate.
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
      if (!Ed25519Keys.peerId(senderKey).equals(payload.sender())) {
        return false;
      }
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(senderKey);
      s.update(
          SignedPayload.header(
              payload.sender(),
              payload.payloadType(),
              payload.round(),
              payload.sequence(),
              payload.timestampMillis(),
              payload.payload().length));
      s.update(payload.payload());
      return s.verify(payload.signature());
    } catch (GeneralSecurityException | RuntimeException e) {
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
