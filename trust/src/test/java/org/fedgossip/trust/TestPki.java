package org.fedgossip.trust;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Fixtures for trust tests: seeded randomness, a fixed time, and a CA with issued peers. */
final class TestPki {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private TestPki() {}

  /** A deterministic SecureRandom: SHA1PRNG seeded before first use never mixes in entropy. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(BigInteger.valueOf(seed).toByteArray());
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static FederationCa newCa(Path dir, long seed) {
    return FederationCa.create(
        dir, "Test Federation CA", T0, FederationCa.DEFAULT_CA_VALIDITY, seeded(seed), false);
  }

  /** A peer's key pair and certificate. */
  record Peer(KeyPair keys, X509Certificate certificate) {
    PeerId id() {
      return Ed25519Keys.peerId(keys.getPublic());
    }
  }

  static Peer issue(FederationCa ca, SecureRandom random, String name, String basket) {
    KeyPair keys = Ed25519Keys.generate(random);
    X509Certificate cert =
        ca.issue(keys.getPublic(), name, basket, T0, FederationCa.DEFAULT_PEER_VALIDITY);
    return new Peer(keys, cert);
  }

  /**
   * A certificate signed by the CA's key whose subjectAltName claims {@code claimedId} for {@code
   * key}: what a compromised or buggy issuer could produce.
   */
  static X509Certificate forgeWithClaimedId(
      FederationCa ca, PrivateKey caKey, PublicKey key, PeerId claimedId)
      throws GeneralSecurityException,
          java.io.IOException,
          org.bouncycastle.operator.OperatorCreationException {
    X500Name subject = new X500Name("O=fedgossip,OU=b,CN=forged");
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca.certificate(),
            BigInteger.valueOf(424242),
            Date.from(T0),
            Date.from(T0.plus(Duration.ofDays(1))),
            subject,
            key);
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new DERSequence(
            new ASN1Encodable[] {
              new GeneralName(
                  GeneralName.uniformResourceIdentifier,
                  PeerCertificate.PEER_URI_PREFIX + claimedId)
            }));
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("Ed25519").build(caKey)));
  }
}
