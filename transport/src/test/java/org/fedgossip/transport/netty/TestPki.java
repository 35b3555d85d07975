package org.fedgossip.transport.netty;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fedgossip.trust.PeerId;

/**
 * A test-only certificate authority for mutual TLS on loopback: EC P-256 keys, peer certificates
 * whose subject CN is the peer id. The federation CA of the trust module replaces it in production.
 */
final class TestPki {
  private static final char[] PASSWORD = "test".toCharArray();
  private static final AtomicLong SERIALS = new AtomicLong(1);

  /** A CA: its key pair and self-signed certificate. */
  record Authority(KeyPair keys, X509Certificate certificate) {}

  /** A peer's key pair and certificate, and the CA that issued it. */
  record Credential(KeyPair keys, X509Certificate certificate, Authority issuer) {}

  private TestPki() {}

  static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Authority authority(String name) {
    KeyPair keys = ecKeys();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(SERIALS.getAndIncrement()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Authority(keys, sign(builder, keys));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Credential issue(Authority ca, PeerId peer, Instant notBefore, Instant notAfter) {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca.certificate(),
            BigInteger.valueOf(SERIALS.getAndIncrement()),
            Date.from(notBefore),
            Date.from(notAfter),
            new javax.security.auth.x500.X500Principal("CN=" + peer),
            keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      return new Credential(keys, sign(builder, ca.keys()), ca);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Credential issue(Authority ca, PeerId peer) {
    Instant now = Instant.now();
    return issue(ca, peer, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An SSL context presenting {@code credential} (or no certificate when null) and trusting {@code
   * trusted}.
   */
  static SSLContext context(Credential credential, Authority trusted) {
    try {
      KeyManagerFactory keyManagers = null;
      if (credential != null) {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(
            "peer",
            credential.keys().getPrivate(),
            PASSWORD,
            new Certificate[] {credential.certificate(), credential.issuer().certificate()});
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD);
      }
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("ca", trusted.certificate());
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
      trustManagers.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(
          keyManagers == null ? null : keyManagers.getKeyManagers(),
          trustManagers.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the peer id from the CN of the chain's first certificate; refuses revoked serials. */
  static PeerCertificateVerifier verifier(Set<BigInteger> revokedSerials) {
    return chain -> {
      X509Certificate leaf = chain[0];
      if (revokedSerials.contains(leaf.getSerialNumber())) {
        throw new CertificateException("certificate " + leaf.getSerialNumber() + " is revoked");
      }
      try {
        for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            return PeerId.parse(rdn.getValue().toString());
          }
        }
      } catch (InvalidNameException | IllegalArgumentException e) {
        throw new CertificateException("the certificate binds no peer id", e);
      }
      throw new CertificateException("the certificate has no CN");
    };
  }

  static TlsConfig tls(Credential credential, Authority trusted, Set<BigInteger> revoked) {
    return TlsConfig.tls13(context(credential, trusted), verifier(revoked));
  }
}
