package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;
import org.fedgossip.trust.RevocationReason;
import org.fedgossip.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip keygen}: create a federation CA, issue peer certificates, revoke them, and
 * install a key and certificate from a secret store for the daemon.
 *
 * <p>Usage errors (a bad option value, a missing CA directory) exit with 2 and name the value;
 * runtime failures (an existing CA, a key file that is too open, an unreadable file) exit with 1
 * and a one-line message, never a stack trace.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description =
        "Create a federation CA, issue peer certificates and keys, revoke certificates, install a key for the daemon.",
    subcommands = {
      KeygenCommand.Ca.class,
      KeygenCommand.Peer.class,
      KeygenCommand.Revoke.class,
      KeygenCommand.Install.class
    })
final class KeygenCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  KeygenCommand() {}

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing subcommand: use 'keygen ca', 'keygen peer', 'keygen revoke' or 'keygen install'");
  }

  /** Prints a runtime failure as one line and returns exit code 1. */
  static int fail(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName(" ") + ": error: " + message);
    err.flush();
    return 1;
  }

  static void requirePositive(CommandSpec spec, String option, long value) {
    if (value < 1) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for " + option + ": " + value + " is not >= 1");
    }
  }

  static void requireCaDirectory(CommandSpec spec, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for --ca: CA directory '" + dir + "' does not exist");
    }
    if (!Files.exists(dir.resolve(FederationCa.CERTIFICATE_FILE))) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for --ca: '"
              + dir
              + "' holds no "
              + FederationCa.CERTIFICATE_FILE
              + " (create one with 'fedgossip keygen ca --out "
              + dir
              + "')");
    }
  }

  /** {@code fedgossip keygen ca}. */
  @Command(
      name = "ca",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Create a federation CA in a directory: ca.crt (self-signed Ed25519 certificate), ca.key"
            + " (private key, mode 600), ca.crl (empty CRL, number 1) and issued.tsv (index of"
            + " issued certificates). Refuses to overwrite an existing CA unless --force."
      })
  static final class Ca implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory to write; created if missing.")
    private Path out;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        defaultValue = "fedgossip federation CA",
        description =
            "Common name of the CA, 1 to 64 printable characters. Default: ${DEFAULT-VALUE}.")
    private String name;

    @Option(
        names = "--valid-days",
        paramLabel = "N",
        defaultValue = "3650",
        description = "Validity of the CA certificate in days, >= 1. Default: ${DEFAULT-VALUE}.")
    private long validDays;

    @Option(
        names = "--force",
        description = "Replace an existing CA in --out (its certificates become unverifiable).")
    private boolean force;

    Ca() {}

    @Override
    public Integer call() {
      requirePositive(spec, "--valid-days", validDays);
      try {
        PeerCertificate.requireValidDisplayName(name);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for --name: " + e.getMessage());
      }
      if (!force && FederationCa.exists(out)) {
        return fail(
            spec,
            "a CA already exists in '"
                + out
                + "' ("
                + FederationCa.CERTIFICATE_FILE
                + ", "
                + FederationCa.KEY_FILE
                + "); refusing to overwrite it. Use --force to replace it, which invalidates every"
                + " certificate it issued.");
      }
      try {
        FederationCa ca =
            FederationCa.create(
                out,
                name,
                Clock.systemUTC().instant(),
                Duration.ofDays(validDays),
                new SecureRandom(),
                force);
        PrintWriter w = spec.commandLine().getOut();
        w.println("CA '" + name + "' written to " + out);
        w.println("certificate: " + out.resolve(FederationCa.CERTIFICATE_FILE));
        w.println("private key: " + out.resolve(FederationCa.KEY_FILE) + " (mode 600)");
        w.println("crl:         " + out.resolve(FederationCa.CRL_FILE));
        w.println("expires:     " + ca.certificate().getNotAfter().toInstant());
        w.flush();
        return 0;
      } catch (TrustException e) {
        return fail(spec, e.getMessage());
      }
    }
  }

  /** {@code fedgossip keygen peer}. */
  @Command(
      name = "peer",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Generate a peer's Ed25519 key and a certificate signed by the CA: OUT/peer.key (mode 600)"
            + " and OUT/peer.crt. The certificate binds the peer id (SHA-256 of the public key),"
            + " the display name (CN) and the basket (OU). Prints the peer id."
      })
  static final class Peer implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--ca",
        required = true,
        paramLabel = "DIR",
        description = "The CA directory (from 'keygen ca').")
    private Path caDir;

    @Option(
        names = "--basket",
        required = true,
        paramLabel = "NAME",
        description =
            "Basket name: 1 to 63 characters from [a-z0-9-], not starting or ending with '-'.")
    private String basket;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "Display name, 1 to 64 printable characters.")
    private String name;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory for peer.crt and peer.key; created if missing.")
    private Path out;

    @Option(
        names = "--valid-days",
        paramLabel = "N",
        defaultValue = "365",
        description =
            "Validity in days, >= 1, capped at the CA's expiry. Default: ${DEFAULT-VALUE}.")
    private long validDays;

    @Option(names = "--force", description = "Replace an existing peer.crt/peer.key in --out.")
    private boolean force;

    Peer() {}

    @Override
    public Integer call() {
      requirePositive(spec, "--valid-days", validDays);
      try {
        PeerCertificate.requireValidBasket(basket);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for --basket: " + e.getMessage());
      }
      try {
        PeerCertificate.requireValidDisplayName(name);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for --name: " + e.getMessage());
      }
      requireCaDirectory(spec, caDir);
      Path certFile = out.resolve("peer.crt");
      Path keyFile = out.resolve("peer.key");
      if (!force && (Files.exists(certFile) || Files.exists(keyFile))) {
        return fail(
            spec,
            "'"
                + out
                + "' already holds peer.crt or peer.key; refusing to overwrite them. Use --force to replace them.");
      }
      try {
        SecureRandom random = new SecureRandom();
        FederationCa ca = FederationCa.open(caDir, random);
        KeyPair keys = Ed25519Keys.generate(random);
        Instant now = Clock.systemUTC().instant();
        X509Certificate cert =
            ca.issue(keys.getPublic(), name, basket, now, Duration.ofDays(validDays));
        PemFiles.writePrivateKey(keyFile, keys.getPrivate());
        PemFiles.writeCertificate(certFile, cert);
        PeerId id = Ed25519Keys.peerId(keys.getPublic());
        PrintWriter w = spec.commandLine().getOut();
        w.println("peer-id:     " + id);
        w.println("certificate: " + certFile);
        w.println("private key: " + keyFile + " (mode 600)");
        w.println("basket:      " + basket);
        w.println("serial:      " + cert.getSerialNumber().toString(16));
        w.println("expires:     " + cert.getNotAfter().toInstant());
        w.flush();
        return 0;
      } catch (TrustException e) {
        return fail(spec, e.getMessage());
      }
    }
  }

  /** {@code fedgossip keygen revoke}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Revoke a certificate the CA issued: add its serial to DIR/ca.crl, signed by the CA, with"
            + " the CRL number increased by one. Revoking twice changes nothing."
      })
  static final class Revoke implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA directory.")
    private Path caDir;

    @Option(
        names = "--cert",
        required = true,
        paramLabel = "FILE",
        description = "The PEM certificate to revoke.")
    private Path certFile;

    @Option(
        names = "--reason",
        paramLabel = "R",
        defaultValue = "UNSPECIFIED",
        description = "RFC 5280 reason: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private RevocationReason reason;

    Revoke() {}

    @Override
    public Integer call() {
      requireCaDirectory(spec, caDir);
      try {
        X509Certificate cert = PemFiles.readCertificate(certFile);
        FederationCa ca = FederationCa.open(caDir, new SecureRandom());
        try {
          cert.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
          return fail(spec, "'" + certFile + "' was not issued by the CA in '" + caDir + "'");
        }
        BigInteger serial = cert.getSerialNumber();
        boolean changed = ca.revoke(serial, reason, Clock.systemUTC().instant());
        PrintWriter w = spec.commandLine().getOut();
        if (changed) {
          w.println(
              "revoked serial "
                  + serial.toString(16)
                  + " ("
                  + reason
                  + "); "
                  + caDir.resolve(FederationCa.CRL_FILE)
                  + " is now CRL number "
                  + FederationCa.crlNumber(ca.crl()));
        } else {
          w.println("serial " + serial.toString(16) + " was already revoked; CRL unchanged");
        }
        w.flush();
        return 0;
      } catch (TrustException e) {
        return fail(spec, e.getMessage());
      }
    }
  }

  /** {@code fedgossip keygen install}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Install a peer's key and certificate from where a secret store put them: check that the"
            + " key belongs to the certificate and write OUT/peer.key (mode 600) and OUT/peer.crt."
            + " The source key may be readable by its group, as a Kubernetes Secret volume with"
            + " fsGroup makes it (mode 440), but not by others; the daemon then loads the owner-only"
            + " copy. Prints the peer id."
      })
  static final class Install implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "The PEM private key (from 'keygen peer').")
    private Path keyFile;

    @Option(
        names = "--crt",
        required = true,
        paramLabel = "FILE",
        description = "The PEM certificate issued for that key.")
    private Path certFile;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory for peer.key and peer.crt; created if missing, files replaced.")
    private Path out;

    Install() {}

    @Override
    public Integer call() {
      if (!Files.isRegularFile(keyFile)) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for --key: '" + keyFile + "' is not a file");
      }
      if (!Files.isRegularFile(certFile)) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for --crt: '" + certFile + "' is not a file");
      }
      Path staged = null;
      try {
        String othersAccess = othersAccess(keyFile);
        if (!othersAccess.isEmpty()) {
          return fail(
              spec,
              "private key file "
                  + keyFile
                  + " lets others ("
                  + othersAccess
                  + ") access it; refusing to install it. Give it mode 600 or 440 (a Kubernetes"
                  + " Secret: defaultMode 0400 with the pod's fsGroup).");
        }
        X509Certificate cert = PemFiles.readCertificate(certFile);
        Files.createDirectories(out);
        // The key is parsed from an owner-only copy, because PemFiles refuses to read a key that
        // its group may read; the copy never exists with a wider mode.
        staged =
            Files.createTempFile(
                out,
                ".peer-key-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(staged, Files.readAllBytes(keyFile));
        PrivateKey key = PemFiles.readPrivateKey(staged);
        if (!belongsTo(key, cert)) {
          return fail(
              spec,
              "the key in "
                  + keyFile
                  + " does not belong to the certificate in "
                  + certFile
                  + " (its signature does not verify with the certificate's public key)");
        }
        PemFiles.writePrivateKey(out.resolve("peer.key"), key);
        PemFiles.writeCertificate(out.resolve("peer.crt"), cert);
        PrintWriter w = spec.commandLine().getOut();
        w.println("peer-id:     " + Ed25519Keys.peerId(cert.getPublicKey()));
        w.println("certificate: " + out.resolve("peer.crt"));
        w.println("private key: " + out.resolve("peer.key") + " (mode 600)");
        w.flush();
        return 0;
      } catch (TrustException e) {
        return fail(spec, e.getMessage());
      } catch (IOException e) {
        return fail(spec, "cannot install into " + out + ": " + e);
      } finally {
        if (staged != null) {
          try {
            Files.deleteIfExists(staged);
          } catch (IOException e) {
            spec.commandLine().getErr().println("warning: cannot delete " + staged + ": " + e);
          }
        }
      }
    }

    /** The permissions others have on a file, as {@code r}, {@code w}, {@code x}; empty if none. */
    private static String othersAccess(Path file) throws IOException {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      StringBuilder b = new StringBuilder();
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        b.append('r');
      }
      if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        b.append('w');
      }
      if (permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        b.append('x');
      }
      return b.toString();
    }

    /** Signs a fixed message with the key and verifies it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate cert) {
      byte[] message = "fedgossip keygen install".getBytes(StandardCharsets.US_ASCII);
      try {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(message);
        return verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }
}
