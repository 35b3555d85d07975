package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyLedgerTest {

  private static final PrivacyBudget BUDGET = new PrivacyBudget(3.0, 1e-5);
  private static final PrivacyEvent FIRST = new PrivacyEvent(0.01, 1.1, 100);
  private static final PrivacyEvent SECOND = new PrivacyEvent(0.02, 1.5, 50);
  private static final PrivacyEvent THIRD = new PrivacyEvent(0.005, 0.9, 200);

  /** One accountant for the whole class, so its memo spares recomputing the same curves. */
  private static final RdpAccountant ACCOUNTANT = RdpAccountant.withDefaultOrders();

  @TempDir Path dir;

  private PrivacyLedger open(Path file) throws IOException {
    return PrivacyLedger.open(file, BUDGET, ACCOUNTANT);
  }

  private Path ledgerWithThreeEvents() throws Exception {
    Path file = dir.resolve("privacy-ledger");
    try (PrivacyLedger ledger = open(file)) {
      ledger.charge(FIRST);
      ledger.charge(SECOND);
      ledger.charge(THIRD);
    }
    return file;
  }

  @Test
  void newLedgerHasHeaderOnlyAndSpendsNothing() throws IOException {
    Path file = dir.resolve("privacy-ledger");
    try (PrivacyLedger ledger = open(file)) {
      assertThat(ledger.events()).isEmpty();
      assertThat(ledger.spentEpsilon()).isZero();
      assertThat(ledger.remainingEpsilon()).isEqualTo(3.0);
    }
    assertThat(Files.size(file)).isEqualTo(PrivacyLedger.HEADER_BYTES);
  }

  @Test
  void reopeningReplaysTheSameEventsAndSpend() throws Exception {
    Path file = dir.resolve("privacy-ledger");
    double spentBeforeClose;
    try (PrivacyLedger ledger = open(file)) {
      ledger.charge(FIRST);
      ledger.charge(SECOND);
      spentBeforeClose = ledger.spentEpsilon();
    }

    try (PrivacyLedger reopened = open(file)) {
      assertThat(reopened.events()).containsExactly(FIRST, SECOND);
      assertThat(reopened.spentEpsilon()).isEqualTo(spentBeforeClose);
      assertThat(reopened.spentEpsilon())
          .isEqualTo(ACCOUNTANT.epsilon(List.of(FIRST, SECOND), BUDGET.delta()).epsilon());
      assertThat(reopened.remainingEpsilon()).isEqualTo(3.0 - spentBeforeClose);
    }
    assertThat(Files.size(file))
        .isEqualTo(PrivacyLedger.HEADER_BYTES + 2L * PrivacyLedger.RECORD_BYTES);
  }

  @Test
  void tornLastRecordIsTruncatedAtEveryCutAndChargingResumes() throws Exception {
    Path file = ledgerWithThreeEvents();
    byte[] full = Files.readAllBytes(file);
    int lastStart = full.length - PrivacyLedger.RECORD_BYTES;
    double spentAfterTwo = ACCOUNTANT.epsilon(List.of(FIRST, SECOND), BUDGET.delta()).epsilon();

    for (int cut = lastStart; cut < full.length; cut++) {
      Files.write(file, Arrays.copyOf(full, cut));

      try (PrivacyLedger ledger = open(file)) {
        assertThat(ledger.events()).as("cut at %d", cut).containsExactly(FIRST, SECOND);
        assertThat(ledger.spentEpsilon()).as("cut at %d", cut).isEqualTo(spentAfterTwo);
        assertThat(Files.size(file)).as("cut at %d", cut).isEqualTo(lastStart);
        assertThat(ledger.truncatedTailBytes()).as("cut at %d", cut).isEqualTo(cut - lastStart);
        ledger.charge(THIRD);
      }
      assertThat(Files.readAllBytes(file)).as("cut at %d", cut).isEqualTo(full);
    }
  }

  @Test
  void corruptCrcInTheLastRecordIsTreatedAsTorn() throws Exception {
    Path file = ledgerWithThreeEvents();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 0x40;
    Files.write(file, bytes);

    try (PrivacyLedger ledger = open(file)) {
      assertThat(ledger.events()).containsExactly(FIRST, SECOND);
    }
  }

  @Test
  void flippedByteInTheMiddleRecordIsAnErrorNamingFileAndOffset() throws Exception {
    Path file = ledgerWithThreeEvents();
    byte[] original = Files.readAllBytes(file);
    int middleStart = PrivacyLedger.HEADER_BYTES + PrivacyLedger.RECORD_BYTES;

    for (int i = middleStart; i < middleStart + PrivacyLedger.RECORD_BYTES; i++) {
      byte[] bytes = original.clone();
      bytes[i] ^= 0x01;
      Files.write(file, bytes);

      assertThatThrownBy(() -> open(file).close())
          .as("flipped byte %d", i)
          .isInstanceOf(PrivacyLedgerCorruptedException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("offset " + middleStart);
      assertThat(Files.readAllBytes(file)).as("file left untouched").isEqualTo(bytes);
    }
  }

  @Test
  void wrongMagicIsAnError() throws IOException {
    Path file = dir.resolve("not-a-ledger");
    Files.write(file, "hello, world\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> open(file).close())
        .isInstanceOf(PrivacyLedgerCorruptedException.class)
        .hasMessageContaining("bad magic")
        .hasMessageContaining(file.toString());
  }

  @Test
  void tornHeaderOfANewFileIsRewritten() throws IOException {
    Path file = dir.resolve("privacy-ledger");
    Files.write(file, new byte[] {'F', 'G', 'P'});

    try (PrivacyLedger ledger = open(file)) {
      assertThat(ledger.events()).isEmpty();
    }
    assertThat(Files.size(file)).isEqualTo(PrivacyLedger.HEADER_BYTES);
  }

  @Test
  void overBudgetChargeThrowsAndLeavesTheFileUnchanged() throws Exception {
    Path file = dir.resolve("privacy-ledger");
    try (PrivacyLedger ledger = open(file)) {
      ledger.charge(FIRST);
      byte[] before = Files.readAllBytes(file);
      double spentBefore = ledger.spentEpsilon();
      PrivacyEvent huge = new PrivacyEvent(1.0, 0.5, 1000);

      assertThat(ledger.wouldExceed(huge)).isTrue();
      assertThatThrownBy(() -> ledger.charge(huge))
          .isInstanceOf(PrivacyBudgetExceededException.class)
          .hasMessageContaining("spent epsilon")
          .hasMessageContaining("requested epsilon")
          .hasMessageContaining("budget epsilon 3.00000");

      assertThat(Files.readAllBytes(file)).isEqualTo(before);
      assertThat(ledger.events()).containsExactly(FIRST);
      assertThat(ledger.spentEpsilon()).isEqualTo(spentBefore);
    }
  }

  @Test
  void wouldExceedAgreesWithCharge() throws Exception {
    Path file = dir.resolve("privacy-ledger");
    try (PrivacyLedger ledger = open(file)) {
      PrivacyEvent round = new PrivacyEvent(0.01, 1.1, 200);
      int charged = 0;
      while (!ledger.wouldExceed(round)) {
        ledger.charge(round);
        charged++;
      }
      assertThat(charged).isPositive();
      assertThat(ledger.spentEpsilon()).isLessThanOrEqualTo(3.0);
      assertThatThrownBy(() -> ledger.charge(round))
          .isInstanceOf(PrivacyBudgetExceededException.class);
      assertThat(ledger.events()).hasSize(charged);
    }
  }

  @Test
  void secondOpenOfTheSameFileIsRefusedWhileTheFirstHoldsIt() throws IOException {
    Path file = dir.resolve("privacy-ledger");
    try (PrivacyLedger ledger = open(file)) {
      assertThatThrownBy(() -> open(file).close())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already open");
      assertThat(ledger.events()).isEmpty();
    }
    open(file).close();
  }

  @Test
  void recordEncodingIsBigEndianWithCrc32c() {
    ByteBuffer record = PrivacyLedger.encode(FIRST);

    assertThat(record.remaining()).isEqualTo(PrivacyLedger.RECORD_BYTES);
    assertThat(record.getInt(0)).isEqualTo(PrivacyLedger.BODY_BYTES);
    assertThat(record.getDouble(4)).isEqualTo(0.01);
    assertThat(record.getDouble(12)).isEqualTo(1.1);
    assertThat(record.getLong(20)).isEqualTo(100);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(record.array(), 0, 28);
    assertThat(record.getInt(28)).isEqualTo((int) crc.getValue());
  }

  @Test
  void concurrentChargesAreAllRecordedOnce() throws Exception {
    Path file = dir.resolve("privacy-ledger");
    PrivacyEvent small = new PrivacyEvent(0.001, 2.0, 10);
    int threads = 4;
    int perThread = 25;
    try (PrivacyLedger ledger = open(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      ledger.charge(small);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(ledger.events()).hasSize(threads * perThread);
    }
    try (PrivacyLedger reopened = open(file)) {
      assertThat(reopened.events()).hasSize(threads * perThread).containsOnly(small);
      assertThat(reopened.truncatedTailBytes()).isZero();
    }
    assertThat(Files.size(file))
        .isEqualTo(
            PrivacyLedger.HEADER_BYTES + (long) threads * perThread * PrivacyLedger.RECORD_BYTES);
  }

  @Test
  void closedLedgerRefusesCharges() throws IOException {
    PrivacyLedger ledger = open(dir.resolve("privacy-ledger"));
    ledger.close();

    assertThatThrownBy(() -> ledger.charge(FIRST))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
