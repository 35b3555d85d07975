package org.fedgossip.core.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedgossip.basket.CertificateRoster;
import org.fedgossip.trust.CertificateStatus;
import org.fedgossip.trust.CertificateValidator;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's identity and its view of the federation, loaded from files: its key and certificate,
 * the CA certificate and CRL, and the roster directory holding every member's certificate.
 *
 * <p>Each roster certificate is validated against the CA and CRL at load; one that fails is left
 * out and logged with its file and status, so a revoked or foreign certificate never joins.
 *
 * @param keys this process's Ed25519 key pair
 * @param certificate its parsed certificate
 * @param caCertificateFile the CA certificate file
 * @param crlFile the CRL file
 * @param validator the CA and CRL as loaded
 * @param roster the validated members, the coordinator included
 */
public record FederationFiles(
    KeyPair keys,
    PeerCertificate certificate,
    Path caCertificateFile,
    Path crlFile,
    CertificateValidator validator,
    CertificateRoster roster) {

  private static final Logger LOG = LoggerFactory.getLogger(FederationFiles.class);

  /**
   * Loads every file.
   *
   * @param keyFile {@code peer.key}
   * @param certificateFile {@code peer.crt}
   * @param caCertificateFile the CA's certificate
   * @param crlFile the CA's CRL
   * @param rosterDirectory a directory of {@code *.crt} files
   * @param now the time of the checks
   * @return the files
   * @throws org.fedgossip.trust.TrustException naming a file that is missing, malformed or too open
   * @throws IllegalArgumentException when this process's own certificate does not validate
   */
  public static FederationFiles load(
      Path keyFile,
      Path certificateFile,
      Path caCertificateFile,
      Path crlFile,
      Path rosterDirectory,
      Instant now) {
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    X509Certificate own = PemFiles.readCertificate(certificateFile);
    CertificateValidator validator =
        new CertificateValidator(
            PemFiles.readCertificate(caCertificateFile), PemFiles.readCrl(crlFile));
    CertificateValidator.Result result = validator.validate(own, now);
    if (!result.ok()) {
      throw new IllegalArgumentException(
          "peer.crt "
              + certificateFile
              + " does not validate against peer.caCrt: "
              + result.status());
    }
    CertificateRoster roster = new CertificateRoster();
    roster.admit(own, validator, now);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(rosterDirectory, "*.crt")) {
      dir.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("peer.roster " + rosterDirectory + " cannot be read", e);
    }
    files.sort(null);
    for (Path f : files) {
      CertificateStatus status = roster.admit(PemFiles.readCertificate(f), validator, now);
      if (status != CertificateStatus.OK) {
        LOG.warn("roster certificate {} left out: {}", f, status);
      }
    }
    return new FederationFiles(
        new KeyPair(own.getPublicKey(), key),
        result.peer(),
        caCertificateFile,
        crlFile,
        validator,
        roster);
  }

  /**
   * This process's id.
   *
   * @return the id bound in its certificate
   */
  public PeerId id() {
    return certificate.peerId();
  }

  /**
   * A member's identity key, for signature checks.
   *
   * @param peer the member
   * @return its Ed25519 public key, empty if it is not in the roster
   */
  public Optional<PublicKey> key(PeerId peer) {
    return roster.certificate(peer).map(c -> c.certificate().getPublicKey());
  }

  /**
   * A member's certified basket.
   *
   * @param peer the member
   * @return its basket, empty if it is not in the roster
   */
  public Optional<String> basket(PeerId peer) {
    return roster.certificate(peer).map(PeerCertificate::basket);
  }

  /**
   * The baskets of the roster's members, excluding one basket (the coordinator's).
   *
   * @param excluded the basket to leave out
   * @return the baskets, sorted
   */
  public List<String> baskets(String excluded) {
    TreeSet<String> out = new TreeSet<>();
    for (PeerId p : roster.peers()) {
      roster
          .certificate(p)
          .map(PeerCertificate::basket)
          .filter(b -> !b.equals(excluded))
          .ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * The members of a basket.
   *
   * @param basket the basket
   * @return their ids by display name
   */
  public Map<String, PeerId> members(String basket) {
    Map<String, PeerId> out = new TreeMap<>();
    for (PeerId p : roster.peers()) {
      roster
          .certificate(p)
          .filter(c -> c.basket().equals(basket))
          .ifPresent(c -> out.put(c.displayName(), p));
    }
    return out;
  }
}
