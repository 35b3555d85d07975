package org.fedgossip.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Fuzzes {@link CheckpointStore#verify(Path, int)}, the reader of checkpoint files ({@code inspect
 * checkpoint}, and every restart through {@link CheckpointStore#latest()}).
 *
 * <p>Byte 0 picks the mode: odd, the rest is written as it is; even, the test first reseals it
 * (replaces the last 32 bytes with the SHA-256 of everything before them, or appends one if there
 * are fewer), so the fuzzer gets past the checksum to the header and metadata decoder. The limit is
 * 256 weights: the file size is checked against the declared dimension and metadata count before
 * anything is allocated.
 *
 * <p>Property: the only failure is {@link CorruptedStateException} naming the file; an accepted
 * checkpoint has at most 256 weights and re-encodes to exactly the file's bytes (one encoding per
 * snapshot, so the SHA-256 the audit log records identifies the snapshot). Seeds and regression
 * inputs: {@code
 * src/test/resources/org/fedgossip/core/state/CheckpointFuzzTestInputs/verifiesArbitraryFile/}.
 */
class CheckpointFuzzTest {

  static final int MAX_DIMENSION = 256;

  /** One scratch file per JVM, on tmpfs when there is one. */
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    Path shm = Paths.get("/dev/shm");
    try {
      Path dir =
          Files.isDirectory(shm) && Files.isWritable(shm)
              ? Files.createTempDirectory(shm, "checkpoint-fuzz")
              : Files.createTempDirectory("checkpoint-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("checkpoint-00000000000000000001.fgck");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces (or appends) the trailing SHA-256 so that it matches the bytes before it. */
  static byte[] reseal(byte[] body) {
    byte[] head =
        body.length < DurableFiles.SHA256_BYTES
            ? body
            : Arrays.copyOf(body, body.length - DurableFiles.SHA256_BYTES);
    MessageDigest sha = DurableFiles.sha256();
    byte[] digest = sha.digest(head);
    byte[] out = Arrays.copyOf(head, head.length + digest.length);
    System.arraycopy(digest, 0, out, head.length, digest.length);
    return out;
  }

  @FuzzTest(maxDuration = "30s")
  void verifiesArbitraryFile(byte[] input) throws IOException {
    byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    byte[] content = input.length > 0 && (input[0] & 1) == 1 ? rest : reseal(rest);
    Files.write(FILE, content);
    Checkpoint checkpoint;
    try {
      checkpoint = CheckpointStore.verify(FILE, MAX_DIMENSION);
    } catch (CorruptedStateException refused) {
      assertThat(refused.file()).isEqualTo(FILE);
      return;
    }
    assertThat(checkpoint.snapshot().dimension()).isBetween(1, MAX_DIMENSION);
    ByteBuffer encoded = CheckpointStore.encode(checkpoint.snapshot());
    byte[] again = new byte[encoded.remaining()];
    encoded.get(again);
    assertThat(again).as("re-encoding of %s", checkpoint.snapshot()).isEqualTo(content);
  }
}
