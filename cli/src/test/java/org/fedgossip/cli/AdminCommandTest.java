package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.fedgossip.core.state.AuditLog;
import org.fedgossip.core.state.AuditRecord;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCommandTest extends CommandTestSupport {

  @TempDir Path dir;

  private Path log;
  private final PeerId alice = PeerId.fromDigest(new byte[32]);
  private final PeerId bob = PeerId.fromDigest(filled(7));

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  @BeforeEach
  void writeLog() throws Exception {
    log = dir.resolve("audit.log");
    try (AuditLog audit = AuditLog.open(log)) {
      audit.append(AuditRecord.roundStarted(0, 1000));
      audit.append(AuditRecord.privacySpent(0, alice.toBytes(), 1.5, 1e-5, 1001));
      audit.append(AuditRecord.updateAccepted(0, alice.toBytes(), 1002));
      audit.append(AuditRecord.updateAccepted(0, bob.toBytes(), 1003));
      audit.append(AuditRecord.updateRejected(1, alice.toBytes(), "NORM_TOO_LARGE", 1004));
      audit.append(AuditRecord.updateAccepted(2, alice.toBytes(), 1005));
      audit.append(AuditRecord.privacySpent(2, alice.toBytes(), 2.25, 1e-5, 1006));
      audit.append(AuditRecord.roundCompleted(2, 2, 1007));
    }
  }

  @Test
  void verifyAuditReportsAnIntactChain() {
    assertThat(runFresh("admin", "verify-audit", log.toString())).isZero();
    assertThat(out.toString()).contains("OK, 8 records");

    assertThat(runFresh("admin", "verify-audit", log.toString(), "--json")).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.toString());
    assertThat(m).containsEntry("ok", true).containsEntry("valid_records", 8L);
  }

  @Test
  void verifyAuditNamesTheFirstBrokenLinkAndExits1() throws Exception {
    long size;
    try (FileChannel ch =
        FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      size = ch.size();
      // Flip one byte in the middle of the file: a record there no longer chains.
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, size / 2);
      one.flip();
      byte b = one.get();
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0x40)}), size / 2);
    }
    assertThat(runFresh("admin", "verify-audit", log.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("BROKEN at record");
  }

  @Test
  void exportListsOnePeersRoundsRejectionsAndPrivacy() {
    assertThat(runFresh("admin", "export", "--peer", alice.toString(), log.toString())).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.toString());
    assertThat(m.get("rounds")).isEqualTo(List.of(0L, 2L));
    assertThat(m.get("accepted_updates")).isEqualTo(2L);
    assertThat(m.get("epsilon_spent")).isEqualTo(2.25);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rejected = (List<Map<String, Object>>) m.get("rejected_updates");
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0))
        .containsEntry("reason", "NORM_TOO_LARGE")
        .containsEntry("round", 1L);

    assertThat(runFresh("admin", "export", "--peer", bob.toString(), log.toString())).isZero();
    assertThat(out.toString()).contains("\"accepted_updates\": 1");
  }

  @Test
  void badPeerIdIsAUsageErrorNamingTheOption() {
    assertThat(runFresh("admin", "export", "--peer", "not-an-id", log.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--peer");
  }

  @Test
  void deregisterLeavesARequestInTheCoordinatorsDataDirectory() throws Exception {
    Path config = dir.resolve("coordinator.properties");
    java.nio.file.Files.writeString(config, "peer.role=coordinator\npeer.dataDir=coord-data\n");
    assertThat(
            runFresh(
                "admin", "deregister", "--peer", bob.toString(), "--config", config.toString()))
        .as("%s", err)
        .isZero();
    Path request =
        dir.resolve("coord-data").resolve("admin").resolve("deregister-" + bob + ".request");
    assertThat(request).exists();
    assertThat(java.nio.file.Files.readString(request).strip()).isEqualTo(bob.toString());
    assertThat(out.toString()).contains("requested the deregistration of " + bob);

    Path peerConfig = dir.resolve("peer.properties");
    java.nio.file.Files.writeString(peerConfig, "peer.role=peer\n");
    assertThat(
            runFresh(
                "admin", "deregister", "--peer", bob.toString(), "--config", peerConfig.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is not a coordinator's");
  }
}
