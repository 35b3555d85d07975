package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationCaTest {

  @TempDir Path dir;

  @Test
  void shouldWriteCaFilesWithPrivateKeyMode600AndAnEmptyCrlNumberedOne() throws Exception {
    FederationCa ca = TestPki.newCa(dir, 1);

    assertThat(Files.getPosixFilePermissions(dir.resolve(FederationCa.KEY_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve(FederationCa.CERTIFICATE_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    X509Certificate cert = ca.certificate();
    assertThat(cert.getBasicConstraints()).isEqualTo(0);
    assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("Ed25519");
    X509CRL crl = ca.crl();
    assertThat(crl.getRevokedCertificates()).isNull();
    assertThat(FederationCa.crlNumber(crl)).isEqualTo(BigInteger.ONE);
    crl.verify(cert.getPublicKey());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void shouldRefuseToOverwriteAnExistingCaUnlessAsked() {
    TestPki.newCa(dir, 1);

    assertThatThrownBy(() -> TestPki.newCa(dir, 2))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining(dir.toString());
    FederationCa replaced =
        FederationCa.create(dir, "Other", TestPki.T0, Duration.ofDays(10), TestPki.seeded(2), true);
    assertThat(FederationCa.readCertificate(dir)).isEqualTo(replaced.certificate());
  }

  @Test
  void shouldBindPeerIdNameAndBasketIntoATlsUsablePeerCertificate() throws Exception {
    FederationCa ca = TestPki.newCa(dir, 1);
    TestPki.Peer peer = TestPki.issue(ca, TestPki.seeded(3), "Hospital A, ward 3", "oncology-eu");

    PeerCertificate parsed = PeerCertificate.parse(peer.certificate());

    assertThat(parsed.peerId()).isEqualTo(peer.id());
    assertThat(parsed.idMatchesKey()).isTrue();
    assertThat(parsed.displayName()).isEqualTo("Hospital A, ward 3");
    assertThat(parsed.basket()).isEqualTo("oncology-eu");
    assertThat(parsed.notBefore()).isEqualTo(TestPki.T0);
    assertThat(parsed.notAfter()).isEqualTo(TestPki.T0.plus(FederationCa.DEFAULT_PEER_VALIDITY));
    X509Certificate c = peer.certificate();
    assertThat(c.getBasicConstraints()).as("CA:false").isEqualTo(-1);
    assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(c.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(c.getSubjectAlternativeNames())
        .anySatisfy(n -> assertThat(n.get(1)).isEqualTo("urn:fedgossip:peer:" + peer.id()))
        .anySatisfy(n -> assertThat(n.get(1)).isEqualTo(peer.id().toString()));
    c.verify(ca.certificate().getPublicKey());
    assertThat(c.getSerialNumber().signum()).isPositive();
    assertThat(ca.issued())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.serial()).isEqualTo(c.getSerialNumber());
              assertThat(e.peerId()).isEqualTo(peer.id());
              assertThat(e.basket()).isEqualTo("oncology-eu");
            });
  }

  @Test
  void shouldIssueABatchLikeTheSameCallsOneByOne() throws Exception {
    Path one = dir.resolve("one");
    Path batch = dir.resolve("batch");
    FederationCa single = TestPki.newCa(one, 1);
    FederationCa many = TestPki.newCa(batch, 1);
    SecureRandom keys = TestPki.seeded(5);
    List<FederationCa.Request> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(
          new FederationCa.Request(
              Ed25519Keys.generate(keys).getPublic(), "peer " + i, "basket-" + (i % 2)));
    }

    List<X509Certificate> issued =
        many.issueAll(requests, TestPki.T0, FederationCa.DEFAULT_PEER_VALIDITY);
    List<X509Certificate> oneByOne = new ArrayList<>();
    for (FederationCa.Request r : requests) {
      oneByOne.add(
          single.issue(
              r.peerKey(),
              r.displayName(),
              r.basket(),
              TestPki.T0,
              FederationCa.DEFAULT_PEER_VALIDITY));
    }

    assertThat(issued).hasSize(5);
    for (int i = 0; i < 5; i++) {
      X509Certificate c = issued.get(i);
      c.verify(many.certificate().getPublicKey());
      PeerCertificate parsed = PeerCertificate.parse(c);
      assertThat(parsed.peerId()).isEqualTo(Ed25519Keys.peerId(requests.get(i).peerKey()));
      assertThat(parsed.basket()).isEqualTo("basket-" + (i % 2));
      assertThat(c.getEncoded())
          .as("certificate %d: same CA seed, same serial draws, same bytes", i)
          .isEqualTo(oneByOne.get(i).getEncoded());
    }
    assertThat(Files.readString(batch.resolve(FederationCa.INDEX_FILE)))
        .isEqualTo(Files.readString(one.resolve(FederationCa.INDEX_FILE)));
    assertThat(many.issued()).extracting(IssuedCertificate::serial).doesNotHaveDuplicates();
  }

  @Test
  void shouldRefuseABadNameInABatchRequestNamingTheValue() {
    PublicKey key = Ed25519Keys.generate(TestPki.seeded(2)).getPublic();
    assertThatThrownBy(() -> new FederationCa.Request(key, "p", "Not A Label"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not A Label");
  }

  @Test
  void shouldCapPeerValidityAtTheCaExpiry() {
    FederationCa ca =
        FederationCa.create(
            dir, "Short CA", TestPki.T0, Duration.ofDays(30), TestPki.seeded(1), false);
    TestPki.Peer peer = TestPki.issue(ca, TestPki.seeded(3), "p", "b");

    assertThat(peer.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void shouldRefuseBadBasketAndDisplayNamesNamingTheValue() {
    FederationCa ca = TestPki.newCa(dir, 1);
    var key = Ed25519Keys.generate(TestPki.seeded(3)).getPublic();

    assertThatThrownBy(() -> ca.issue(key, "p", "Bad_Basket", TestPki.T0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bad_Basket'")
        .hasMessageContaining("[a-z0-9-]");
    assertThatThrownBy(() -> ca.issue(key, "p", "-x", TestPki.T0, Duration.ofDays(1)))
        .hasMessageContaining("'-x'");
    assertThatThrownBy(() -> ca.issue(key, "p", "a".repeat(64), TestPki.T0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ca.issue(key, " ", "b", TestPki.T0, Duration.ofDays(1)))
        .hasMessageContaining("display name");
    assertThatThrownBy(() -> ca.issue(key, "p", "b", TestPki.T0, Duration.ZERO))
        .hasMessageContaining("validity");
  }

  @Test
  void shouldRevokeAcrossReopenedInstancesWithIncreasingCrlNumbers() {
    TestPki.newCa(dir, 1);
    SecureRandom random = TestPki.seeded(5);
    FederationCa first = FederationCa.open(dir, random);
    TestPki.Peer a = TestPki.issue(first, random, "a", "b");
    TestPki.Peer b = TestPki.issue(FederationCa.open(dir, random), random, "b", "b");

    FederationCa reopened = FederationCa.open(dir, random);
    assertThat(reopened.issued()).hasSize(2);
    assertThat(
            reopened.revoke(
                a.certificate().getSerialNumber(),
                RevocationReason.KEY_COMPROMISE,
                TestPki.T0.plusSeconds(60)))
        .isTrue();
    X509CRL afterOne = FederationCa.readCrl(dir);
    assertThat(FederationCa.crlNumber(afterOne)).isEqualTo(BigInteger.TWO);
    assertThat(afterOne.isRevoked(a.certificate())).isTrue();
    assertThat(afterOne.isRevoked(b.certificate())).isFalse();

    FederationCa again = FederationCa.open(dir, random);
    assertThat(
            again.revoke(
                b.certificate().getSerialNumber(), RevocationReason.SUPERSEDED, TestPki.T0))
        .isTrue();
    assertThat(
            again.revoke(
                a.certificate().getSerialNumber(), RevocationReason.UNSPECIFIED, TestPki.T0))
        .as("revoking twice changes nothing")
        .isFalse();
    X509CRL afterTwo = again.crl();
    assertThat(FederationCa.crlNumber(afterTwo)).isEqualTo(BigInteger.valueOf(3));
    assertThat(afterTwo.isRevoked(a.certificate())).isTrue();
    assertThat(afterTwo.isRevoked(b.certificate())).isTrue();
    assertThat(
            afterTwo.getRevokedCertificate(a.certificate().getSerialNumber()).getRevocationReason())
        .hasToString("KEY_COMPROMISE");
    assertThatThrownBy(
            () -> again.revoke(BigInteger.valueOf(12345), RevocationReason.UNSPECIFIED, TestPki.T0))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("3039");
  }

  @Test
  void shouldKeepEveryIssuedCertificateInTheIndexWhenTwoInstancesIssueConcurrently()
      throws Exception {
    TestPki.newCa(dir, 1);
    FederationCa first = FederationCa.open(dir, TestPki.seeded(10));
    FederationCa second = FederationCa.open(dir, TestPki.seeded(20));
    var keys = Ed25519Keys.generate(TestPki.seeded(30)).getPublic();
    Runnable issueTen =
        () -> {
          for (int i = 0; i < 10; i++) {
            first.issue(keys, "a", "b", TestPki.T0, Duration.ofDays(1));
          }
        };
    Thread t = new Thread(issueTen);
    t.start();
    for (int i = 0; i < 10; i++) {
      second.issue(keys, "b", "b", TestPki.T0, Duration.ofDays(1));
    }
    t.join();

    assertThat(FederationCa.open(dir, TestPki.seeded(1)).issued()).hasSize(20);
    assertThat(CertificateValidator.fromDirectory(dir).caCertificate())
        .isEqualTo(first.certificate());
  }

  @Test
  void shouldRefuseAPrivateKeyFileOpenToGroupOrOthersNamingFileModeAndFix() throws Exception {
    TestPki.newCa(dir, 1);
    Path key = dir.resolve(FederationCa.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> FederationCa.open(dir, TestPki.seeded(1)))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("0644")
        .hasMessageContaining("chmod 600 " + key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> PemFiles.readPrivateKey(key)).hasMessageContaining("0604");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(FederationCa.open(dir, TestPki.seeded(1)).certificate())
        .isEqualTo(FederationCa.readCertificate(dir));
  }

  @Test
  void shouldRoundTripAPeerKeyThroughPemWithMode600() throws Exception {
    var keys = Ed25519Keys.generate(TestPki.seeded(9));
    Path file = dir.resolve("sub/peer.key");

    PemFiles.writePrivateKey(file, keys.getPrivate());

    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PemFiles.readPrivateKey(file).getEncoded())
        .isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void shouldNameTheFileWhenItIsMissingOrNotPem() throws Exception {
    Path missing = dir.resolve("nope.crt");
    assertThatThrownBy(() -> PemFiles.readCertificate(missing))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining(missing.toString());
    Path junk = dir.resolve("junk.crt");
    Files.writeString(junk, "hello\n");
    assertThatThrownBy(() -> PemFiles.readCertificate(junk)).hasMessageContaining(junk.toString());
    assertThatThrownBy(() -> FederationCa.open(dir.resolve("absent"), TestPki.seeded(1)))
        .hasMessageContaining("absent");
  }
}
