package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedgossip.core.state.Checkpoint;
import org.fedgossip.core.state.CheckpointStore;
import org.fedgossip.core.state.CorruptedStateException;
import org.fedgossip.core.state.GlobalModelSnapshot;
import org.fedgossip.trust.CertificateStatus;
import org.fedgossip.trust.CertificateValidator;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PemFiles;
import org.fedgossip.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedgossip inspect}: show what a fedgossip file says. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "Show the contents of fedgossip files.",
    subcommands = {InspectCommand.Cert.class, InspectCommand.CheckpointFile.class})
final class InspectCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  InspectCommand() {}

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing subcommand: use 'inspect cert FILE' or 'inspect checkpoint FILE'");
  }

  /** {@code fedgossip inspect cert}. */
  @Command(
      name = "cert",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Print a certificate's subject, peer id, display name, basket, serial and validity. With"
            + " --ca, also whether it chains to that CA and whether the CA's CRL revokes it, and"
            + " the overall status (OK, UNKNOWN_CA, EXPIRED, REVOKED, ID_MISMATCH) at the current"
            + " time."
      })
  static final class Cert implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A PEM certificate.")
    private Path file;

    @Option(
        names = "--ca",
        paramLabel = "DIR",
        description = "A CA directory to check the certificate against.")
    private Path caDir;

    @Option(
        names = "--json",
        description =
            "Print one JSON object: subject, peer_id, display_name, basket, serial, not_before,"
                + " not_after, expired and, with --ca, chains_to_ca, revoked, revocation_reason,"
                + " status.")
    private boolean json;

    Cert() {}

    @Override
    public Integer call() {
      if (caDir != null) {
        KeygenCommand.requireCaDirectory(spec, caDir);
      }
      try {
        X509Certificate cert = PemFiles.readCertificate(file);
        Instant now = Clock.systemUTC().instant();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("subject", cert.getSubjectX500Principal().getName());
        fields.put("issuer", cert.getIssuerX500Principal().getName());
        PeerCertificate peer = null;
        try {
          peer = PeerCertificate.parse(cert);
        } catch (TrustException e) {
          // Not a peer certificate (for example the CA's own); the generic fields still print.
        }
        fields.put("peer_id", peer == null ? null : peer.peerId().toString());
        fields.put("peer_id_matches_key", peer == null ? null : peer.idMatchesKey());
        fields.put("display_name", peer == null ? null : peer.displayName());
        fields.put("basket", peer == null ? null : peer.basket());
        fields.put("serial", cert.getSerialNumber().toString(16));
        fields.put("not_before", cert.getNotBefore().toInstant().toString());
        fields.put("not_after", cert.getNotAfter().toInstant().toString());
        fields.put("expired", now.isAfter(cert.getNotAfter().toInstant()));
        if (caDir != null) {
          X509Certificate caCert = FederationCa.readCertificate(caDir);
          X509CRL crl = FederationCa.readCrl(caDir);
          CertificateValidator validator = new CertificateValidator(caCert, crl);
          CertificateStatus status = validator.validate(cert, now).status();
          boolean chains = status != CertificateStatus.UNKNOWN_CA;
          X509CRLEntry entry = chains ? crl.getRevokedCertificate(cert.getSerialNumber()) : null;
          fields.put("ca", caDir.toString());
          fields.put("chains_to_ca", chains);
          fields.put("revoked", entry != null);
          fields.put(
              "revocation_reason",
              entry == null
                  ? null
                  : (entry.getRevocationReason() == null
                      ? "UNSPECIFIED"
                      : entry.getRevocationReason().name()));
          fields.put(
              "revocation_date",
              entry == null ? null : entry.getRevocationDate().toInstant().toString());
          fields.put("status", status.name());
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
          w.println(toJson(fields));
        } else {
          for (Map.Entry<String, Object> f : fields.entrySet()) {
            w.printf(
                "%-20s %s%n",
                f.getKey().replace('_', '-') + ":", f.getValue() == null ? "-" : f.getValue());
          }
        }
        w.flush();
        return 0;
      } catch (TrustException e) {
        return KeygenCommand.fail(spec, e.getMessage());
      }
    }
  }

  /** {@code fedgossip inspect checkpoint}. */
  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Verify a global-model checkpoint (checkpoint-<version>.fgck in <peer.dataDir>/checkpoints)"
            + " and print its SHA-256 check, model version, round, dimension, creation time and"
            + " metadata. Exit 1 if the file is torn or damaged. With --export-npy, also write"
            + " its weights as a one-dimensional float32 .npy file."
      })
  static final class CheckpointFile implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A checkpoint file (.fgck).")
    private Path file;

    @Option(
        names = "--export-npy",
        paramLabel = "OUT",
        description = "Write the weights to this .npy file (float32, shape [dimension]).")
    private Path exportNpy;

    @Option(
        names = "--json",
        description =
            "Print one JSON object: file, checksum (OK or MISMATCH), sha256, version, round,"
                + " dimension, created_at, metadata and, on a damaged file, error.")
    private boolean json;

    CheckpointFile() {}

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Checkpoint checkpoint;
      try {
        checkpoint = CheckpointStore.verify(file);
      } catch (CorruptedStateException e) {
        if (json) {
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("file", file.toString());
          fields.put("checksum", "MISMATCH");
          fields.put("error", e.getMessage());
          out.println(Json.write(fields));
          out.flush();
        }
        return KeygenCommand.fail(
            spec, file + " is damaged (checksum or structure does not verify): " + e.getMessage());
      } catch (NoSuchFileException e) {
        return KeygenCommand.fail(spec, "no such file: " + file);
      } catch (IOException e) {
        return KeygenCommand.fail(spec, "cannot read " + file + ": " + e);
      }
      GlobalModelSnapshot s = checkpoint.snapshot();
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("file", file.toString());
      fields.put("checksum", "OK");
      fields.put("sha256", checkpoint.sha256());
      fields.put("version", s.version());
      fields.put("round", s.round());
      fields.put("dimension", s.dimension());
      fields.put("created_at", Instant.ofEpochMilli(s.createdAtMillis()).toString());
      fields.put("metadata", s.metadata());
      if (exportNpy != null) {
        try {
          CheckpointStore.exportNpy(checkpoint, exportNpy);
        } catch (IOException e) {
          return KeygenCommand.fail(spec, "cannot write " + exportNpy + ": " + e);
        }
        fields.put("exported_npy", exportNpy.toString());
      }
      if (json) {
        out.println(Json.write(fields));
      } else {
        for (Map.Entry<String, Object> f : fields.entrySet()) {
          if (f.getValue() instanceof Map<?, ?> metadata) {
            out.printf("%-13s %s%n", "metadata:", metadata.isEmpty() ? "-" : "");
            for (Map.Entry<?, ?> m : metadata.entrySet()) {
              out.printf("  %s = %s%n", m.getKey(), m.getValue());
            }
          } else {
            out.printf("%-13s %s%n", f.getKey().replace('_', '-') + ":", f.getValue());
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  static String toJson(Map<String, Object> fields) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(Json.quote(f.getKey())).append(": ");
      Object v = f.getValue();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append(Json.quote(v.toString()));
      }
    }
    return sb.append('}').toString();
  }
}
