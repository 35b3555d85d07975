package org.fedgossip.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.core.state.CheckpointConfig;
import org.fedgossip.core.state.CheckpointStore;
import org.fedgossip.core.state.GlobalModelSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check passes on sound input and fails on the fault it exists to catch. */
class ChaosChecksTest {

  @TempDir Path dir;

  @Test
  void checkpointCheckPassesOnIntactFilesAndFailsOnAFlippedByte() throws IOException {
    Path checkpoints = dir.resolve("node").resolve("checkpoints");
    CheckpointStore store = CheckpointStore.open(checkpoints, CheckpointConfig.defaults());
    for (int v = 1; v <= 2; v++) {
      store.commit(new GlobalModelSnapshot(v, v, new float[] {v, 2f * v, 3f}, Map.of(), 1_000L));
    }
    assertThat(ChaosChecks.checkpoints(List.of(checkpoints)).passed()).isTrue();

    Path victim = firstCheckpoint(checkpoints);
    try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
      long at = f.length() - 5;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
    Check tampered = ChaosChecks.checkpoints(List.of(checkpoints));
    assertThat(tampered.passed()).isFalse();
    assertThat(tampered.detail()).contains(victim.getFileName().toString());
  }

  @Test
  void checkpointCheckFailsWhenThereIsNoCheckpoint() {
    assertThat(ChaosChecks.checkpoints(List.of(dir.resolve("missing"))).passed()).isFalse();
  }

  @Test
  void roundsCheckFailsWhenEitherRunStalledAndNamesIt() {
    assertThat(ChaosChecks.reachedAllRounds(null, null, 30).passed()).isTrue();
    Check chaos = ChaosChecks.reachedAllRounds("no model for 300 s", null, 30);
    assertThat(chaos.passed()).isFalse();
    assertThat(chaos.detail()).startsWith("chaos run: no model");
    Check clean = ChaosChecks.reachedAllRounds(null, "no model for 300 s", 30);
    assertThat(clean.passed()).isFalse();
    assertThat(clean.detail()).startsWith("fault-free run:");
  }

  @Test
  void ledgerCheckFailsWhenEpsilonGoesDownAcrossARestart() {
    Map<String, List<Double>> ok = new LinkedHashMap<>();
    ok.put("coordinator", List.of(1.0, 1.0, 3.5));
    ok.put("basket-a-peer-1", List.of(2.0, 2.5));
    assertThat(ChaosChecks.ledgers(ok).passed()).isTrue();

    Map<String, List<Double>> reset = new LinkedHashMap<>(ok);
    reset.put("basket-b-peer-2", List.of(4.0, 0.0));
    Check c = ChaosChecks.ledgers(reset);
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("basket-b-peer-2");
    assertThat(ChaosChecks.ledgers(Map.of("x", List.of(1.0))).passed())
        .as("no restart to compare across")
        .isFalse();
  }

  @Test
  void auditCheckFailsOnATamperedRecord() throws IOException {
    Path log = dir.resolve("audit.log");
    try (AuditLog a = AuditLog.open(log)) {
      for (int r = 1; r <= 5; r++) {
        a.append(AuditRecord.roundStarted(r, 1_000L + r));
      }
    }
    assertThat(ChaosChecks.auditChains(List.of(log)).passed()).isTrue();
    byte[] bytes = Files.readAllBytes(log);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(log, bytes);
    assertThat(ChaosChecks.auditChains(List.of(log)).passed()).isFalse();
    assertThat(ChaosChecks.auditChains(List.of(dir.resolve("none.log"))).passed()).isFalse();
  }

  @Test
  void convergenceCheckAllowsOnlyTheToleranceBelowTheFaultFreeRun() {
    assertThat(ChaosChecks.convergence(0.86, 0.90, 0.05).passed()).isTrue();
    assertThat(ChaosChecks.convergence(0.95, 0.90, 0.05).passed()).isTrue();
    assertThat(ChaosChecks.convergence(0.84, 0.90, 0.05).passed()).isFalse();
    assertThat(ChaosChecks.convergence(Double.NaN, 0.90, 0.05).passed()).isFalse();
  }

  @Test
  void trustCheckFailsWhenAnHonestPeerIsExcluded() {
    assertThat(ChaosChecks.honestNotExcluded(List.of(), 40).passed()).isTrue();
    List<String> one = new ArrayList<>();
    one.add("after model version 7: basket-a-peer-1 excludes basket-a-peer-2");
    Check c = ChaosChecks.honestNotExcluded(one, 40);
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("basket-a-peer-2");
    assertThat(ChaosChecks.honestNotExcluded(List.of(), 0).passed()).isFalse();
  }

  @Test
  void floodCheckFailsWhenAFlooderWasNeverRateLimited() {
    assertThat(ChaosChecks.floodersRateLimited(Map.of("f1", 10L, "f2", 3L)).passed()).isTrue();
    Check c = ChaosChecks.floodersRateLimited(Map.of("f1", 10L, "f2", 0L));
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("f2");
    assertThat(ChaosChecks.floodersRateLimited(Map.of()).passed()).isFalse();
  }

  private static Path firstCheckpoint(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.fgck")) {
      return files.iterator().next();
    }
  }
}
