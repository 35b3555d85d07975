package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateValidatorTest {

  @TempDir Path dir;

  private FederationCa ca;
  private SecureRandom random;
  private TestPki.Peer peer;
  private CertificateValidator validator;

  @BeforeEach
  void setUp() {
    ca = TestPki.newCa(dir.resolve("ca"), 1);
    random = TestPki.seeded(2);
    peer = TestPki.issue(ca, random, "peer", "basket-1");
    validator = new CertificateValidator(ca.certificate(), ca.crl());
  }

  @Test
  void shouldAcceptAFreshCertificateFromTheCa() {
    CertificateValidator.Result r =
        validator.validate(new X509Certificate[] {peer.certificate()}, TestPki.T0.plusSeconds(1));

    assertThat(r.status()).isEqualTo(CertificateStatus.OK);
    assertThat(r.ok()).isTrue();
    assertThat(r.peer().peerId()).isEqualTo(peer.id());
    assertThat(validator.validate(List.of(peer.certificate(), ca.certificate()), TestPki.T0).ok())
        .isTrue();
  }

  @Test
  void shouldReportNoCertificate() {
    assertThat(validator.validate((X509Certificate[]) null, TestPki.T0).status())
        .isEqualTo(CertificateStatus.NO_CERTIFICATE);
    assertThat(validator.validate(new X509Certificate[0], TestPki.T0).status())
        .isEqualTo(CertificateStatus.NO_CERTIFICATE);
  }

  @Test
  void shouldReportUnknownCaEvenWhenTheOtherCaHasTheSameName() {
    FederationCa other = TestPki.newCa(dir.resolve("other"), 99);
    TestPki.Peer stranger = TestPki.issue(other, random, "peer", "basket-1");

    assertThat(other.certificate().getSubjectX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(validator.validate(stranger.certificate(), TestPki.T0).status())
        .isEqualTo(CertificateStatus.UNKNOWN_CA);
    assertThat(validator.validate(other.certificate(), TestPki.T0).status())
        .isEqualTo(CertificateStatus.UNKNOWN_CA);
  }

  @Test
  void shouldReportExpiredAfterExpiryAndBeforeStart() {
    var expiry = TestPki.T0.plus(FederationCa.DEFAULT_PEER_VALIDITY);

    assertThat(validator.validate(peer.certificate(), expiry).ok()).isTrue();
    assertThat(validator.validate(peer.certificate(), expiry.plusSeconds(1)).status())
        .isEqualTo(CertificateStatus.EXPIRED);
    assertThat(validator.validate(peer.certificate(), TestPki.T0.minusSeconds(1)).status())
        .isEqualTo(CertificateStatus.EXPIRED);
  }

  @Test
  void shouldReportRevokedOnceTheNewCrlIsInstalled() {
    ca.revoke(peer.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, TestPki.T0);

    assertThat(validator.validate(peer.certificate(), TestPki.T0).ok())
        .as("the old CRL does not know")
        .isTrue();
    CertificateValidator updated = validator.withCrl(ca.crl());
    assertThat(updated.validate(peer.certificate(), TestPki.T0).status())
        .isEqualTo(CertificateStatus.REVOKED);
    TestPki.Peer other = TestPki.issue(ca, random, "other", "basket-1");
    assertThat(updated.validate(other.certificate(), TestPki.T0).ok()).isTrue();
  }

  @Test
  void shouldReportIdMismatchWhenTheClaimedIdIsNotTheHashOfTheKey() throws Exception {
    var caKey = PemFiles.readPrivateKey(dir.resolve("ca").resolve(FederationCa.KEY_FILE));
    var victim = TestPki.issue(ca, random, "victim", "basket-1");
    var attackerKeys = Ed25519Keys.generate(random);

    X509Certificate forged =
        TestPki.forgeWithClaimedId(ca, caKey, attackerKeys.getPublic(), victim.id());

    assertThat(validator.validate(forged, TestPki.T0).status())
        .isEqualTo(CertificateStatus.ID_MISMATCH);
  }

  @Test
  void shouldRefuseACrlFromAnotherCa() {
    FederationCa other = TestPki.newCa(dir.resolve("other"), 99);

    assertThatThrownBy(() -> new CertificateValidator(ca.certificate(), other.crl()))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("not signed by the CA");
    FederationCa differentName =
        FederationCa.create(
            dir.resolve("named"),
            "Named",
            TestPki.T0,
            Duration.ofDays(9),
            TestPki.seeded(7),
            false);
    assertThatThrownBy(() -> new CertificateValidator(ca.certificate(), differentName.crl()))
        .hasMessageContaining("CN=Named");
  }
}
