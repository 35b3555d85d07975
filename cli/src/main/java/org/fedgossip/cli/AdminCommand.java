package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.trust.PeerId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedgossip admin}: operations on a federation's participation records. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Check and export the participation records in an audit log.",
    subcommands = {
      AdminCommand.Deregister.class,
      AdminCommand.VerifyAudit.class,
      AdminCommand.Export.class
    })
final class AdminCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code admin deregister}: asks the coordinator to exclude a peer from future rounds. */
  @Command(
      name = "deregister",
      mixinStandardHelpOptions = true,
      description = {
        "Exclude a peer from future rounds. Run it where the coordinator's data directory is: it"
            + " leaves a request in peer.dataDir/admin/, which the running coordinator (or the next"
            + " one to start) records in its audit log within 10 s; from the next round on, every"
            + " model the coordinator signs names the peer, so every basket drops its updates and"
            + " never elects it, and the coordinator refuses it as a delegate.",
        "Past models cannot be unlearned: what the peer contributed before stays in them. To"
            + " cut a peer off the network as well, revoke its certificate (keygen revoke)."
      },
      footerHeading = "%nExample:%n",
      footer = "  fedgossip admin deregister --peer fg... --config coordinator/peer.properties")
  static final class Deregister implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--peer", required = true, paramLabel = "ID", description = "The peer id.")
    private String peer;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "The coordinator's peer.properties (its peer.dataDir is used).")
    private Path configFile;

    @Override
    public Integer call() {
      PeerId id;
      try {
        id = PeerId.parse(peer);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--peer: " + e.getMessage());
      }
      org.fedgossip.cli.daemon.PeerConfig config;
      try {
        config = org.fedgossip.cli.daemon.PeerConfig.read(configFile, System.getenv(), Map.of());
      } catch (org.fedgossip.cli.daemon.ConfigException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (config.role() != org.fedgossip.cli.daemon.Role.COORDINATOR) {
        throw new ParameterException(
            spec.commandLine(),
            "--config: "
                + configFile
                + " is not a coordinator's (peer.role="
                + config.role().configName()
                + ")");
      }
      Path request;
      try {
        request =
            org.fedgossip.core.runtime.AdminRequests.requestDeregistration(
                config.path("peer.dataDir"), id);
      } catch (IOException e) {
        return KeygenCommand.fail(spec, "cannot write the request: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "requested the deregistration of "
              + id
              + " ("
              + request
              + "); the coordinator records it within 10 s. Check with: fedgossip admin export"
              + " --peer "
              + id
              + " "
              + config.path("peer.dataDir").resolve("audit.log"));
      out.flush();
      return 0;
    }
  }

  /** {@code admin verify-audit}: walks the hash chain of an audit log. */
  @Command(
      name = "verify-audit",
      mixinStandardHelpOptions = true,
      description = {
        "Verify the hash chain of an audit log (each record's SHA-256 covers the previous"
            + " record's hash) without changing the file, and report the first broken link.",
        "Exit 0 when the whole file verifies, 1 when a record is broken or the file cannot be read."
      },
      footerHeading = "%nExample:%n",
      footer = "  fedgossip admin verify-audit coordinator/data/audit.log")
  static final class VerifyAudit implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The audit log (audit.log in a data directory).")
    private Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Override
    public Integer call() {
      AuditLog.Verification v;
      try {
        v = AuditLog.verify(file);
      } catch (IOException e) {
        return KeygenCommand.fail(spec, "cannot read " + file + ": " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("ok", v.ok());
        m.put("valid_records", v.validRecords());
        m.put("valid_bytes", v.validBytes());
        m.put("head_hash", v.headHash());
        v.firstBroken()
            .ifPresent(
                b -> {
                  m.put("broken_record", b.index());
                  m.put("broken_offset", b.offset());
                  m.put("broken_reason", b.reason());
                  m.put("torn_tail", b.tornTail());
                });
        out.println(Json.write(m));
      } else if (v.ok()) {
        out.printf("%s: OK, %d records, chain head %s%n", file, v.validRecords(), v.headHash());
      } else {
        AuditLog.BrokenRecord b = v.firstBroken().orElseThrow();
        out.printf(
            "%s: BROKEN at record %d (byte offset %d): %s%s; the %d records before it verify%n",
            file,
            b.index(),
            b.offset(),
            b.reason(),
            b.tornTail() ? " (a torn last write, which the owner truncates on its next start)" : "",
            v.validRecords());
      }
      out.flush();
      return v.ok() ? 0 : 1;
    }
  }

  /** {@code admin export}: one peer's participation history, as JSON. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Export one peer's participation history from an audit log as JSON: the rounds it took"
            + " part in, its accepted and rejected updates with the reasons, the privacy it spent,"
            + " and any deregistration. Reads the log's verified prefix without changing it, so it"
            + " may run beside the daemon that owns the log."
      },
      footerHeading = "%nExample:%n",
      footer =
          "  fedgossip admin export --peer fg... coordinator/data/audit.log > participation.json")
  static final class Export implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--peer", required = true, paramLabel = "ID", description = "The peer id.")
    private String peer;

    @Parameters(paramLabel = "FILE", description = "The audit log (audit.log in a data directory).")
    private Path file;

    @Override
    public Integer call() {
      PeerId id;
      try {
        id = PeerId.parse(peer);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--peer: " + e.getMessage());
      }
      if (!Files.isRegularFile(file)) {
        return KeygenCommand.fail(spec, file + ": no such file");
      }
      List<AuditRecord> records;
      try {
        records = AuditLog.readVerified(file);
      } catch (IOException e) {
        return KeygenCommand.fail(spec, "cannot read " + file + ": " + e.getMessage());
      }
      byte[] bytes = id.toBytes();
      List<Long> accepted = new ArrayList<>();
      List<Map<String, Object>> rejected = new ArrayList<>();
      List<Map<String, Object>> privacy = new ArrayList<>();
      List<Long> deregistered = new ArrayList<>();
      for (AuditRecord r : records) {
        if (r.peerId() == null || !Arrays.equals(r.peerId(), bytes)) {
          continue;
        }
        switch (r.kind()) {
          case UPDATE_ACCEPTED -> accepted.add(r.round());
          case UPDATE_REJECTED -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", r.round());
            m.put("reason", r.reason());
            m.put("unix_millis", r.wallMillis());
            rejected.add(m);
          }
          case PRIVACY_SPENT -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", r.round());
            m.put("epsilon", r.epsilon());
            m.put("delta", r.delta());
            privacy.add(m);
          }
          case PEER_DEREGISTERED -> deregistered.add(r.round());
          default -> {
            // Round and model records carry no peer.
          }
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("peer", id.toString());
      out.put("audit_log", file.toString());
      out.put("records_read", records.size());
      out.put("rounds", accepted);
      out.put("accepted_updates", accepted.size());
      out.put("rejected_updates", rejected);
      out.put("privacy_spent", privacy);
      out.put(
          "epsilon_spent",
          privacy.isEmpty() ? 0.0 : privacy.get(privacy.size() - 1).get("epsilon"));
      out.put("deregistered_in_rounds", deregistered);
      spec.commandLine().getOut().println(Json.write(out));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
