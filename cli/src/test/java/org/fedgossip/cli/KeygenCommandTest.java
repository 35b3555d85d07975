package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest extends CommandTestSupport {

  @TempDir Path dir;

  private Path newCa() {
    Path ca = dir.resolve("ca");
    assertThat(runFresh("keygen", "ca", "--out", ca.toString(), "--name", "Test CA")).isZero();
    return ca;
  }

  private String peerIdFromOutput() {
    Matcher m = Pattern.compile("peer-id: +(fg[a-z2-7]{52})").matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    return m.group(1);
  }

  @Test
  void shouldWriteACaWithAKeyOfMode600() throws Exception {
    Path ca = newCa();

    assertThat(ca.resolve("ca.crt")).exists();
    assertThat(ca.resolve("ca.crl")).exists();
    assertThat(Files.getPosixFilePermissions(ca.resolve("ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(out.toString()).contains("Test CA").contains("mode 600");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldRefuseToOverwriteAnExistingCaUnlessForced() throws Exception {
    Path ca = newCa();
    String before = Files.readString(ca.resolve("ca.crt"));

    assertThat(runFresh("keygen", "ca", "--out", ca.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("already exists")
        .contains(ca.toString())
        .contains("--force")
        .doesNotContain("Exception");
    assertThat(Files.readString(ca.resolve("ca.crt"))).isEqualTo(before);

    assertThat(runFresh("keygen", "ca", "--out", ca.toString(), "--force")).isZero();
    assertThat(Files.readString(ca.resolve("ca.crt"))).isNotEqualTo(before);
  }

  @Test
  void shouldIssueAPeerCertificateThatOpensslAccepts() throws Exception {
    Path ca = newCa();
    Path peer = dir.resolve("peer");

    int exit =
        runFresh(
            "keygen",
            "peer",
            "--ca",
            ca.toString(),
            "--basket",
            "oncology-eu",
            "--name",
            "Hospital A",
            "--out",
            peer.toString());

    assertThat(exit).as(err.toString()).isZero();
    PeerId printed = PeerId.parse(peerIdFromOutput());
    PeerCertificate cert =
        PeerCertificate.parse(PemFiles.readCertificate(peer.resolve("peer.crt")));
    assertThat(cert.peerId()).isEqualTo(printed);
    assertThat(cert.idMatchesKey()).isTrue();
    assertThat(cert.basket()).isEqualTo("oncology-eu");
    assertThat(cert.displayName()).isEqualTo("Hospital A");
    assertThat(Files.getPosixFilePermissions(peer.resolve("peer.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Path openssl = Path.of("/usr/bin/openssl");
    assumeTrue(Files.isExecutable(openssl), "openssl is not installed");
    Process p =
        new ProcessBuilder(
                openssl.toString(),
                "verify",
                "-CAfile",
                ca.resolve("ca.crt").toString(),
                peer.resolve("peer.crt").toString())
            .redirectErrorStream(true)
            .start();
    String verify = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(verify).isZero();
    assertThat(verify).contains("OK");
  }

  @Test
  void shouldRejectBadUsageWithExitCode2NamingTheValue() {
    Path ca = newCa();

    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "Bad_Name",
                "--name",
                "p",
                "--out",
                dir.resolve("p").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("'Bad_Name'")
        .contains("[a-z0-9-]")
        .doesNotContain("Exception");

    Path missing = dir.resolve("no-such-ca");
    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                missing.toString(),
                "--basket",
                "b",
                "--name",
                "p",
                "--out",
                dir.resolve("p").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains(missing.toString()).contains("does not exist");

    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "b",
                "--name",
                "p",
                "--out",
                dir.resolve("p").toString(),
                "--valid-days",
                "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--valid-days").contains("0");

    assertThat(runFresh("keygen")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing subcommand");
  }

  @Test
  void shouldRefuseACaKeyThatIsTooOpenWithExitCode1AndTheFix() throws Exception {
    Path ca = newCa();
    Path key = ca.resolve("ca.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    int exit =
        runFresh(
            "keygen",
            "peer",
            "--ca",
            ca.toString(),
            "--basket",
            "b",
            "--name",
            "p",
            "--out",
            dir.resolve("p").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains(key.toString())
        .contains("0640")
        .contains("chmod 600 " + key)
        .doesNotContain("Exception");
    assertThat(dir.resolve("p").resolve("peer.key")).doesNotExist();
  }

  @Test
  void shouldRevokeIntoTheCrlAcrossSeparateInvocations() throws Exception {
    Path ca = newCa();
    Path peer = dir.resolve("peer");
    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "b",
                "--name",
                "p",
                "--out",
                peer.toString()))
        .isZero();
    var cert = PemFiles.readCertificate(peer.resolve("peer.crt"));

    assertThat(
            runFresh(
                "keygen",
                "revoke",
                "--ca",
                ca.toString(),
                "--cert",
                peer.resolve("peer.crt").toString(),
                "--reason",
                "key_compromise"))
        .as(err.toString())
        .isZero();

    var crl = FederationCa.readCrl(ca);
    assertThat(crl.isRevoked(cert)).isTrue();
    assertThat(FederationCa.crlNumber(crl)).isEqualTo(BigInteger.TWO);
    assertThat(out.toString()).contains("KEY_COMPROMISE").contains("CRL number 2");
    assertThat(
            runFresh(
                "keygen",
                "revoke",
                "--ca",
                ca.toString(),
                "--cert",
                peer.resolve("peer.crt").toString()))
        .isZero();
    assertThat(out.toString()).contains("already revoked");

    Path otherCa = dir.resolve("other");
    assertThat(runFresh("keygen", "ca", "--out", otherCa.toString())).isZero();
    assertThat(
            runFresh(
                "keygen",
                "revoke",
                "--ca",
                otherCa.toString(),
                "--cert",
                peer.resolve("peer.crt").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("was not issued by the CA");
    assertThat(
            runFresh(
                "keygen",
                "revoke",
                "--ca",
                ca.toString(),
                "--cert",
                dir.resolve("nope.crt").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("nope.crt");
  }

  private Path newPeer(Path ca, String name) {
    Path peer = dir.resolve(name);
    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "oncology",
                "--name",
                name,
                "--out",
                peer.toString()))
        .isZero();
    return peer;
  }

  @Test
  void shouldInstallAGroupReadableSecretKeyAsAnOwnerOnlyCopyThatTheDaemonLoads() throws Exception {
    Path ca = newCa();
    Path peer = newPeer(ca, "st-marys-0");
    String id = peerIdFromOutput();
    // What a Kubernetes Secret volume with defaultMode 0400 and an fsGroup gives the pod.
    Files.setPosixFilePermissions(
        peer.resolve("peer.key"), PosixFilePermissions.fromString("r--r-----"));
    Path installed = dir.resolve("run/keys");

    int exit =
        runFresh(
            "keygen",
            "install",
            "--key",
            peer.resolve("peer.key").toString(),
            "--crt",
            peer.resolve("peer.crt").toString(),
            "--out",
            installed.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("peer-id:     " + id).contains("mode 600");
    assertThat(Files.getPosixFilePermissions(installed.resolve("peer.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(PemFiles.readPrivateKey(installed.resolve("peer.key")).getEncoded())
        .isEqualTo(PemFiles.readPrivateKey(copyOwnerOnly(peer.resolve("peer.key"))).getEncoded());
    assertThat(PemFiles.readCertificate(installed.resolve("peer.crt")))
        .isEqualTo(PemFiles.readCertificate(peer.resolve("peer.crt")));
    try (var files = Files.list(installed)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsOnly("peer.key", "peer.crt");
    }
  }

  @Test
  void shouldRefuseToInstallAKeyThatOthersCanRead() throws Exception {
    Path ca = newCa();
    Path peer = newPeer(ca, "st-marys-0");
    Files.setPosixFilePermissions(
        peer.resolve("peer.key"), PosixFilePermissions.fromString("r--r--r--"));
    Path installed = dir.resolve("run/keys");

    int exit =
        runFresh(
            "keygen",
            "install",
            "--key",
            peer.resolve("peer.key").toString(),
            "--crt",
            peer.resolve("peer.crt").toString(),
            "--out",
            installed.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains(peer.resolve("peer.key").toString())
        .contains("others (r)")
        .doesNotContain("Exception");
    assertThat(installed.resolve("peer.key")).doesNotExist();
  }

  @Test
  void shouldRefuseToInstallAKeyWithAnotherPeersCertificate() throws Exception {
    Path ca = newCa();
    Path first = newPeer(ca, "st-marys-0");
    Path second = newPeer(ca, "st-marys-1");
    Path installed = dir.resolve("run/keys");

    int exit =
        runFresh(
            "keygen",
            "install",
            "--key",
            first.resolve("peer.key").toString(),
            "--crt",
            second.resolve("peer.crt").toString(),
            "--out",
            installed.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("does not belong to the certificate");
    assertThat(installed.resolve("peer.key")).doesNotExist();
    try (var files = Files.list(installed)) {
      assertThat(files).as("no staged copy is left behind").isEmpty();
    }

    assertThat(
            runFresh(
                "keygen",
                "install",
                "--key",
                dir.resolve("missing.key").toString(),
                "--crt",
                second.resolve("peer.crt").toString(),
                "--out",
                installed.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--key").contains("missing.key");
  }

  private Path copyOwnerOnly(Path key) throws Exception {
    Path copy = dir.resolve("owner-only.key");
    Files.write(copy, Files.readAllBytes(key));
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    return copy;
  }
}
