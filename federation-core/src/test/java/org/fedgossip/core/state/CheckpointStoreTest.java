package org.fedgossip.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedgossip.core.io.NpyArray;
import org.fedgossip.core.io.NpyReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  private static final long SEED = 0x5EED_C0DEL;

  @TempDir Path dir;

  static GlobalModelSnapshot snapshot(long version, int dimension) {
    SplittableRandom random = new SplittableRandom(SEED + version);
    float[] weights = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      weights[i] = (float) random.nextGaussian();
    }
    return new GlobalModelSnapshot(
        version,
        version * 3,
        weights,
        Map.of("rule", "krum", "epsilon", "1.25", "note", "grüße"),
        1_700_000_000_000L + version);
  }

  private CheckpointStore store(int keep) throws Exception {
    return CheckpointStore.open(dir, CheckpointConfig.defaults().withKeep(keep));
  }

  @Test
  void commitThenLatestRoundTripsAndReopenResumesVersion() throws Exception {
    CheckpointStore store = store(5);
    assertThat(store.latest()).isEmpty();
    GlobalModelSnapshot s1 = snapshot(1, 1000);
    GlobalModelSnapshot s2 = snapshot(2, 1000);
    Checkpoint c1 = store.commit(s1);
    Checkpoint c2 = store.commit(s2);
    assertThat(c1.sha256()).isNotEqualTo(c2.sha256());
    assertThat(store.latest()).contains(c2);
    assertThat(CheckpointStore.verify(c1.file())).isEqualTo(c1);
    assertThat(CheckpointStore.verify(c1.file()).snapshot().metadata())
        .containsEntry("note", "grüße");

    CheckpointStore reopened = store(5);
    assertThat(reopened.latest().orElseThrow().snapshot()).isEqualTo(s2);
    assertThatThrownBy(() -> reopened.commit(snapshot(2, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be > 2");
    assertThat(reopened.commit(snapshot(3, 10)).snapshot().version()).isEqualTo(3);
  }

  @Test
  void keepsOnlyTheLastK() throws Exception {
    CheckpointStore store = store(3);
    for (long v = 1; v <= 7; v++) {
      store.commit(snapshot(v, 16));
    }
    assertThat(store.versions()).containsExactly(5L, 6L, 7L);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(3);
    }
  }

  @Test
  void tornTempFileIsDeletedOnOpenAndLatestIsThePreviousCommit() throws Exception {
    CheckpointStore store = store(5);
    Checkpoint good = store.commit(snapshot(1, 100));
    byte[] next = bytesOf(snapshot(2, 100));
    Path temp = dir.resolve("." + CheckpointStore.fileName(2) + ".tmp");
    Files.write(temp, Arrays.copyOf(next, next.length / 2));

    CheckpointStore reopened = store(5);
    assertThat(temp).doesNotExist();
    assertThat(reopened.latest()).contains(good);
    assertThat(reopened.damaged()).isEmpty();
  }

  @Test
  void truncatedCheckpointIsSkippedAndReported() throws Exception {
    CheckpointStore store = store(5);
    Checkpoint good = store.commit(snapshot(1, 100));
    Checkpoint torn = store.commit(snapshot(2, 100));
    byte[] bytes = Files.readAllBytes(torn.file());
    Files.write(torn.file(), Arrays.copyOf(bytes, bytes.length - 7));

    assertThat(store.latest()).contains(good);
    assertThat(store.damaged())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.file()).isEqualTo(torn.file());
              assertThat(d.reason())
                  .contains(torn.file().getFileName().toString())
                  .contains("torn");
            });
    assertThatThrownBy(() -> CheckpointStore.verify(torn.file()))
        .isInstanceOf(CorruptedStateException.class);
  }

  @Test
  void everySingleBitFlipInAWeightOrHeaderIsDetected() throws Exception {
    CheckpointStore store = store(5);
    Checkpoint good = store.commit(snapshot(1, 8));
    Checkpoint flipped = store.commit(snapshot(2, 8));
    byte[] original = Files.readAllBytes(flipped.file());
    SplittableRandom random = new SplittableRandom(SEED);
    for (int trial = 0; trial < 64; trial++) {
      byte[] bytes = original.clone();
      int bit = random.nextInt(bytes.length * 8);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(flipped.file(), bytes);
      assertThat(store.latest()).as("seed %d, bit %d", SEED, bit).contains(good);
      assertThat(store.damaged()).as("seed %d, bit %d", SEED, bit).hasSize(1);
    }
  }

  @Test
  void oversizedDimensionIsRejectedBeforeAllocation() throws Exception {
    CheckpointStore store = store(5);
    Checkpoint c = store.commit(snapshot(1, 100));
    assertThatThrownBy(() -> CheckpointStore.verify(c.file(), 99))
        .isInstanceOf(CorruptedStateException.class)
        .hasMessageContaining("dimension 100 is outside [1, 99]");
    byte[] bytes = Files.readAllBytes(c.file());
    // A header claiming 2^26 weights in a small file: refused by size, nothing allocated.
    java.nio.ByteBuffer.wrap(bytes).putInt(32, 1 << 26);
    Files.write(c.file(), bytes);
    assertThatThrownBy(() -> CheckpointStore.verify(c.file(), Integer.MAX_VALUE / 8))
        .isInstanceOf(CorruptedStateException.class)
        .hasMessageContaining("cannot hold");
    CheckpointStore small = CheckpointStore.open(dir.resolve("s"), new CheckpointConfig(5, 10));
    assertThatThrownBy(() -> small.commit(snapshot(1, 11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkpoint.max-dimension 10");
  }

  @Test
  void metadataThatWouldNotReEncodeToTheSameBytesIsRefused() throws Exception {
    byte[] good = bytesOf(snapshot(1, 4));
    String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
    Path file = dir.resolve("checkpoint-00000000000000000001.fgck");

    byte[] badUtf8 = good.clone();
    badUtf8[text.indexOf("gr") + 2] = (byte) 0xFF; // the first byte of the two-byte ü
    Files.write(file, CheckpointFuzzTest.reseal(badUtf8));
    assertThatThrownBy(() -> CheckpointStore.verify(file))
        .isInstanceOf(CorruptedStateException.class)
        .hasMessageContaining("not valid UTF-8");

    byte[] outOfOrder = good.clone();
    outOfOrder[text.indexOf("note")] = 'a'; // "aote" now follows "epsilon"
    Files.write(file, CheckpointFuzzTest.reseal(outOfOrder));
    assertThatThrownBy(() -> CheckpointStore.verify(file))
        .isInstanceOf(CorruptedStateException.class)
        .hasMessageContaining("metadata key 'aote' is not after 'epsilon'");
  }

  @Test
  void configNamesTheKeyAndRange() {
    assertThatThrownBy(() -> CheckpointConfig.defaults().withKeep(0))
        .hasMessage("checkpoint.keep must be in [1, 1000], got 0");
    assertThat(CheckpointConfig.defaults().keep()).isEqualTo(5);
  }

  @Test
  void exportsWeightsAsNpy() throws Exception {
    Checkpoint c = store(5).commit(snapshot(1, 33));
    Path npy = dir.resolve("model.npy");
    CheckpointStore.exportNpy(c, npy);
    NpyArray read = new NpyReader().read(npy);
    assertThat(read).isEqualTo(new NpyArray.Float32(new long[] {33}, c.snapshot().weights()));
  }

  static byte[] bytesOf(GlobalModelSnapshot s) {
    java.nio.ByteBuffer b = CheckpointStore.encode(s);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
