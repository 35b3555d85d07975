package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.fedgossip.core.io.NpyArray;
import org.fedgossip.core.io.NpyReader;
import org.fedgossip.core.state.Checkpoint;
import org.fedgossip.core.state.CheckpointConfig;
import org.fedgossip.core.state.CheckpointStore;
import org.fedgossip.core.state.GlobalModelSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCheckpointCommandTest extends CommandTestSupport {

  private static final long CREATED_AT = 1_700_000_000_000L;
  private static final float[] WEIGHTS = {0.5f, -1.25f, 3.0f, 1e-3f, -0.0f};

  @TempDir Path dir;

  private Checkpoint checkpoint;

  @BeforeEach
  void commit() throws IOException {
    CheckpointStore store =
        CheckpointStore.open(dir.resolve("checkpoints"), CheckpointConfig.defaults());
    checkpoint =
        store.commit(
            new GlobalModelSnapshot(
                7, 6, WEIGHTS.clone(), Map.of("rule", "multi-krum", "epsilon", "1.5"), CREATED_AT));
  }

  @Test
  void printsChecksumVersionRoundDimensionAndMetadata() {
    assertThat(runFresh("inspect", "checkpoint", checkpoint.file().toString())).isZero();

    assertThat(out.toString())
        .contains("checksum:     OK")
        .contains(checkpoint.sha256())
        .contains("version:      7")
        .contains("round:        6")
        .contains("dimension:    5")
        .contains(Instant.ofEpochMilli(CREATED_AT).toString())
        .contains("  rule = multi-krum")
        .contains("  epsilon = 1.5");
  }

  @Test
  void printsOneJsonObjectAndExportsWeightsReadableAsNpy() throws IOException {
    Path npy = dir.resolve("weights.npy");

    assertThat(
            runFresh(
                "inspect",
                "checkpoint",
                checkpoint.file().toString(),
                "--export-npy",
                npy.toString(),
                "--json"))
        .isZero();

    Object parsed = Json.parse(out.toString().strip());
    assertThat(parsed)
        .isInstanceOfSatisfying(
            Map.class,
            m -> {
              assertThat(m.get("checksum")).isEqualTo("OK");
              assertThat(m.get("sha256")).isEqualTo(checkpoint.sha256());
              assertThat(m.get("version")).isEqualTo(7L);
              assertThat(m.get("dimension")).isEqualTo(5L);
              assertThat(m.get("metadata"))
                  .isEqualTo(Map.of("epsilon", "1.5", "rule", "multi-krum"));
              assertThat(m.get("exported_npy")).isEqualTo(npy.toString());
            });
    NpyArray array = new NpyReader().read(npy);
    assertThat(array)
        .isInstanceOfSatisfying(
            NpyArray.Float32.class,
            f -> {
              assertThat(f.shape()).containsExactly(5L);
              assertThat(f.data()).containsExactly(WEIGHTS);
            });
  }

  @Test
  void aFlippedByteIsReportedAsDamagedWithExitCode1() throws IOException {
    Path file = checkpoint.file();
    long offset = Files.size(file) - 32 - 8;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      channel.write(one, offset);
    }

    assertThat(runFresh("inspect", "checkpoint", file.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains("inspect checkpoint: error:")
        .contains(file.toString())
        .contains("SHA-256 mismatch")
        .doesNotContain("Exception");

    assertThat(runFresh("inspect", "checkpoint", file.toString(), "--json")).isEqualTo(1);
    assertThat(out.toString()).contains("\"checksum\": \"MISMATCH\"");
  }

  @Test
  void aMissingFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("checkpoint-00000000000000000009.fgck");

    assertThat(runFresh("inspect", "checkpoint", missing.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("no such file").contains(missing.toString());
  }
}
