package org.fedgossip.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;

/**
 * Fuzzes the audit-log readers: {@link AuditLog#verify} ({@code admin verify-audit}), {@link
 * AuditLog#readVerified} ({@code admin export}) and the recovery in {@link AuditLog#open}.
 *
 * <p>Byte 0 picks the mode. Odd: the rest is the file as it is. Even: the rest is cut into record
 * bodies (a 2-byte length, taken modulo {@link AuditLog#MAX_BODY_BYTES} + 1, then that many bytes),
 * and the test writes them as a log with correct length fields and chain hashes, so the fuzzer
 * reaches the record decoder; with bit 1 set, the last {@code byte0 >>> 2} bytes are then cut off,
 * as a crash mid-append does. Record bodies are at most {@link AuditLog#MAX_BODY_BYTES} bytes; a
 * longer length field is refused before the body is read.
 *
 * <p>Property: {@code verify} and {@code readVerified} never throw and agree on the records; every
 * accessor of a decoded record works; {@code open} succeeds exactly when the file verifies or only
 * its last record is broken (then it truncates to the verified prefix, and the log accepts a new
 * record that verifies), and otherwise throws {@link CorruptedStateException} naming the file and
 * leaves it untouched. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/core/state/AuditLogFuzzTestInputs/readsArbitraryLog/}.
 */
class AuditLogFuzzTest {

  /** One scratch file per JVM, on tmpfs when there is one, since open and append fsync. */
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    Path shm = Paths.get("/dev/shm");
    try {
      Path dir =
          Files.isDirectory(shm) && Files.isWritable(shm)
              ? Files.createTempDirectory(shm, "audit-fuzz")
              : Files.createTempDirectory("audit-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("audit.log");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the bodies in {@code rest} as a correctly chained log. */
  static byte[] chained(byte[] rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ByteBuffer.allocate(AuditLog.HEADER_BYTES)
            .putInt(AuditLog.MAGIC)
            .putInt(AuditLog.VERSION)
            .array());
    byte[] hash = new byte[DurableFiles.SHA256_BYTES];
    int at = 0;
    while (at + 2 <= rest.length) {
      int length = ((rest[at] & 0xFF) << 8 | (rest[at + 1] & 0xFF)) % (AuditLog.MAX_BODY_BYTES + 1);
      at += 2;
      length = Math.min(length, rest.length - at);
      ByteBuffer record = ByteBuffer.allocate(AuditLog.LENGTH_BYTES + length);
      record.putInt(length).putInt(~length).put(rest, at, length);
      at += length;
      MessageDigest sha = DurableFiles.sha256();
      sha.update(hash);
      sha.update(record.array());
      hash = sha.digest();
      out.writeBytes(record.array());
      out.writeBytes(hash);
    }
    return out.toByteArray();
  }

  @FuzzTest(maxDuration = "30s")
  void readsArbitraryLog(byte[] input) throws IOException {
    byte[] content;
    if (input.length == 0 || (input[0] & 1) == 1) {
      content = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
    } else {
      content = chained(java.util.Arrays.copyOfRange(input, 1, input.length));
      if ((input[0] & 2) != 0) {
        int cut = Math.min(content.length, (input[0] & 0xFF) >>> 2);
        content = java.util.Arrays.copyOf(content, content.length - cut);
      }
    }
    Files.write(FILE, content);

    AuditLog.Verification v = AuditLog.verify(FILE);
    List<AuditRecord> records = AuditLog.readVerified(FILE);
    assertThat(records)
        .hasSize(content.length < AuditLog.HEADER_BYTES ? 0 : (int) v.validRecords());
    for (AuditRecord r : records) {
      exercise(r);
    }
    boolean opens = content.length == 0 || v.ok() || v.firstBroken().orElseThrow().tornTail();
    AuditLog log;
    try {
      log = AuditLog.open(FILE);
    } catch (CorruptedStateException refused) {
      assertThat(opens).as("open refused %s: %s", v, refused.getMessage()).isFalse();
      assertThat(refused.file()).isEqualTo(FILE);
      assertThat(Files.readAllBytes(FILE)).isEqualTo(content);
      return;
    }
    try (log) {
      assertThat(opens).as("open accepted a file that verify finds damaged: %s", v).isTrue();
      assertThat(log.size()).isEqualTo(v.validRecords());
      assertThat(log.headHash()).isEqualTo(v.headHash());
      assertThat(Files.size(FILE)).isEqualTo(Math.max(AuditLog.HEADER_BYTES, v.validBytes()));
      log.append(AuditRecord.roundStarted(1, 0));
    }
    AuditLog.Verification after = AuditLog.verify(FILE);
    assertThat(after.ok()).as("after recovery and one append: %s", after).isTrue();
    assertThat(after.validRecords()).isEqualTo(v.validRecords() + 1);
  }

  private static void exercise(AuditRecord r) {
    assertThat(r.toString()).isNotEmpty();
    switch (r.kind()) {
      case ROUND_COMPLETED -> assertThat(r.participants()).isNotNull();
      case UPDATE_REJECTED -> assertThat(r.reason()).isNotNull();
      case PRIVACY_SPENT -> assertThat(r.epsilon() + r.delta()).isNotNull();
      case MODEL_PUBLISHED -> {
        assertThat(r.modelVersion()).isNotNull();
        assertThat(r.checkpointSha256()).hasSize(2 * DurableFiles.SHA256_BYTES);
      }
      default -> assertThat(r.round()).isNotNegative();
    }
  }
}
