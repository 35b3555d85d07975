package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PemFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedgossip peer} in its own JVM, stopped by a real SIGTERM. */
@Tag("slow")
class PeerSignalTest extends CommandTestSupport {

  @TempDir Path dir;

  @Test
  void sigtermClosesEverythingAndExitsZero() throws Exception {
    Path ca = dir.resolve("ca");
    Path site = dir.resolve("site");
    assertThat(runFresh("keygen", "ca", "--out", ca.toString())).isZero();
    assertThat(
            runFresh(
                "keygen",
                "peer",
                "--ca",
                ca.toString(),
                "--basket",
                "radiology",
                "--name",
                "Clinic S",
                "--out",
                site.resolve("keys").toString()))
        .isZero();
    PeerCertificate identity =
        PeerCertificate.parse(PemFiles.readCertificate(site.resolve("keys").resolve("peer.crt")));
    Files.copy(ca.resolve(FederationCa.CERTIFICATE_FILE), site.resolve("keys").resolve("ca.crt"));
    Files.copy(ca.resolve(FederationCa.CRL_FILE), site.resolve("keys").resolve("ca.crl"));
    Files.createDirectories(site.resolve("roster"));
    Files.writeString(site.resolve("train.csv"), "x,label\n1.0,1\n");
    Path config = site.resolve("peer.properties");
    Files.writeString(
        config,
        "peer.caCrt=keys/ca.crt\npeer.crl=keys/ca.crl\npeer.roster=roster\ntrainer.trainCsv=train.csv\n"
            + "peer.coordinator="
            + identity.peerId()
            + "@127.0.0.1:7401\n");

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FedGossip.class.getName(),
                "peer",
                "--config",
                config.toString())
            .redirectError(dir.resolve("peer.err").toFile())
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (line.contains("running as peer")) {
          // SIGTERM on Unix; unlike Process.destroy() it leaves the output stream open.
          process.toHandle().destroy();
        }
      }
    } finally {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    String err = readQuietly(dir.resolve("peer.err"));
    assertThat(lines).as("stderr: %s", err).anyMatch(l -> l.contains("running as peer"));
    assertThat(lines).contains("fedgossip peer: stopped");
    assertThat(err).contains("Every resource closed (CLOSED)");
    assertThat(process.exitValue()).isEqualTo(0);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
