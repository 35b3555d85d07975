package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that openssl, an independent implementation, accepts what the CA writes. */
class OpensslInteropTest {

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path dir;

  @BeforeAll
  static void requireOpenssl() {
    assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed at " + OPENSSL);
  }

  record Run(int exitCode, String output) {}

  private static Run openssl(Path workDir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSSL.toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void shouldVerifyAPeerCertificateAgainstTheCaAndHonourTheCrl() throws Exception {
    Path caDir = dir.resolve("ca");
    FederationCa ca = TestPki.newCa(caDir, 1);
    // openssl checks validity against the real clock: issue from now, not from the fixed T0.
    var now = java.time.Instant.now().minusSeconds(60);
    var keys = Ed25519Keys.generate(TestPki.seeded(4));
    var cert =
        ca.issue(keys.getPublic(), "peer one", "basket-1", now, java.time.Duration.ofDays(2));
    PemFiles.writeCertificate(dir.resolve("peer.crt"), cert);
    PemFiles.writePrivateKey(dir.resolve("peer.key"), keys.getPrivate());

    Run verify = openssl(dir, "verify", "-CAfile", "ca/ca.crt", "peer.crt");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("peer.crt: OK");

    Run key = openssl(dir, "pkey", "-in", "peer.key", "-noout");
    assertThat(key.exitCode()).as(key.output()).isZero();
    Run crl = openssl(dir, "crl", "-in", "ca/ca.crl", "-noout", "-CAfile", "ca/ca.crt");
    assertThat(crl.exitCode()).as(crl.output()).isZero();
    assertThat(crl.output()).contains("verify OK");

    ca.revoke(cert.getSerialNumber(), RevocationReason.KEY_COMPROMISE, now.plusSeconds(1));
    Run revoked =
        openssl(
            dir,
            "verify",
            "-crl_check",
            "-CAfile",
            "ca/ca.crt",
            "-CRLfile",
            "ca/ca.crl",
            "peer.crt");
    assertThat(revoked.exitCode()).as(revoked.output()).isNotZero();
    assertThat(revoked.output()).contains("revoked");
  }
}
