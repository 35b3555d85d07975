package org.fedgossip.core.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.PrivacyLedger;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.core.state.Checkpoint;
import org.fedgossip.core.state.CheckpointStore;
import org.fedgossip.core.state.GlobalModelSnapshot;
import org.fedgossip.trust.PeerId;

/**
 * The durable state of one peer or coordinator in its data directory: {@code checkpoints/} (every
 * global model it adopted or published, last K kept), {@code privacy-ledger} (its own releases) and
 * {@code audit.log} (hash-chained records of rounds, submissions, rejections and privacy spend).
 *
 * <p>Each file is written by write, fsync (and rename for checkpoints), so a {@code kill -9} loses
 * at most the round in flight. Opening resumes from what is there.
 *
 * <p>The ledger is opened (and locked) at open when its file exists, else created on the first call
 * to {@link #ledger()}: a node that never releases under differential privacy then holds one open
 * file, the audit log, whose lock keeps a second process out of the directory. That halves the file
 * descriptors of an in-process federation (10,000 peers would otherwise need 20,000).
 */
public final class NodeState implements AutoCloseable {

  /** Metadata key of a checkpoint: ε spent by the federation when the model was published. */
  static final String META_EPSILON = "epsilon";

  /** Metadata key: the δ of that ε. */
  static final String META_DELTA = "delta";

  /** Metadata key: the rule's command-line name. */
  static final String META_RULE = "rule";

  /** Metadata key: the rule's f. */
  static final String META_BYZANTINE = "byzantine";

  private static final String LEDGER_FILE = "privacy-ledger";

  private final Path directory;
  private final PrivacyBudget budget;
  private final CheckpointStore checkpoints;
  private final AuditLog audit;
  private PrivacyLedger ledger;
  private boolean closed;

  private NodeState(
      Path directory,
      PrivacyBudget budget,
      CheckpointStore checkpoints,
      PrivacyLedger ledger,
      AuditLog audit) {
    this.directory = directory;
    this.budget = budget;
    this.checkpoints = checkpoints;
    this.ledger = ledger;
    this.audit = audit;
  }

  /**
   * Opens (creating if needed) the state in a directory.
   *
   * @param directory the data directory
   * @param settings the budget and the checkpoint settings
   * @return the state
   * @throws IOException when a file cannot be opened or is corrupted beyond its torn tail
   */
  public static NodeState open(Path directory, RuntimeSettings settings) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Files.createDirectories(directory);
    CheckpointStore checkpoints =
        CheckpointStore.open(directory.resolve("checkpoints"), settings.checkpoints());
    AuditLog audit = AuditLog.open(directory.resolve("audit.log"));
    try {
      Path ledgerFile = directory.resolve(LEDGER_FILE);
      PrivacyLedger ledger =
          Files.exists(ledgerFile) ? PrivacyLedger.open(ledgerFile, settings.budget()) : null;
      return new NodeState(directory, settings.budget(), checkpoints, ledger, audit);
    } catch (IOException | RuntimeException e) {
      audit.close();
      throw e;
    }
  }

  /**
   * The data directory.
   *
   * @return the path
   */
  public Path directory() {
    return directory;
  }

  /**
   * The checkpoints.
   *
   * @return the store
   */
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  /**
   * This process's privacy ledger, created (empty, locked) on the first call if its file does not
   * exist yet.
   *
   * @return the ledger
   * @throws UncheckedIOException when the ledger file cannot be created or locked
   * @throws IllegalStateException when the state is closed
   */
  public synchronized PrivacyLedger ledger() {
    if (ledger == null) {
      if (closed) {
        throw new IllegalStateException("the node state in " + directory + " is closed");
      }
      try {
        ledger = PrivacyLedger.open(directory.resolve(LEDGER_FILE), budget);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ledger;
  }

  /**
   * ε spent by this process's own releases, without creating a ledger that does not exist yet.
   *
   * @return ε at the budget's δ; 0 without a ledger
   */
  public synchronized double spentEpsilon() {
    return ledger == null ? 0 : ledger.spentEpsilon();
  }

  /**
   * ε left in the budget, without creating a ledger that does not exist yet.
   *
   * @return ε left; the whole budget's ε without a ledger
   */
  public synchronized double remainingEpsilon() {
    return ledger == null ? budget.epsilon() : ledger.remainingEpsilon();
  }

  /**
   * The audit log.
   *
   * @return the log
   */
  public AuditLog audit() {
    return audit;
  }

  /**
   * The newest checkpointed global model, if any.
   *
   * @param fallbackRule the rule to name when the checkpoint does not say
   * @return the model
   * @throws IOException on a read error
   */
  public Optional<GlobalModel> latestModel(RuleSpec fallbackRule) throws IOException {
    Optional<Checkpoint> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    GlobalModelSnapshot s = latest.get().snapshot();
    Map<String, String> m = s.metadata();
    RuleSpec rule = fallbackRule;
    if (m.containsKey(META_RULE)) {
      rule =
          RuleSpec.parse(
              m.get(META_RULE), Integer.parseInt(m.getOrDefault(META_BYZANTINE, "0")), null, null);
    }
    return Optional.of(
        GlobalModel.of(
            s.version(),
            s.round(),
            s.weights(),
            Double.parseDouble(m.getOrDefault(META_EPSILON, "0")),
            Double.parseDouble(m.getOrDefault(META_DELTA, "0")),
            rule));
  }

  /**
   * Commits a global model as a checkpoint.
   *
   * @param model the model, version ≥ 1
   * @param wallMillis the commit time
   * @return the checkpoint
   * @throws IOException on a write error
   */
  public Checkpoint commit(GlobalModel model, long wallMillis) throws IOException {
    return checkpoints.commit(
        new GlobalModelSnapshot(
            model.version(),
            model.round(),
            model.weights(),
            Map.of(
                META_EPSILON, Double.toString(model.spentEpsilon()),
                META_DELTA, Double.toString(model.spentDelta()),
                META_RULE, model.rule().kind().cliName(),
                META_BYZANTINE, Integer.toString(model.rule().byzantine())),
            wallMillis));
  }

  /**
   * The highest round for which the audit log records a submission by this peer, or −1.
   *
   * @param self this peer
   * @return the round
   * @throws IOException on a read error
   */
  public long lastSubmittedRound(PeerId self) throws IOException {
    byte[] id = self.toBytes();
    try (var records =
        audit.records(
            r -> r.kind() == AuditRecord.Kind.UPDATE_ACCEPTED && Arrays.equals(r.peerId(), id))) {
      return records.mapToLong(AuditRecord::round).max().orElse(-1);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    try {
      if (ledger != null) {
        ledger.close();
      }
    } finally {
      audit.close();
    }
  }
}
