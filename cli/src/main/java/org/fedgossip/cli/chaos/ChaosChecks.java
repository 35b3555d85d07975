package org.fedgossip.cli.chaos;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.CheckpointStore;

/**
 * The invariants a federation must keep through crashes, partitions and misbehaving members, each a
 * pure function of what a leg recorded or of the files it left, so each can be tested on tampered
 * input.
 */
public final class ChaosChecks {

  /**
   * Both runs reached the last model version.
   *
   * @param chaosStalled why the run under faults stopped early, or null if it did not
   * @param faultFreeStalled why the fault-free run stopped early, or null if it did not
   * @param rounds the model version both runs had to reach
   * @return the check
   */
  public static Check reachedAllRounds(String chaosStalled, String faultFreeStalled, int rounds) {
    return new Check(
        "reached-all-rounds",
        chaosStalled == null && faultFreeStalled == null,
        chaosStalled != null
            ? "chaos run: " + chaosStalled
            : faultFreeStalled != null
                ? "fault-free run: " + faultFreeStalled
                : "both runs reached model version " + rounds);
  }

  /** Name of the checkpoint check. */
  public static final String CHECKPOINTS = "checkpoints-verify-sha256";

  /** Name of the ledger check. */
  public static final String LEDGERS = "ledger-epsilon-non-decreasing";

  /** Name of the audit check. */
  public static final String AUDIT = "audit-chains-intact";

  /** Name of the convergence check. */
  public static final String CONVERGENCE = "converged-within-tolerance";

  /** Name of the trust check. */
  public static final String HONEST_NOT_EXCLUDED = "no-honest-peer-excluded";

  /** Name of the rate-limit check. */
  public static final String FLOODERS_LIMITED = "every-flooder-rate-limited";

  private ChaosChecks() {}

  /**
   * Every checkpoint file ({@code *.fgck}) under the given {@code checkpoints/} directories reads
   * back and matches the SHA-256 in its header ({@link CheckpointStore#verify(Path)}), and there is
   * at least one.
   *
   * @param checkpointDirs each node's checkpoint directory; missing ones are skipped
   * @return the check
   */
  public static Check checkpoints(List<Path> checkpointDirs) {
    int verified = 0;
    for (Path dir : checkpointDirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.fgck")) {
        for (Path f : files) {
          try {
            CheckpointStore.verify(f);
            verified++;
          } catch (IOException | RuntimeException e) {
            return Check.fail(CHECKPOINTS, f + " does not verify: " + e.getMessage());
          }
        }
      } catch (IOException e) {
        return Check.fail(CHECKPOINTS, "cannot list " + dir + ": " + e.getMessage());
      }
    }
    if (verified == 0) {
      return Check.fail(CHECKPOINTS, "no checkpoint found in " + checkpointDirs.size() + " nodes");
    }
    return Check.pass(
        CHECKPOINTS,
        verified + " checkpoints of " + checkpointDirs.size() + " nodes verify their SHA-256");
  }

  /**
   * Each node's privacy-ledger ε, read in time order (before each kill, after each restart, at the
   * end), never goes down: a restarted node resumes what it had spent.
   *
   * @param readings node name to its ε readings in time order
   * @return the check; it fails with no restart to compare across
   */
  public static Check ledgers(Map<String, List<Double>> readings) {
    int restarted = 0;
    int values = 0;
    for (Map.Entry<String, List<Double>> e : readings.entrySet()) {
      List<Double> r = e.getValue();
      values += r.size();
      if (r.size() >= 2) {
        restarted++;
      }
      for (int i = 1; i < r.size(); i++) {
        if (!(r.get(i) >= r.get(i - 1))) {
          return Check.fail(
              LEDGERS,
              String.format(
                  Locale.ROOT,
                  "%s: ε went from %.6f to %.6f (reading %d of %s)",
                  e.getKey(),
                  r.get(i - 1),
                  r.get(i),
                  i,
                  r));
        }
      }
    }
    if (restarted == 0) {
      return Check.fail(LEDGERS, "no node has readings across a restart");
    }
    return Check.pass(
        LEDGERS,
        values
            + " ε readings of "
            + readings.size()
            + " nodes, "
            + restarted
            + " of them across restarts, never decrease");
  }

  /**
   * Every audit log's hash chain verifies from the first record to the last ({@link
   * AuditLog#verify(Path)}).
   *
   * @param auditFiles each node's {@code audit.log}
   * @return the check; a missing file fails it
   */
  public static Check auditChains(List<Path> auditFiles) {
    long records = 0;
    for (Path f : auditFiles) {
      try {
        AuditLog.Verification v = AuditLog.verify(f);
        if (!v.ok()) {
          return Check.fail(
              AUDIT, f + ": broken after " + v.validRecords() + " records: " + v.firstBroken());
        }
        records += v.validRecords();
      } catch (IOException | RuntimeException e) {
        return Check.fail(AUDIT, f + " cannot be read: " + e);
      }
    }
    if (auditFiles.isEmpty()) {
      return Check.fail(AUDIT, "no audit log to verify");
    }
    return Check.pass(
        AUDIT, auditFiles.size() + " audit logs, " + records + " records, every chain intact");
  }

  /**
   * The chaos run's final accuracy is at most {@code tolerance} below the fault-free run's with the
   * same seed (higher is fine).
   *
   * @param chaos held-out accuracy after the chaos run, in [0, 1]
   * @param faultFree held-out accuracy after the fault-free run, in [0, 1]
   * @param tolerance the allowed shortfall, in [0, 1]
   * @return the check
   */
  public static Check convergence(double chaos, double faultFree, double tolerance) {
    String detail =
        String.format(
            Locale.ROOT,
            "accuracy %.4f under chaos vs %.4f fault-free (tolerance %.3f below)",
            chaos,
            faultFree,
            tolerance);
    boolean ok = !Double.isNaN(chaos) && !Double.isNaN(faultFree) && chaos >= faultFree - tolerance;
    return new Check(CONVERGENCE, ok, detail);
  }

  /**
   * No honest peer was ever seen EXCLUDED by a basket member's trust scorer.
   *
   * @param exclusions one line per (observer, honest peer, round) where the standing was EXCLUDED
   * @param observations how many standings of honest peers were read
   * @return the check; it fails when nothing was observed
   */
  public static Check honestNotExcluded(List<String> exclusions, long observations) {
    if (!exclusions.isEmpty()) {
      return Check.fail(
          HONEST_NOT_EXCLUDED,
          exclusions.size() + " exclusions of honest peers, first: " + exclusions.get(0));
    }
    if (observations == 0) {
      return Check.fail(HONEST_NOT_EXCLUDED, "no trust standing was read");
    }
    return Check.pass(
        HONEST_NOT_EXCLUDED,
        observations + " standings of honest peers read by their basket members, none EXCLUDED");
  }

  /**
   * Every flooding member was rate-limited by its receivers: each has at least one message dropped
   * as RATE_LIMITED and attributed to its id.
   *
   * @param rateLimitedByFlooder flooder name to messages its receivers dropped as RATE_LIMITED
   * @return the check; it fails with no flooder
   */
  public static Check floodersRateLimited(Map<String, Long> rateLimitedByFlooder) {
    if (rateLimitedByFlooder.isEmpty()) {
      return Check.fail(FLOODERS_LIMITED, "no flooding peer ran");
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Long> e : rateLimitedByFlooder.entrySet()) {
      if (e.getValue() <= 0) {
        return Check.fail(
            FLOODERS_LIMITED, e.getKey() + " flooded but no receiver rate-limited it");
      }
      parts.add(e.getKey() + ": " + e.getValue());
    }
    return Check.pass(
        FLOODERS_LIMITED,
        "messages dropped as RATE_LIMITED per flooder: " + String.join(", ", parts));
  }
}
