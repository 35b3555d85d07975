package org.fedgossip.trust;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Objects;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Ed25519 key pairs (RFC 8032) from the JDK's provider, and the raw 32-byte public key a {@link
 * PeerId} is derived from.
 */
public final class Ed25519Keys {

  private Ed25519Keys() {}

  /**
   * Generates a key pair.
   *
   * @param random the source of the private key's 32 seed bytes
   * @return a fresh Ed25519 key pair
   */
  public static KeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK provides Ed25519 since Java 15", e);
    }
  }

  /**
   * The raw public key of RFC 8032, section 5.1.5, taken from the key's X.509 encoding.
   *
   * @param key an Ed25519 public key
   * @return 32 bytes
   * @throws TrustException if the key is not an Ed25519 key
   */
  public static byte[] rawPublicKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
    } catch (RuntimeException e) {
      throw new TrustException("not an encodable public key: algorithm " + key.getAlgorithm(), e);
    }
    if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
      throw new TrustException(
          "expected an Ed25519 public key (OID 1.3.101.112), got algorithm "
              + key.getAlgorithm()
              + " (OID "
              + info.getAlgorithm().getAlgorithm().getId()
              + ")");
    }
    byte[] raw = info.getPublicKeyData().getOctets();
    if (raw.length != PeerId.ED25519_PUBLIC_KEY_BYTES) {
      throw new TrustException("an Ed25519 public key has 32 bytes, got " + raw.length);
    }
    return raw;
  }

  /**
   * The id of the peer owning this key.
   *
   * @param key an Ed25519 public key
   * @return SHA-256 of the raw key
   */
  public static PeerId peerId(PublicKey key) {
    return PeerId.fromPublicKey(rawPublicKey(key));
  }
}
