package org.fedgossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.fedgossip.trust.CertificateStatus;
import org.fedgossip.trust.PemFiles;
import org.fedgossip.trust.RevocationReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust decisions of {@link FederationTls} without sockets: time source and CRL reloads. */
class FederationTlsTest {

  @TempDir Path directory;

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static X509Certificate[] chain(FederationPki.Peer peer) {
    return new X509Certificate[] {PemFiles.readCertificate(peer.certificate())};
  }

  private static FederationTls tls(
      FederationPki pki, FederationPki.Peer self, Clock clock, Duration interval) {
    return FederationTls.fromFiles(
        pki.caDirectory().resolve("ca.crt"),
        pki.caDirectory().resolve("ca.crl"),
        self.certificate(),
        self.key(),
        clock,
        interval);
  }

  @Test
  void picksUpARevocationFromTheCrlFileOnceTheCheckIntervalHasPassed() {
    FederationPki pki = FederationPki.create(directory, "federation CA", 5);
    FederationPki.Peer self = pki.issue("self");
    FederationPki.Peer other = pki.issue("other");
    ManualClock clock = new ManualClock(FederationPki.NOW);
    FederationTls tls = tls(pki, self, clock, Duration.ofSeconds(10));
    assertThat(tls.check(chain(other)).status()).isEqualTo(CertificateStatus.OK);

    pki.ca().revoke(other.serial(), RevocationReason.KEY_COMPROMISE, FederationPki.NOW);
    clock.advance(Duration.ofSeconds(9));
    assertThat(tls.check(chain(other)).status())
        .as("within the interval the file is not looked at")
        .isEqualTo(CertificateStatus.OK);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tls.check(chain(other)).status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(tls.crlNumber()).isEqualTo(java.math.BigInteger.TWO);
    assertThat(tls.reloadCrl()).as("nothing newer to install").isFalse();
  }

  @Test
  void judgesValidityAtThePassedInTime() {
    FederationPki pki = FederationPki.create(directory, "federation CA", 6);
    FederationPki.Peer self = pki.issue("self");
    FederationPki.Peer peer = pki.issue("peer", FederationPki.NOW, Duration.ofDays(1));
    ManualClock clock = new ManualClock(FederationPki.NOW);
    FederationTls tls = tls(pki, self, clock, Duration.ofSeconds(10));
    assertThat(tls.check(chain(peer)).status()).isEqualTo(CertificateStatus.OK);
    clock.advance(Duration.ofDays(2));
    assertThat(tls.check(chain(peer)).status()).isEqualTo(CertificateStatus.EXPIRED);
    assertThat(tls.check(new X509Certificate[0]).status())
        .isEqualTo(CertificateStatus.NO_CERTIFICATE);
  }

  @Test
  void refusesANonPositiveCrlCheckInterval() {
    FederationPki pki = FederationPki.create(directory, "federation CA", 7);
    FederationPki.Peer self = pki.issue("self");
    assertThatThrownBy(() -> tls(pki, self, Clock.systemUTC(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crlCheckInterval")
        .hasMessageContaining("PT0S");
  }
}
