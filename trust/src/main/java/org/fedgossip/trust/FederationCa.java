package org.fedgossip.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The federation's certificate authority: it issues Ed25519 peer certificates that bind a {@link
 * PeerId}, a display name and a basket, and keeps the CRL the transport honours.
 *
 * <p>Directory layout: {@code ca.crt} (self-signed CA certificate, PEM), {@code ca.key} (PKCS#8
 * Ed25519 key, mode 600), {@code ca.crl} (PEM X.509 v2 CRL signed by the CA, CRL number increasing
 * by one per revocation, next update set to the CA's expiry), {@code issued.tsv} (index of issued
 * certificates: serial in hex, peer id, basket, not-before, not-after, display name) and {@code
 * ca.lock} (a lock file so that issuing and revoking in separate processes serialise). Every file
 * is written atomically (see {@link PemFiles}).
 *
 * <p>Serial numbers are random positive 127-bit integers drawn from the passed-in {@link
 * SecureRandom} (RFC 5280 allows up to 20 octets; CA/Browser Forum practice asks for 64 random
 * bits), re-drawn on the negligible chance of a collision with the index; so no serial counter
 * needs to be kept and an attacker cannot predict serials. Peer certificates never outlive the CA:
 * their expiry is capped at the CA's.
 */
public final class FederationCa {

  /** File name of the CA certificate. */
  public static final String CERTIFICATE_FILE = "ca.crt";

  /** File name of the CA private key. */
  public static final String KEY_FILE = "ca.key";

  /** File name of the CRL. */
  public static final String CRL_FILE = "ca.crl";

  /** File name of the index of issued certificates. */
  public static final String INDEX_FILE = "issued.tsv";

  /** File name of the inter-process lock. */
  public static final String LOCK_FILE = "ca.lock";

  /** Default validity of a CA certificate: ten years. */
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

  /** Default validity of a peer certificate: one year. */
  public static final Duration DEFAULT_PEER_VALIDITY = Duration.ofDays(365);

  private static final String SIGNATURE_ALGORITHM = "Ed25519";
  private static final String INDEX_HEADER =
      "# serial-hex\tpeer-id\tbasket\tnot-before\tnot-after\tdisplay-name";
  private static final Object JVM_LOCK = new Object();

  private final Path directory;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final SecureRandom random;

  private FederationCa(
      Path directory, X509Certificate certificate, PrivateKey privateKey, SecureRandom random) {
    this.directory = directory;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.random = random;
  }

  /**
   * Whether a directory already holds a CA certificate or key.
   *
   * @param directory the directory
   * @return true if {@code ca.crt} or {@code ca.key} exists in it
   */
  public static boolean exists(Path directory) {
    return Files.exists(directory.resolve(CERTIFICATE_FILE))
        || Files.exists(directory.resolve(KEY_FILE));
  }

  /**
   * Creates a new CA in a directory: key pair, self-signed certificate, empty CRL and index.
   *
   * @param directory where to write; created if missing
   * @param name the CA's common name
   * @param now start of validity
   * @param validity how long the CA certificate is valid, positive
   * @param random the source of the key and serial numbers
   * @param overwrite replace an existing CA in the directory
   * @return the CA
   * @throws TrustException if a CA exists there and {@code overwrite} is false
   * @throws IllegalArgumentException naming the value if the name or validity is invalid
   */
  public static FederationCa create(
      Path directory,
      String name,
      Instant now,
      Duration validity,
      SecureRandom random,
      boolean overwrite) {
    Objects.requireNonNull(directory, "directory");
    PeerCertificate.requireValidDisplayName(name);
    requirePositive(validity, "validity");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(random, "random");
    if (!overwrite && exists(directory)) {
      throw new TrustException(
          "a CA already exists in " + directory + " (" + CERTIFICATE_FILE + "/" + KEY_FILE + ")");
    }
    KeyPair keys = Ed25519Keys.generate(random);
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notBefore.plus(validity);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, PeerCertificate.ORGANISATION)
            .addRDN(BCStyle.CN, name)
            .build();
    BigInteger serial = randomSerial(random, Set.of());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial,
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(keys.getPublic()));
      X509Certificate caCertificate = sign(builder, keys.getPrivate());
      FederationCa ca = new FederationCa(directory, caCertificate, keys.getPrivate(), random);
      PemFiles.writePrivateKey(directory.resolve(KEY_FILE), keys.getPrivate());
      PemFiles.writeCertificate(directory.resolve(CERTIFICATE_FILE), caCertificate);
      PemFiles.writeAtomically(
          directory.resolve(INDEX_FILE),
          (INDEX_HEADER + "\n").getBytes(StandardCharsets.UTF_8),
          false);
      PemFiles.writeCrl(
          directory.resolve(CRL_FILE), ca.buildCrl(null, BigInteger.ONE, null, null, notBefore));
      return ca;
    } catch (GeneralSecurityException | CertIOException e) {
      throw new TrustException("cannot build the CA certificate for " + directory + ": " + e, e);
    }
  }

  /**
   * Opens an existing CA directory.
   *
   * @param directory a directory written by {@link #create}
   * @param random the source of serial numbers for new certificates
   * @return the CA
   * @throws TrustException naming the directory or file if it is missing, malformed or the key is
   *     too open or does not match the certificate
   */
  public static FederationCa open(Path directory, SecureRandom random) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(random, "random");
    if (!Files.isDirectory(directory)) {
      throw new TrustException("CA directory " + directory + " does not exist");
    }
    X509Certificate cert = PemFiles.readCertificate(directory.resolve(CERTIFICATE_FILE));
    PrivateKey key = PemFiles.readPrivateKey(directory.resolve(KEY_FILE));
    FederationCa ca = new FederationCa(directory, cert, key, random);
    ca.requireKeyMatchesCertificate();
    return ca;
  }

  /**
   * Reads only a CA's certificate, for verifiers that do not hold the key.
   *
   * @param directory a CA directory
   * @return the CA certificate
   */
  public static X509Certificate readCertificate(Path directory) {
    return PemFiles.readCertificate(directory.resolve(CERTIFICATE_FILE));
  }

  /**
   * Reads only a CA's current CRL.
   *
   * @param directory a CA directory
   * @return the CRL
   */
  public static X509CRL readCrl(Path directory) {
    return PemFiles.readCrl(directory.resolve(CRL_FILE));
  }

  /**
   * The CA's directory.
   *
   * @return the directory this CA reads and writes
   */
  public Path directory() {
    return directory;
  }

  /**
   * The CA certificate.
   *
   * @return the self-signed certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The current CRL, read from disk so revocations by other processes are seen.
   *
   * @return the CRL
   */
  public X509CRL crl() {
    return readCrl(directory);
  }

  /**
   * One certificate to issue: a peer's key, display name (CN) and basket (OU).
   *
   * @param peerKey the peer's Ed25519 public key
   * @param displayName the peer's display name, see {@link PeerCertificate#requireValidDisplayName}
   * @param basket the peer's basket, see {@link PeerCertificate#BASKET_PATTERN}
   */
  public record Request(PublicKey peerKey, String displayName, String basket) {

    /**
     * Validates the names.
     *
     * @throws IllegalArgumentException naming the value if a name is invalid
     */
    public Request {
      Objects.requireNonNull(peerKey, "peerKey");
      PeerCertificate.requireValidDisplayName(displayName);
      PeerCertificate.requireValidBasket(basket);
    }
  }

  /** A validated request with its subject and id. */
  private record Prepared(
      PublicKey peerKey, PeerId id, String basket, String displayName, X500Name subject) {}

  /**
   * Issues a peer certificate for a public key and records it in the index.
   *
   * @param peerKey the peer's Ed25519 public key
   * @param displayName the peer's display name (CN)
   * @param basket the peer's basket (OU), see {@link PeerCertificate#BASKET_PATTERN}
   * @param now start of validity
   * @param validity how long the certificate is valid, positive; capped at the CA's expiry
   * @return the certificate
   * @throws IllegalArgumentException naming the value if a name or the validity is invalid
   * @throws TrustException if the CA has expired at {@code now} or the index cannot be written
   */
  public X509Certificate issue(
      PublicKey peerKey, String displayName, String basket, Instant now, Duration validity) {
    Objects.requireNonNull(peerKey, "peerKey");
    return issueAll(List.of(new Request(peerKey, displayName, basket)), now, validity).get(0);
  }

  /**
   * Issues many certificates under one lock, reading and rewriting the index once: the same
   * certificates as {@link #issue} one by one, in order, without its cost per call of reading and
   * rewriting the whole index (quadratic in the number of peers; 10,000 peers in one simulation).
   *
   * @param requests the certificates to issue, in order
   * @param now start of validity of each
   * @param validity how long each is valid, positive; capped at the CA's expiry
   * @return the certificates, in the order of the requests
   * @throws IllegalArgumentException naming the value if the validity is invalid
   * @throws TrustException if the CA has expired at {@code now} or the index cannot be written
   */
  public List<X509Certificate> issueAll(List<Request> requests, Instant now, Duration validity) {
    Objects.requireNonNull(requests, "requests");
    requirePositive(validity, "validity");
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (!notBefore.isBefore(caNotAfter)) {
      throw new TrustException(
          "the CA in " + directory + " expired at " + caNotAfter + "; it cannot issue at " + now);
    }
    Instant requestedNotAfter = notBefore.plus(validity);
    Instant notAfter = requestedNotAfter.isAfter(caNotAfter) ? caNotAfter : requestedNotAfter;
    List<Prepared> prepared = new ArrayList<>(requests.size());
    for (Request q : requests) {
      Objects.requireNonNull(q, "request");
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, PeerCertificate.ORGANISATION)
              .addRDN(BCStyle.OU, q.basket())
              .addRDN(BCStyle.CN, q.displayName())
              .build();
      prepared.add(
          new Prepared(
              q.peerKey(), Ed25519Keys.peerId(q.peerKey()), q.basket(), q.displayName(), subject));
    }
    return locked(
        () -> {
          List<IssuedCertificate> index = readIndex();
          Set<BigInteger> serials = new HashSet<>();
          for (IssuedCertificate c : index) {
            serials.add(c.serial());
          }
          List<IssuedCertificate> updated = new ArrayList<>(index);
          List<X509Certificate> out = new ArrayList<>(prepared.size());
          for (Prepared r : prepared) {
            BigInteger serial = randomSerial(random, serials);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        certificate,
                        serial,
                        Date.from(notBefore),
                        Date.from(notAfter),
                        r.subject(),
                        r.peerKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                        Extension.extendedKeyUsage,
                        false,
                        new ExtendedKeyUsage(
                            new KeyPurposeId[] {
                              KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                            }))
                    .addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new DERSequence(
                            new ASN1Encodable[] {
                              new GeneralName(
                                  GeneralName.uniformResourceIdentifier,
                                  PeerCertificate.PEER_URI_PREFIX + r.id()),
                              new GeneralName(GeneralName.dNSName, r.id().toString())
                            }))
                    .addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        ext.createSubjectKeyIdentifier(r.peerKey()))
                    .addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        ext.createAuthorityKeyIdentifier(certificate));
            out.add(sign(builder, privateKey));
            serials.add(serial);
            updated.add(
                new IssuedCertificate(
                    serial, r.id(), r.basket(), r.displayName(), notBefore, notAfter));
          }
          writeIndex(updated);
          return out;
        },
        "cannot issue a certificate from ");
  }

  /**
   * Revokes a certificate: adds it to the CRL, with a CRL number one higher, written atomically.
   *
   * @param serial the serial of a certificate this CA issued
   * @param reason the reason written into the CRL entry
   * @param now the revocation date and the CRL's this-update time
   * @return true if the CRL changed, false if the serial was already revoked
   * @throws TrustException if this CA never issued the serial
   */
  public boolean revoke(BigInteger serial, RevocationReason reason, Instant now) {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(now, "now");
    return locked(
        () -> {
          boolean known = readIndex().stream().anyMatch(c -> c.serial().equals(serial));
          if (!known) {
            throw new TrustException(
                "serial " + serial.toString(16) + " was not issued by the CA in " + directory);
          }
          X509CRL current = crl();
          if (current.getRevokedCertificate(serial) != null) {
            return false;
          }
          BigInteger number = crlNumber(current).add(BigInteger.ONE);
          X509CRL next =
              buildCrl(current, number, serial, reason, now.truncatedTo(ChronoUnit.SECONDS));
          PemFiles.writeCrl(directory.resolve(CRL_FILE), next);
          return true;
        },
        "cannot update the CRL in ");
  }

  /** An action run while holding the CA's lock. */
  private interface LockedAction<T> {
    T run() throws IOException, GeneralSecurityException;
  }

  /**
   * Runs an action holding both a JVM-wide monitor (file locks are per process) and an exclusive
   * lock on {@code ca.lock} (so separate processes serialise).
   */
  private <T> T locked(LockedAction<T> action, String failure) {
    synchronized (JVM_LOCK) {
      try (FileChannel lockChannel = openLock()) {
        FileLock lock = lockChannel.lock();
        try {
          return action.run();
        } finally {
          lock.release();
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new TrustException(failure + directory + ": " + e, e);
      }
    }
  }

  /**
   * The certificates this CA has issued, from its index.
   *
   * @return the index entries in issue order
   */
  public List<IssuedCertificate> issued() {
    return Collections.unmodifiableList(readIndex());
  }

  /**
   * The CRL number of a CRL (RFC 5280, section 5.2.3).
   *
   * @param crl a CRL written by a federation CA
   * @return its number
   * @throws TrustException if it has none
   */
  public static BigInteger crlNumber(X509CRL crl) {
    try {
      X509CRLHolder holder = new X509CRLHolder(crl.getEncoded());
      Extension e = holder.getExtension(Extension.cRLNumber);
      if (e == null) {
        throw new TrustException("CRL from " + crl.getIssuerX500Principal() + " has no CRL number");
      }
      return CRLNumber.getInstance(e.getParsedValue()).getCRLNumber();
    } catch (IOException | CRLException e) {
      throw new TrustException("malformed CRL from " + crl.getIssuerX500Principal(), e);
    }
  }

  private X509CRL buildCrl(
      X509CRL previous,
      BigInteger number,
      BigInteger revokedSerial,
      RevocationReason reason,
      Instant now)
      throws GeneralSecurityException {
    try {
      X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
      X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(now));
      builder.setNextUpdate(certificate.getNotAfter());
      if (previous != null) {
        builder.addCRL(new X509CRLHolder(previous.getEncoded()));
      }
      if (revokedSerial != null) {
        builder.addCRLEntry(revokedSerial, Date.from(now), reason.code());
      }
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      return new JcaX509CRLConverter().getCRL(builder.build(signer(privateKey)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the CRL: " + e, e);
    }
  }

  private void requireKeyMatchesCertificate() {
    try {
      byte[] probe = "fedgossip-ca-key-check".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature s = java.security.Signature.getInstance(SIGNATURE_ALGORITHM);
      s.initSign(privateKey);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(certificate.getPublicKey());
      s.update(probe);
      if (!s.verify(sig)) {
        throw new TrustException(
            "the key in "
                + directory.resolve(KEY_FILE)
                + " does not match "
                + directory.resolve(CERTIFICATE_FILE));
      }
    } catch (GeneralSecurityException e) {
      throw new TrustException(
          "the key in " + directory.resolve(KEY_FILE) + " cannot sign for the CA: " + e, e);
    }
  }

  private FileChannel openLock() throws IOException {
    return FileChannel.open(
        directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private List<IssuedCertificate> readIndex() {
    Path file = directory.resolve(INDEX_FILE);
    List<IssuedCertificate> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TrustException("cannot read " + file + ": " + e, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(IssuedCertificate.fromLine(line));
      } catch (RuntimeException e) {
        throw new TrustException(
            "malformed line " + (i + 1) + " of " + file + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private void writeIndex(List<IssuedCertificate> entries) {
    StringBuilder sb = new StringBuilder(INDEX_HEADER).append('\n');
    for (IssuedCertificate c : entries) {
      sb.append(c.toLine()).append('\n');
    }
    PemFiles.writeAtomically(
        directory.resolve(INDEX_FILE), sb.toString().getBytes(StandardCharsets.UTF_8), false);
  }

  private static BigInteger randomSerial(SecureRandom random, Set<BigInteger> taken) {
    while (true) {
      BigInteger serial = new BigInteger(127, random);
      if (serial.signum() > 0 && !taken.contains(serial)) {
        return serial;
      }
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    X509CertificateHolder holder = builder.build(signer(key));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create an Ed25519 signer: " + e.getMessage(), e);
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
